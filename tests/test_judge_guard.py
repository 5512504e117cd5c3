"""The judge's own guard: the allow-list before Keras deserializes a child's
config, the budget computed from the config alone, and the judge's memory
ceiling (OUT_OF_MEMORY for the submission, never a crash of the grader)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from grader.core import guard
from grader.core.errors import Fail, StudentError
from grader.core.outcome import Status
from grader.core.spec import Exercise, rebuild
from grader.core.wire import StudentModel

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"


def _small_config():
    import keras
    m = keras.Sequential([keras.Input((48, 48, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    return keras.saving.serialize_keras_object(m)


@pytest.mark.parametrize("edit,words", [
    (lambda c: c["config"]["layers"].append({"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                              "config": {"function": {"class_name": "__lambda__", "config": {}}}}),
     "Lambda"),
    (lambda c: c["config"]["layers"].append({"module": "keras.layers", "class_name": "TFSMLayer",
                                              "registered_name": None, "config": {"filepath": "/tmp/x"}}), "TFSMLayer"),
    (lambda c: c["config"]["layers"].append({"module": "subprocess", "class_name": "Popen", "registered_name": None,
                                              "config": {}}), "outside keras"),
    (lambda c: c["config"]["layers"].append({"module": "keras.layers", "class_name": "Dense",
                                              "registered_name": "mine>Dense", "config": {}}), "custom object"),
    (lambda c: c["config"]["layers"].append({"module": "keras.src.saving.saving_lib", "class_name": "load_model",
                                              "registered_name": None, "config": {}}), "does not rebuild from"),
    (lambda c: c["config"]["layers"].append({"module": "keras.layers", "class_name": "StringLookup",
                                              "registered_name": None, "config": {}}), "not a built-in layer"),
])
def test_the_allow_list_refuses_before_keras_sees_the_config(edit, words, monkeypatch):
    import keras
    config = _small_config()
    edit(config)
    seen = []
    monkeypatch.setattr(keras.saving, "deserialize_keras_object", lambda *a, **k: seen.append(a))
    with pytest.raises(StudentError, match=words):
        rebuild(StudentModel(config, None), "build()")
    assert not seen, "Keras deserialized a refused config"


def test_a_forged_config_over_the_budget_is_refused_without_allocating():
    import psutil
    config = _small_config()
    config["config"]["layers"][-1]["config"]["units"] = 300_000
    before = psutil.Process().memory_info().rss
    with guard.budget(guard.Budget(5_000_000, 16_000_000)):
        with pytest.raises(Fail, match="691,500,000 parameters, over this exercise's budget of 5,000,000"):
            rebuild(StudentModel(config, None), "build()")
    assert psutil.Process().memory_info().rss - before < 200 * 2**20


def test_the_largest_tensor_has_a_budget_too():
    config = _small_config()
    config["config"]["layers"][-1]["config"]["units"] = 1000  # 2.3 M parameters: under, the kernel is not
    with guard.budget(guard.Budget(5_000_000, 1_000_000)):
        with pytest.raises(Fail, match="per tensor"):
            rebuild(StudentModel(config, None), "build()")


def test_the_judge_memory_ceiling_is_out_of_memory_and_the_next_check_runs(grade, tmp_path):
    ex = Exercise("ex90", "judge ceiling", "ex90_ceiling", timeout=10, memory_mb=512)

    @ex.check(points=1, hint="", uses=("f",))
    def greedy(t):
        t.call("f")
        np.ones(6 * 2**30 // 8)  # 6 GB in the judge: past its ceiling

    @ex.check(points=1, hint="", uses=("f",))
    def modest(t):
        assert t.call("f") == 1

    src = tmp_path / "ex90_ceiling.py"
    src.write_text("def f():\n    return 1\n")
    from grader.core.engine import grade_file
    report = grade_file(ex, str(src))
    assert report.by_name("greedy").status is Status.OUT_OF_MEMORY, report.by_name("greedy").message
    assert "more memory than the grader allows itself" in report.by_name("greedy").message
    assert report.by_name("modest").status is Status.PASS


def test_grade_on_the_forged_config_stays_under_2_gb():
    """`grade ex03 --file forged_config.py` as a student runs it; its resident memory sampled every 20 ms."""
    import psutil
    p = subprocess.Popen([str(Path(sys.executable).parent / "grade"), "ex03", "--file",
                          str(HOSTILE / "ex03" / "forged_config.py"), "--timeout", "10"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc, peak = psutil.Process(p.pid), [0]

    def watch():
        while p.poll() is None:
            try:
                peak[0] = max(peak[0], proc.memory_info().rss)
            except psutil.Error:
                break
            time.sleep(0.02)
    t = threading.Thread(target=watch, daemon=True)
    t.start()
    out, _ = p.communicate(timeout=600)
    t.join()
    assert p.returncode == 1
    assert "budget" in out
    assert 0 < peak[0] < 2 * 2**30, peak[0]
