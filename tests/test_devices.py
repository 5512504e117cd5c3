"""Verdicts do not depend on the device (grader/devices.py): the judge computes on the CPU, and the
processes that run student code see no GPU, while a notebook kernel's own environment is left alone.

This machine has no GPU, so a second logical CPU stands in for "another device": an outer
``tf.device("/CPU:1")`` plays the GPU a notebook's TensorFlow would pick, and the judge's work
must still land on CPU:0.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from grader.core import devices

PROBE = textwrap.dedent('''
    import json, os
    os.environ.pop("CUDA_VISIBLE_DEVICES", None)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from grader import checks
    from grader.core import devices
    from grader.front import notebook
    from grader.core.spec import Exercise
    out = {}
    with tf.device("/CPU:1"):
        out["outside"] = (tf.constant([1.0]) * 2).device
        with devices.judge_on_cpu():
            out["judge_on_cpu"] = (tf.constant([1.0]) * 2).device
        real = checks.get("ex01")
        ex = Exercise("ex01", real.title, real.module, timeout=30)

        @ex.check(points=1, hint="", uses=("env_probe",))
        def probe(t):
            out["check_device"] = (tf.constant([1.0]) * 2).device
            out["child_env"] = t.call("env_probe")
        report = notebook.grade_text(ex, "import os\\ndef env_probe():\\n    return os.environ.get('CUDA_VISIBLE_DEVICES')\\n")
    out["status"] = report.checks[0].status.value
    out["message"] = report.checks[0].message
    out["kernel_env"] = os.environ.get("CUDA_VISIBLE_DEVICES")
    print("RESULT", json.dumps(out))
''')


def test_cpu_only_environment_is_restored():
    saved = os.environ.pop("CUDA_VISIBLE_DEVICES", None)
    try:
        with devices.cpu_only_environment():
            assert os.environ["CUDA_VISIBLE_DEVICES"] == "-1"
        assert "CUDA_VISIBLE_DEVICES" not in os.environ
        os.environ["CUDA_VISIBLE_DEVICES"] = "0"
        with devices.cpu_only_environment():
            assert os.environ["CUDA_VISIBLE_DEVICES"] == "-1"
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
    finally:
        os.environ.pop("CUDA_VISIBLE_DEVICES", None)
        if saved is not None:
            os.environ["CUDA_VISIBLE_DEVICES"] = saved


def test_the_judge_computes_on_the_cpu_and_children_see_no_gpu():
    """In a fresh process with two logical CPUs, under an outer tf.device("/CPU:1") (the device a
    notebook's TensorFlow would choose): judge_on_cpu() and every check the engine runs compute on
    CPU:0; the child that runs student code has CUDA_VISIBLE_DEVICES=-1; the kernel's own
    environment is unchanged afterwards."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    env.pop("CUDA_VISIBLE_DEVICES", None)
    p = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=600, env=env)
    line = next((ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line, p.stdout[-2000:] + p.stderr[-4000:]
    out = json.loads(line[len("RESULT "):])
    assert out["outside"].endswith("CPU:1"), out  # the stand-in for the GPU is really chosen outside
    assert out["judge_on_cpu"].endswith("CPU:0"), out
    assert out["check_device"].endswith("CPU:0"), out
    assert out["status"] == "PASS", out
    assert out["child_env"] == "-1", out
    assert out["kernel_env"] is None, out


def test_hide_gpus_in_a_grader_process():
    code = ("import os; os.environ.pop('CUDA_VISIBLE_DEVICES', None); from grader.core import devices; "
            "devices.hide_gpus(); import tensorflow as tf; print('GPUS', len(tf.config.get_visible_devices('GPU')), "
            "os.environ['CUDA_VISIBLE_DEVICES'])")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert "GPUS 0 -1" in p.stdout, p.stderr[-2000:]


def test_a_grader_process_judges_with_one_thread_per_op():
    """A batch worker sets one TensorFlow thread per op before its first op (devices.judge_threads).  (Its
    child server is left out here.)  Where the runtime has started already, the call changes nothing and
    says so."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    code = ("from grader.core import devices, session; session.warm_up = lambda *a, **k: None; "
            "session.isolation().keep_warm = lambda *a, **k: None; "
            "from grader.front import batch; batch._init_worker([], 'en'); import tensorflow as tf; "
            "t = tf.config.threading; print('THREADS', t.get_intra_op_parallelism_threads(), "
            "t.get_inter_op_parallelism_threads())")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert "THREADS 1 1" in p.stdout, (p.stdout, p.stderr[-2000:])
    late = ("import tensorflow as tf; tf.constant(1.0) + 1; from grader.core import devices; "
            "print('LATE', devices.judge_threads(), tf.config.threading.get_intra_op_parallelism_threads())")
    p = subprocess.run([sys.executable, "-c", late], capture_output=True, text=True, timeout=300, env=env)
    assert "LATE False 0" in p.stdout, (p.stdout, p.stderr[-2000:])


def test_this_test_process_judges_as_grade_does():
    import tensorflow as tf
    t = tf.config.threading
    assert (t.get_intra_op_parallelism_threads(), t.get_inter_op_parallelism_threads()) == (1, 1)
