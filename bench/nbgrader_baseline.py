"""Baseline (b) of bench/batch.py: nbgrader autograding the same submissions as notebooks.

    python bench/nbgrader_baseline.py [--n 12] [--cell-timeout 60] [--keep DIR]

Needs bench/nbgrader-venv (`make bench-nbgrader`; nbgrader lives there only, for
this benchmark) and ipykernel in the project venv (the dev extra has it).

For a corpus folder/exNN/studentK.py (bench/batch.py's `corpus`) it builds an
nbgrader course in a temporary folder: per exercise one source notebook with the
reference solution in a solution cell and graded test cells (plain asserts
against real Keras layers: output shapes from compute_output_shape, conv2d_forward
against Conv2D with the same weights, the 204,490-parameter stack layer by layer,
the digits CNN trained 20 epochs at batch 32 to >= 0.93 test accuracy, plus a
cell of random cases in place of the grader's hidden checks -- about the work
`grade` does), runs `nbgrader generate_assignment`, puts each student's file
into the released notebook's answer cell as submitted/<student>/<exNN>/<exNN>.ipynb,
then times `nbgrader autograde exNN` for every exercise.  The notebooks run on
a kernel registered for the project venv's Python (TensorFlow), in a temporary
JUPYTER_PATH; a cell that runs longer than --cell-timeout is interrupted
(nbgrader's default is to interrupt and go on), so an endless loop costs one
cell.  Peak memory is the ru_maxrss of the largest process below nbgrader
(nbgrader itself or one kernel), measured by a small wrapper process.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBGRADER_VENV = ROOT / "bench" / "nbgrader-venv"
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
KERNEL = "keras-course-grader-bench"
MODULES = {"ex01": "ex01_conv_arithmetic", "ex02": "ex02_padding_stride", "ex03": "ex03_conv_stack"}

# ----------------------------------------------------------------------------- test cells, per exercise
# (grade_id, points, source).  Each cell is self-contained apart from the imports of the first one.
SETUP = """\
# set-up (not graded): nbgrader gives 0 points to a test cell that writes to stderr, so keep warnings out
import warnings
warnings.filterwarnings("ignore")
import keras
"""

_COMMON = """\
import math
import numpy as np
import keras
from keras import layers
"""

EX01_TESTS = [
    ("test_lengths", 3, _COMMON + """\
def keras_length(n, k, s, padding):
    if isinstance(padding, int):
        n = layers.ZeroPadding2D((padding, 0)).compute_output_shape((1, n, 1, 1))[1]
        padding = "valid"
    return layers.Conv2D(1, (k, 1), strides=(s, 1), padding=padding).compute_output_shape((1, n, 1, 1))[1]

for n, k, s, p in [(32, 5, 1, "valid"), (7, 3, 2, "valid"), (8, 3, 2, "valid"), (227, 11, 4, "valid"),
                   (10, 1, 3, "valid"), (32, 5, 1, "same"), (7, 3, 2, "same"), (8, 4, 2, "same"),
                   (13, 5, 3, "same"), (224, 7, 2, "same"), (32, 5, 1, 2), (50, 3, 1, 1), (7, 3, 2, 1),
                   (28, 5, 2, 2), (9, 4, 3, 1)]:
    assert conv_output_length(n, k, stride=s, padding=p) == keras_length(n, k, s, p), (n, k, s, p)
"""),
    ("test_classic", 2, """\
assert tuple(conv_output_shape((32, 32, 3), 10, 5, 1, 2)) == (32, 32, 10)
assert conv_param_count(5, 3, 10) == 760
assert tuple(conv_output_shape((40, 50, 128), 64, 3, 1, 1)) == (40, 50, 64)
assert conv_param_count(3, 128, 64) == 73792
"""),
    ("test_conv_shapes", 1, """\
def keras_conv_shape(shape, f, k, s, p):
    if isinstance(p, int):
        shape = layers.ZeroPadding2D(p).compute_output_shape((1, *shape))[1:]
        p = "valid"
    return tuple(layers.Conv2D(f, k, strides=s, padding=p).compute_output_shape((1, *shape))[1:])

for shape, f, k, s, p in [((28, 28, 1), 32, 3, 1, "valid"), ((227, 227, 3), 96, 11, 4, "valid"),
                          ((15, 20, 3), 8, (3, 5), (2, 1), "same"), ((9, 12, 4), 6, (1, 3), (3, 2), 1)]:
    assert tuple(conv_output_shape(shape, f, k, strides=s, padding=p)) == keras_conv_shape(shape, f, k, s, p)
"""),
    ("test_pool_shapes", 1, """\
for shape, pool, s, p in [((32, 32, 16), 2, None, "valid"), ((55, 55, 96), 3, 2, "valid"),
                          ((7, 9, 3), 2, None, "same"), ((13, 13, 8), (3, 2), (2, 1), "valid")]:
    want = tuple(layers.MaxPooling2D(pool, strides=s, padding=p).compute_output_shape((1, *shape))[1:])
    assert tuple(pool_output_shape(shape, pool, strides=s, padding=p)) == want, (shape, pool, s, p)
"""),
    ("test_conv_params", 1, """\
for k, cin, f, bias in [(3, 3, 32, True), (1, 256, 64, True), ((1, 7), 16, 16, True), (3, 64, 64, False)]:
    layer = layers.Conv2D(f, k, use_bias=bias)
    layer.build((None, 10, 10, cin))
    assert conv_param_count(k, cin, f, use_bias=bias) == layer.count_params(), (k, cin, f, bias)
"""),
    ("test_dense_params", 1, """\
def keras_dense_params(fin, units, bias=True):
    # affine in fin: ask Keras at 1 and 2 inputs instead of allocating a huge kernel
    p1, p2 = (layers.Dense(units, use_bias=bias), layers.Dense(units, use_bias=bias))
    p1.build((None, 1))
    p2.build((None, 2))
    return p1.count_params() + (fin - 1) * (p2.count_params() - p1.count_params())

for fin, units, bias in [(784, 128, True), (4096, 1000, True), (64, 10, False)]:
    assert dense_param_count(fin, units, use_bias=bias) == keras_dense_params(fin, units, bias), (fin, units, bias)
"""),
    ("test_flatten", 1, """\
for shape, units in [((6, 6, 256), 4096), ((7, 7, 512), 4096), ((4, 4, 64), 10)]:
    features = layers.Flatten().compute_output_shape((None, *shape))[1]
    assert flatten_dense_param_count(shape, units) == keras_dense_params(features, units), (shape, units)
"""),
    ("test_random_cases", 3, """\
rng = np.random.default_rng(11)
for _ in range(20):
    n, k, s = int(rng.integers(5, 300)), int(rng.integers(1, 12)), int(rng.integers(1, 5))
    p = ["valid", "same", int(rng.integers(0, 4))][int(rng.integers(3))]
    if k <= n + 2 * (p if isinstance(p, int) else 0):
        assert conv_output_length(n, k, stride=s, padding=p) == keras_length(n, k, s, p), (n, k, s, p)
for _ in range(10):
    shape = (int(rng.integers(8, 80)), int(rng.integers(8, 80)), int(rng.integers(1, 64)))
    f, k, s = int(rng.integers(1, 128)), int(rng.integers(1, 8)), int(rng.integers(1, 5))
    p = ["valid", "same"][int(rng.integers(2))]
    assert tuple(conv_output_shape(shape, f, k, strides=s, padding=p)) == keras_conv_shape(shape, f, k, s, p)
    want = tuple(layers.MaxPooling2D(k, strides=s, padding=p).compute_output_shape((1, *shape))[1:])
    assert tuple(pool_output_shape(shape, k, strides=s, padding=p)) == want
    cin, bias = int(rng.integers(1, 512)), bool(rng.random() < 0.7)
    layer = layers.Conv2D(f, k, use_bias=bias)
    layer.build((None, 16, 16, cin))
    assert conv_param_count(k, cin, f, use_bias=bias) == layer.count_params()
    fin, units = int(rng.integers(1, 10000)), int(rng.integers(1, 5000))
    assert dense_param_count(fin, units, use_bias=bias) == keras_dense_params(fin, units, bias)
"""),
]

EX02_TESTS = [
    ("test_same_padding", 1, _COMMON + """\
def keras_same_padding(n, k, s):
    # read (before, after) off a real Conv2D: filter j picks tap j only
    x = np.arange(1, n + 1, dtype="float32").reshape(1, n, 1, 1)
    w = np.zeros((k, 1, 1, k), dtype="float32")
    for j in range(k):
        w[j, 0, 0, j] = 1.0
    conv = layers.Conv2D(k, (k, 1), strides=(s, 1), padding="same", use_bias=False)
    conv.build(x.shape)
    conv.set_weights([w])
    y = np.asarray(conv(x))
    before = int(np.argmax(np.isclose(y[0, 0, 0, :], 1.0)))
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return before, total - before

for n, k, s in [(7, 3, 1), (8, 4, 1), (7, 3, 2), (8, 3, 2), (5, 2, 2), (224, 7, 2), (6, 1, 3)]:
    assert tuple(same_padding(n, k, s)) == keras_same_padding(n, k, s), (n, k, s)
"""),
    ("test_conv_valid", 2, """\
rng = np.random.default_rng(11)

def check_conv(cases):
    for (n, h, wd, cin), (kh, kw, f), s, p in cases:
        x = rng.uniform(-1, 1, (n, h, wd, cin)).astype("float32")
        w = rng.uniform(-0.5, 0.5, (kh, kw, cin, f)).astype("float32")
        b = rng.uniform(-0.5, 0.5, (f,)).astype("float32")
        conv = layers.Conv2D(f, (kh, kw), strides=s, padding=p)
        conv.build(x.shape)
        conv.set_weights([w, b])
        got = conv2d_forward(x, w, b, stride=s, padding=p)
        np.testing.assert_allclose(np.asarray(got), np.asarray(conv(x)), atol=1e-5, rtol=1e-5)

check_conv([((2, 7, 7, 1), (3, 3, 2), 1, "valid"), ((1, 6, 6, 3), (2, 2, 4), 1, "valid"),
            ((2, 5, 8, 3), (3, 1, 2), 1, "valid")])
"""),
    ("test_conv_same", 2, """\
check_conv([((2, 7, 7, 3), (3, 3, 2), 1, "same"), ((1, 8, 8, 1), (4, 4, 2), 1, "same"),
            ((1, 6, 7, 3), (2, 3, 3), 1, "same")])
"""),
    ("test_conv_strided", 2, """\
check_conv([((1, 9, 9, 1), (3, 3, 2), 2, "valid"), ((2, 7, 7, 3), (3, 3, 2), 2, "same"),
            ((1, 8, 8, 3), (4, 4, 3), 2, "same"), ((1, 7, 8, 1), (2, 2, 1), 2, "same")])
"""),
    ("test_max_pooling", 2, """\
def check_pool(cases):
    for shape, pool, s, p in cases:
        x = rng.uniform(-1.5, 0.5, shape).astype("float32")
        want = np.asarray(layers.MaxPooling2D(pool, strides=s, padding=p)(x))
        got = max_pool2d_forward(x, pool_size=pool, stride=s, padding=p)
        np.testing.assert_allclose(np.asarray(got), want, atol=1e-5, rtol=1e-5)

check_pool([((2, 8, 8, 3), 2, None, "valid"), ((1, 7, 7, 2), 3, 2, "valid"),
            ((1, 7, 9, 2), 2, None, "same"), ((1, 5, 5, 1), 3, 2, "same")])
"""),
    ("test_downsample_cost", 1, """\
def want_cost(shape, f, k):
    full = layers.Conv2D(f, k, padding="same").compute_output_shape((1, *shape))
    strided = layers.Conv2D(f, k, strides=2, padding="same").compute_output_shape((1, *shape))
    per = k * k * shape[2]
    return {"conv_then_pool": full[1] * full[2] * f * per, "strided_conv": strided[1] * strided[2] * f * per}

for shape, f, k in [((32, 32, 3), 16, 3), ((7, 9, 8), 4, 5), ((224, 224, 64), 64, 3)]:
    assert dict(downsample_cost(shape, f, k)) == want_cost(shape, f, k), (shape, f, k)
"""),
    ("test_random_cases", 4, """\
for _ in range(15):
    n, k, s = int(rng.integers(1, 64)), int(rng.integers(1, 8)), int(rng.integers(1, 5))
    assert tuple(same_padding(n, k, s)) == keras_same_padding(n, k, s), (n, k, s)
cases = []
for _ in range(4):
    k = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    shape = (int(rng.integers(1, 3)), int(rng.integers(k[0] + 1, 12)), int(rng.integers(k[1] + 1, 12)),
             int(rng.choice([1, 3])))
    cases.append((shape, (*k, int(rng.integers(1, 4))), int(rng.integers(1, 3)), str(rng.choice(["valid", "same"]))))
check_conv(cases)
pools = []
for _ in range(3):
    p = int(rng.integers(2, 4))
    shape = (1, int(rng.integers(p, 12)), int(rng.integers(p, 12)), int(rng.integers(1, 4)))
    pools.append((shape, p, None if rng.random() < 0.5 else int(rng.integers(1, 3)), str(rng.choice(["valid", "same"]))))
check_pool(pools)
for _ in range(3):
    shape = (int(rng.integers(3, 64)), int(rng.integers(3, 64)), int(rng.integers(1, 32)))
    f, k = int(rng.integers(1, 64)), int(rng.choice([1, 3, 5]))
    assert dict(downsample_cost(shape, f, k)) == want_cost(shape, f, k), (shape, f, k)
"""),
]

EX03_TESTS = [
    ("test_conv_stack_layers", 3, _COMMON + """\
def reference_stack(input_shape, num_classes):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")])

def layer_rows(model):
    rows = []
    for layer in model.layers:
        cls = type(layer).__name__
        if cls == "InputLayer":
            continue
        if cls in ("Activation", "ReLU", "Softmax") and rows:
            rows[-1]["activation"] = {"ReLU": "relu", "Softmax": "softmax"}.get(cls) or layer.activation.__name__
            rows[-1]["shape"] = tuple(layer.output.shape[1:])
            continue
        act = getattr(getattr(layer, "activation", None), "__name__", None)
        rows.append({"class": cls, "shape": tuple(layer.output.shape[1:]), "params": layer.count_params(),
                     "activation": None if act == "linear" else act, "padding": getattr(layer, "padding", None)})
    return rows

def check_stack(input_shape, num_classes):
    model, ref = build_conv_stack(input_shape, num_classes), reference_stack(input_shape, num_classes)
    assert isinstance(model, keras.Model)
    assert tuple(model.inputs[0].shape[1:]) == tuple(input_shape)
    got, want = layer_rows(model), layer_rows(ref)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"layer {i}: {g} != {w}"
    assert len(got) == len(want), f"{len(got)} layers, expected {len(want)}"
    assert model.count_params() == ref.count_params()

check_stack((32, 32, 3), 10)
assert build_conv_stack().count_params() == 204490
"""),
    ("test_conv_stack_arguments", 1, """\
check_stack((28, 28, 1), 5)
"""),
    ("test_conv_stack_sizes", 1, """\
rng = np.random.default_rng(11)
check_stack((int(rng.integers(12, 40)), int(rng.integers(12, 40)), int(rng.choice([1, 3, 4]))),
            int(rng.integers(2, 20)))
"""),
    ("test_digits_rules", 2, """\
model = build_digits_model((8, 8, 1), 10)
assert any(type(layer).__name__ == "Conv2D" for layer in model.layers), "no Conv2D layer"
assert model.count_params() <= 20000, f"{model.count_params():,} parameters > 20,000"
assert tuple(model.inputs[0].shape[1:]) == (8, 8, 1)
assert tuple(model.outputs[0].shape[1:]) == (10,)
assert getattr(model, "compiled", False) and model.loss is not None, "not compiled"
"""),
    ("test_digits_accuracy", 3, """\
from datasets.digits import load_digits_split
(x_train, y_train), (x_test, y_test) = load_digits_split()
keras.utils.set_random_seed(11)
model = build_digits_model((8, 8, 1), 10)
assert model.count_params() <= 20000, "over the parameter budget: not trained"
assert getattr(model, "compiled", False), "not compiled: cannot be trained"
model.fit(x_train, y_train, epochs=20, batch_size=32, shuffle=True, verbose=0)
probs = model.predict(x_test, batch_size=256, verbose=0)
accuracy = float(np.mean(np.argmax(probs, axis=-1) == y_test))
assert accuracy >= 0.93, f"test accuracy {accuracy:.3f} < 0.93"
"""),
]

TESTS = {"ex01": EX01_TESTS, "ex02": EX02_TESTS, "ex03": EX03_TESTS}


# ----------------------------------------------------------------------------- notebooks
def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _cell(kind: str, source: str, cell_id: str, nbgrader: dict | None = None) -> dict:
    cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": _lines(source)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    if nbgrader is not None:
        cell["metadata"]["nbgrader"] = {"schema_version": 3, "task": False, **nbgrader}
    return cell


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": KERNEL, "display_name": "Python (keras course venv)",
                                        "language": "python"},
                         "language_info": {"name": "python"}}}


def source_notebook(ex: str) -> dict:
    solution = (ROOT / "solutions" / f"{MODULES[ex]}.py").read_text()
    cells = [_cell("markdown", f"# {ex}: {MODULES[ex]}\n\nWrite your functions in the cell below.", "intro"),
             _cell("code", SETUP, "setup", {"grade": False, "grade_id": "setup", "locked": True, "solution": False}),
             _cell("code", "### BEGIN SOLUTION\n" + solution.rstrip("\n") + "\n### END SOLUTION\n", "answer",
                   {"grade": False, "grade_id": "answer", "locked": False, "solution": True})]
    for grade_id, points, src in TESTS[ex]:
        cells.append(_cell("code", src, grade_id.replace("_", "-"),
                           {"grade": True, "grade_id": grade_id, "locked": True, "points": points,
                            "solution": False}))
    return _notebook(cells)


def student_notebook(released: dict, code: str) -> dict:
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = _lines(code)
    return nb


# ----------------------------------------------------------------------------- course and run
def available() -> bool:
    return (NBGRADER_VENV / "bin" / "nbgrader").exists()


def _ensure_ipykernel() -> None:
    if subprocess.run([str(PROJECT_PYTHON), "-c", "import ipykernel"], capture_output=True).returncode != 0:
        subprocess.run([str(PROJECT_PYTHON), "-m", "pip", "install", "--quiet", "ipykernel>=6.29,<8"], check=True)


def _env(jupyter: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(JUPYTER_PATH=str(jupyter / "data"), JUPYTER_DATA_DIR=str(jupyter / "data"),
               JUPYTER_CONFIG_DIR=str(jupyter / "config"), JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
               IPYTHONDIR=str(jupyter / "ipython"), TF_CPP_MIN_LOG_LEVEL="2",
               PATH=f"{NBGRADER_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return env


def _register_kernel(jupyter: Path) -> None:
    spec = jupyter / "data" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(PROJECT_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 # TensorFlow's C++ start-up lines go to the kernel's own stderr, not into a graded cell
                 "--IPKernelApp.capture_fd_output=False"],
        "display_name": "Python (keras course venv)", "language": "python"}, indent=1))


CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "keras-course-bench"
c.Execute.kernel_name = {kernel!r}
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.ExecutePreprocessor.kernel_name = {kernel!r}
c.ExecutePreprocessor.timeout = {timeout}
"""

# runs nbgrader as a child and prints the largest ru_maxrss (KiB) among its process tree
_WRAPPER = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)")


def _nbgrader(args: list[str], course: Path, env: dict[str, str], log) -> float:
    """Run `nbgrader ARGS` in the course folder; peak resident memory (MB) of its process tree."""
    p = subprocess.run([str(NBGRADER_VENV / "bin" / "python"), "-c", _WRAPPER, str(NBGRADER_VENV / "bin" / "nbgrader"),
                        *args], cwd=course, env=env, stdout=log, stderr=subprocess.PIPE, text=True)
    *rest, last = p.stderr.rstrip("\n").splitlines() or ["0"]
    log.write("\n".join(rest) + "\n")
    log.flush()
    if p.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} exited with {p.returncode}; see {log.name}")
    return int(last) / 1024


def build_course(folders: dict[str, Path], course: Path, jupyter: Path, cell_timeout: int) -> dict[str, str]:
    """The course folder with source, release and submitted notebooks; returns the environment to run in."""
    _ensure_ipykernel()
    _register_kernel(jupyter)
    env = _env(jupyter)
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), kernel=KERNEL, timeout=cell_timeout))
    with open(course / "setup.log", "w") as log:
        for ex in folders:
            src = course / "source" / ex
            src.mkdir(parents=True)
            (src / f"{ex}.ipynb").write_text(json.dumps(source_notebook(ex), indent=1))
            _nbgrader(["generate_assignment", ex, "--force"], course, env, log)
            released = json.loads((course / "release" / ex / f"{ex}.ipynb").read_text())
            for f in sorted(folders[ex].glob("*.py")):
                dest = course / "submitted" / f.stem / ex
                dest.mkdir(parents=True)
                (dest / f"{ex}.ipynb").write_text(json.dumps(student_notebook(released, f.read_text()), indent=1))
    return env


def run_autograde(folders: dict[str, Path], cell_timeout: int = 60, keep: Path | None = None,
                  scores: dict | None = None) -> tuple[float, int, float]:
    """(seconds, submissions, peak MB) of `nbgrader autograde` over the corpus, one assignment per exercise.

    Only autograde is timed (generating the assignment and writing the notebooks is set-up).  With
    `scores`, fills {exNN: {student: (score, max_score)}} from `nbgrader export` afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    try:
        course = tmp / "course"
        env = build_course(folders, course, tmp / "jupyter", cell_timeout)
        peak, count = 0.0, 0
        with open(course / "autograde.log", "w") as log:
            start = time.perf_counter()
            for ex, d in folders.items():
                peak = max(peak, _nbgrader(["autograde", ex, "--force"], course, env, log))
                count += len(list(d.glob("*.py")))
            seconds = time.perf_counter() - start
            if scores is not None:
                _nbgrader(["export", "--to", str(course / "grades.csv")], course, env, log)
                with open(course / "grades.csv") as f:
                    for row in csv.DictReader(f):
                        scores.setdefault(row["assignment"], {})[row["student_id"]] = (
                            float(row["score"]), float(row["max_score"]))
        return seconds, count, peak
    finally:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(tmp, keep, symlinks=True)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12, help="number of submissions (default 12)")
    ap.add_argument("--cell-timeout", type=int, default=60, help="seconds per notebook cell (default 60)")
    ap.add_argument("--keep", type=Path, help="copy the nbgrader course folder here (logs, autograded notebooks)")
    args = ap.parse_args()
    if not available():
        print("bench/nbgrader-venv is not installed; `make bench-nbgrader` creates it", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from batch import corpus
    tmp = Path(tempfile.mkdtemp(prefix="bench-nbgrader-corpus-"))
    try:
        folders = corpus(args.n, tmp / "subs")
        scores: dict = {}
        secs, n, peak = run_autograde(folders, args.cell_timeout, args.keep, scores)
        origin = {p.read_bytes(): p.relative_to(ROOT) for p in [*ROOT.glob("solutions/ex0[123]_*.py"),
                  *ROOT.glob("exercises/ex0[123]_*.py"), *ROOT.glob("tests/submissions/ex0[123]/*.py"),
                  *ROOT.glob("tests/hostile/*.py")]}
        for ex, d in folders.items():
            for f in sorted(d.glob("*.py")):
                score, total = scores.get(ex, {}).get(f.stem, (float("nan"), float("nan")))
                print(f"  {ex} {f.stem}: {score:4g}/{total:g}  {origin.get(f.read_bytes(), '?')}")
        print(f"{'approach':32} {'subs':>5} {'seconds':>8} {'subs/min':>9} {'peak MB*':>9}")
        print(f"{'nbgrader autograde':32} {n:5d} {secs:8.1f} {n / secs * 60:9.1f} {peak:9.0f}")
        print("* peak resident memory of the largest process (nbgrader or one kernel)")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
