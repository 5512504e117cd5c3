"""`grade release`: what students receive, without the reference answers, and notebooks that
really run: every released notebook executed headless (nbclient + ipykernel), once as released
(every check cell NOT_ATTEMPTED) and once with the reference functions pasted into its cells
(every check cell full marks).

Executing a notebook costs a kernel start, Keras imported in it, a sandbox server and the
exercise's checks.  By default the notebooks of ex01, ex02, ex03, ex07 and ex09 run (stubs and
references); every notebook runs under ``-m slow``.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from grader import checks
from grader.front import release
from grader.core.lookup import checks_using, exercise_api

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUN = ["ex01", "ex02", "ex03", "ex07", "ex09"]
ALL = list(checks.module_names())
SLOW_ONLY = [e for e in ALL if e not in DEFAULT_RUN]

@pytest.fixture(scope="module")
def release_dir():
    """The release, built outside /tmp: the sandbox hides /tmp from student code (bubblewrap), so a
    course folder there would not be importable by the child processes."""
    (ROOT / "build").mkdir(exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="test-release-", dir=ROOT / "build"))
    release.build(out, force=True)
    yield out
    shutil.rmtree(out, ignore_errors=True)


# ------------------------------------------------------------------ what is in it
def test_release_layout(release_dir):
    for name in ("README.md", "pyproject.toml", "requirements.txt", "grader/front/cli.py", "grader/notebook.py", "grader/front/notebook.py",
                 "grader/checks/ex01_conv_arithmetic.py", "grader/recipes/__init__.py", "grader/locale/ko",
                 "datasets/digits.py", "exercises/ex01_conv_arithmetic.py", "docs/ex11_reference.png"):
        assert (release_dir / name).exists(), name
    assert not (release_dir / "solutions").exists() and not (release_dir / "tests").exists()
    assert not list(release_dir.rglob("__pycache__"))
    assert sorted(p.stem for p in (release_dir / "notebooks").glob("*.ipynb")) == \
        [checks.module_names()[e] for e in ALL]
    pyproject = (release_dir / "pyproject.toml").read_text()
    assert "solutions" not in pyproject and 'grade = "grader.front.cli:main"' in pyproject
    readme = (release_dir / "README.md").read_text()
    for words in ("pip install", "jupyter", "from grader.notebook import check", 'check("ex01")', "grade ex01",
                  "NOT_ATTEMPTED", "### Google Colab", "dist/keras_course-0.1.0-py3-none-any.whl",
                  "%pip install -q /content/keras_course-0.1.0-py3-none-any.whl", "### Windows",
                  r".venv\Scripts\pip install", "macOS"):
        assert words in readme, words
    assert (release_dir / "dist" / "keras_course-0.1.0-py3-none-any.whl").is_file()  # what the README names


def test_every_exercise_file_is_the_untouched_stub(release_dir):
    for stub in (ROOT / "exercises").glob("*.py"):
        assert (release_dir / "exercises" / stub.name).read_text() == stub.read_text()


@pytest.mark.parametrize("ex_id", ALL)
def test_notebook_structure(release_dir, ex_id):
    ex = checks.get(ex_id)
    nb = nbformat.read(str(release_dir / "notebooks" / f"{ex.module}.ipynb"), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "from grader.notebook import check" in code[0].source
    assert all(not c.get("outputs") for c in code)
    # the teaching text: every paragraph of the module docstring is in a markdown cell
    doc = ast.get_docstring(ast.parse((ROOT / "exercises" / f"{ex.module}.py").read_text()))
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for para in re.split(r"\n\s*\n", doc.split("\n", 1)[1].strip()):
        assert para.strip() in markdown, para[:80]
    # one code cell per function / class, with its signature and stub body, then its check cell
    for name in exercise_api(ex):
        i = next(i for i, c in enumerate(code) if re.search(rf"^(def|class) {name}\b", c.source, re.M))
        assert "raise NotImplementedError" in code[i].source
        assert code[i + 1].source == f'check("{ex_id}", "{name}")'
        assert checks_using(ex, name)
    assert code[-1].source == f'check("{ex_id}")'


# ------------------------------------------------------------------ no reference answers
def test_the_scanner_finds_a_pasted_solution(tmp_path):
    """The search is real: a solution body pasted in a .py file or a notebook cell is found,
    whatever its formatting."""
    body = "    rf, jump = 1, 1\n    for kernel_size, stride in layers:\n        rf += (kernel_size - 1) * jump\n" \
           "        jump *= stride\n    return (rf)\n"
    (tmp_path / "copy.py").write_text("def receptive_field(layers):\n    '''mine'''\n" + body.replace(", 1", ",1"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "%matplotlib inline\ndef conv_param_count(kernel_size, in_channels, filters, use_bias=True):\n"
        + _solution_source("ex01_conv_arithmetic", "conv_param_count").split("\n", 1)[1])])
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    hits = {name for _, name in release.find_solution_bodies(tmp_path, ROOT / "solutions")}
    assert hits == {"ex04_parameter_efficiency:receptive_field", "ex01_conv_arithmetic:conv_param_count"}


def _plant_in_wheel(release_dir: Path, folder: Path, source: str) -> None:
    """A copy of the release's wheel in folder/dist/, with ``source`` added as grader/checks/planted.py."""
    import zipfile
    wheel = next((release_dir / "dist").glob("*.whl"))
    (folder / "dist").mkdir()
    shutil.copy(wheel, folder / "dist" / wheel.name)
    with zipfile.ZipFile(folder / "dist" / wheel.name, "a") as z:
        z.writestr("grader/checks/planted.py", source + "\n")


def test_the_release_holds_no_solution_body(release_dir, tmp_path):
    """Search every file of the release (and of its wheel) for the body of every function of
    solutions/ (normalised with ast.unparse, docstrings left out; a body equal to the stub's is no
    answer).  Nothing is found, not even a generic helper: release.GENERIC_HELPERS -- the one list
    `grade release` uses too -- is empty since ex11's judge stopped rescaling images itself (#27).
    That the search reads the wheel is shown on a copy of the release's own wheel with one reference
    body planted in it."""
    assert release.GENERIC_HELPERS == {}
    assert release.find_solution_bodies(release_dir, ROOT / "solutions") == []
    assert release.find_solution_bodies(release_dir, ROOT / "solutions", include_allowed=True) == []
    _plant_in_wheel(release_dir, tmp_path, _solution_source("ex01_conv_arithmetic", "conv_param_count"))
    hits = release.find_solution_bodies(tmp_path, ROOT / "solutions")
    assert [(rel.split("!", 1)[-1], name) for rel, name in hits if "!" in rel] == \
        [("grader/checks/planted.py", "ex01_conv_arithmetic:conv_param_count")], hits


# ------------------------------------------------------------------ no answer's code, by what it computes
def test_the_scanner_finds_a_renamed_copy_and_a_rewrite(tmp_path):
    """Held against every solution function by syntax tree and by outputs on the public cases, not by name:
    a copy with every name changed (in a check module and in a notebook cell) and a rewrite that computes the
    same are found; a function that computes something else, or only looks up the shipped values, is not."""
    from grader.front import leaks
    checks_dir = tmp_path / "grader" / "checks"
    checks_dir.mkdir(parents=True)
    iou_body = _solution_source("ex06_vision_applications", "iou").split("\n", 1)[1]
    (checks_dir / "ex99_planted.py").write_text(
        "import numpy as np\n\n\n"
        "def overlap_of(first, second):\n"
        "    \"\"\"not an iou, honest\"\"\"\n"
        + iou_body.replace("box_a", "first").replace("box_b", "second") + "\n\n\n"
        "def how_long(size, k, step=1, pad='valid'):\n"  # ex01's formula, written otherwise
        "    if pad == 'same':\n        return -(-size // step)\n"
        "    extra = 0 if pad == 'valid' else 2 * int(pad)\n"
        "    return (size + extra - k) // step + 1\n\n\n"
        "def unrelated(n, kernel_size, stride=1, padding='valid'):\n"
        "    return n * kernel_size + stride\n\n\n"
        "def looked_up(n, kernel_size, stride=1, padding='valid'):\n"
        "    from grader.judge import answers\n"
        "    return answers.Table('ex01_conv_arithmetic')('conv_output_length', n, kernel_size, stride, padding)\n")
    rf = _solution_source("ex04_parameter_efficiency", "receptive_field")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "%matplotlib inline\n" + rf.replace("def receptive_field(layers)", "def rf(stack)").replace("layers", "stack"))])
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, str(tmp_path / "notebooks" / "nb.ipynb"))
    found = leaks.find(tmp_path, ROOT / "solutions", ROOT / "exercises")
    got = set(found)
    assert ("grader/checks/ex99_planted.py", "overlap_of", "ex06_vision_applications:iou", "syntax") in got, found
    assert ("grader/checks/ex99_planted.py", "overlap_of", "ex06_vision_applications:iou", "outputs") in got, found
    assert ("grader/checks/ex99_planted.py", "how_long", "ex01_conv_arithmetic:conv_output_length", "outputs") in got
    assert ("notebooks/nb.ipynb", "rf", "ex04_parameter_efficiency:receptive_field", "syntax") in got, found
    assert not {name for _w, name, _s, _h in found} & {"unrelated", "looked_up"}, found


# ex04's references as the check module held them before they moved to grader/answers/ (issue #27 part 7): kept
# "as data rather than as a function a student could paste", and still the answer's code.
EX04_OLD_REFERENCES = """
import functools

import keras
from keras import layers


def _apply(x, table):
    for cls, kwargs in table:
        x = getattr(layers, cls)(**kwargs)(x)
    return x


def _ref_vgg_block(x, filters, num_convs):
    conv = ("Conv2D", {"filters": filters, "kernel_size": 3, "padding": "same", "activation": "relu"})
    return _apply(x, [conv] * num_convs + [("MaxPooling2D", {"pool_size": 2})])


def _ref_bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    return _apply(x, [("Conv2D", {"filters": reduce_filters, "kernel_size": 1, "activation": "relu"}),
                      ("Conv2D", {"filters": out_filters, "kernel_size": kernel_size, "padding": "same",
                                  "activation": "relu"})])


def _alexnet(input_shape, num_classes, conv1_padding="valid", last_pool=True, use_bias=True):
    conv = functools.partial(layers.Conv2D, activation="relu", use_bias=use_bias)
    stack = [keras.Input(shape=tuple(input_shape)),
             conv(96, 11, strides=4, padding=conv1_padding), layers.MaxPooling2D(3, 2),
             conv(256, 5, padding="same"), layers.MaxPooling2D(3, 2),
             conv(384, 3, padding="same"), conv(384, 3, padding="same"), conv(256, 3, padding="same")]
    stack += [layers.MaxPooling2D(3, 2)] if last_pool else []
    stack += [layers.Flatten(), layers.Dense(4096, activation="relu"), layers.Dropout(0.5),
              layers.Dense(4096, activation="relu"), layers.Dropout(0.5),
              layers.Dense(num_classes, activation="softmax")]
    return keras.Sequential(stack)


def _vgg_variant(input_shape, num_classes, head="flatten", last_pool=True):
    x = inp = keras.Input(shape=tuple(input_shape))
    for i, (f, n) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]):
        for _ in range(n):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        if i < 4 or last_pool:
            x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x) if head == "flatten" else layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    return keras.Model(inp, layers.Dense(num_classes, activation="softmax")(x))
"""


def test_the_scanner_finds_a_reference_model_builder(tmp_path):
    """A function of the judge's side that asks Keras is held to the models the solution builds on the public
    cases (layer classes, output shapes, counts): ex04's old reference blocks, AlexNet and VGG16 are found;
    a Keras function that builds another block, one that returns a plain value read off a Keras layer (Keras's
    own truth) and one that only looks the shipped config up are not."""
    from grader.front import leaks
    checks_dir = tmp_path / "grader" / "checks"
    checks_dir.mkdir(parents=True)
    (checks_dir / "ex99_planted.py").write_text(EX04_OLD_REFERENCES + (
        "\n\n"
        "def other_block(x, filters, num_convs):\n"
        "    return layers.Conv2D(filters, 5)(x)\n\n\n"
        "def keras_count(kernel_size, in_channels, filters):\n"
        "    layer = layers.Conv2D(filters, kernel_size)\n"
        "    layer.build((None, 9, 9, in_channels))\n"
        "    return layer.count_params()\n\n\n"
        "def looked_up(x, filters, num_convs):\n"
        "    from grader.judge import answers\n"
        "    config = answers.Table('ex04_parameter_efficiency')('block_config', 'vgg_block', x.shape[1:], filters,"
        " num_convs)\n"
        "    return keras.saving.deserialize_keras_object(config)(x)\n"))
    found = leaks.find(tmp_path, ROOT / "solutions", ROOT / "exercises")
    got = {(name, solution) for where, name, solution, how in found if how == "outputs"}
    assert got == {("_ref_vgg_block", "ex04_parameter_efficiency:vgg_block"),
                   ("_ref_bottleneck", "ex04_parameter_efficiency:bottleneck"),
                   ("_alexnet", "ex04_parameter_efficiency:alexnet"),
                   ("_vgg_variant", "ex04_parameter_efficiency:vgg16")}, found


def test_the_release_holds_no_function_that_computes_an_answer(release_dir, tmp_path):
    """Every function of the built release (folder and wheel) against every solution function: nothing but
    what leaks.NOT_YET_MOVED lists (with its reason) is found, and everything it lists is really found --
    nothing, since ex03's and ex06's references moved too.  That the wheel is searched is shown on a copy of
    the release's own wheel with one reference function planted in it (the release itself gives nothing to
    find there any more)."""

    from grader.front import leaks
    found = leaks.find(release_dir, ROOT / "solutions", ROOT / "exercises")
    assert [h for h in found if not leaks.not_yet_moved(h[0], h[1])] == []
    assert not [h for h in found if "ex02_padding_stride" in h[0] or "ex04_parameter_efficiency" in h[0]], found
    assert {(h[0].split("!", 1)[-1], h[1]) for h in found} == set(leaks.NOT_YET_MOVED)
    assert leaks.NOT_YET_MOVED == {} and found == []
    _plant_in_wheel(release_dir, tmp_path, _solution_source("ex06_vision_applications", "rpn_head"))
    hits = leaks.find(tmp_path, ROOT / "solutions", ROOT / "exercises")
    assert [(w.split("!", 1)[-1], n, s) for w, n, s, _how in hits if "!" in w] == \
        [("grader/checks/planted.py", "rpn_head", "ex06_vision_applications:rpn_head")], hits


def test_the_release_ships_expected_values_not_their_code(release_dir):
    """grader/answers/ (the instructor's code of the truths) is in neither the folder nor the wheel; the
    values of the public cases are, next to their check modules."""
    import zipfile

    from grader.judge import answers
    assert (ROOT / "grader" / "answers" / "ex06_vision_applications.py").is_file()
    assert not (release_dir / "grader" / "answers").exists()
    with zipfile.ZipFile(next((release_dir / "dist").glob("*.whl"))) as z:
        names = z.namelist()
    assert not any(n.startswith("grader/answers/") for n in names)
    for module in ("ex02_padding_stride", "ex04_parameter_efficiency", "ex06_vision_applications", "ex07_rnn",
                   "ex08_lstm", "ex09_gru", "ex10_attention"):
        path = release_dir / "grader" / "checks" / f"{module}{answers.SUFFIX}"
        table = json.loads(path.read_text())
        assert len(table) > 10, (module, len(table))
        assert f"grader/checks/{module}{answers.SUFFIX}" in names
        # every release folder and wheel carries them (measured: ex08 0.70 MB with its values in float32, 2.4 MB
        # in float64 with every part of the LSTM's result; ex10 0.84 MB)
        assert path.stat().st_size < 1_000_000, (module, path.stat().st_size)
    assert "checks/*.answers.json" in (release_dir / "pyproject.toml").read_text()
    # the quizzes' formulas: their values for every question of the bank, not their code
    from grader.quizzes import formulas
    assert (ROOT / "grader" / "answers" / "formulas.py").is_file()
    table = json.loads(formulas.TABLE.released_path(release_dir / "grader").read_text())
    assert len(table) > 1000 and all(len(k) == 16 for k in table)
    assert f"grader/quizzes/formulas{answers.SUFFIX}" in names
    assert "quizzes/*.answers.json" in (release_dir / "pyproject.toml").read_text()


def test_float32_values_read_back_bit_for_bit():
    """A table's float32 arrays are written as the shortest decimals (half the digits of float64) and read back
    as the very same float32 numbers: any finite bit pattern, infinities, signed zeros and subnormals (and NaN
    as NaN)."""
    import numpy as np

    from grader.judge import answers
    rng = np.random.default_rng(0)
    numbers = rng.integers(0, 2 ** 32, 300_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    numbers = numbers[np.isfinite(numbers)][:7 * 40_000 - 7]
    values = np.concatenate([numbers, np.array([np.inf, -np.inf, 0.0, -0.0, 1e-45, 0.1, np.nan], np.float32)])
    values = values.reshape(-1, 7)
    back = answers.decode(json.loads(json.dumps(answers.encode(values))))
    assert back.dtype == np.float32 and back.shape == values.shape
    assert np.array_equal(back.ravel()[:-1].view(np.uint32), values.ravel()[:-1].view(np.uint32))
    assert np.isnan(back[-1, -1])
    assert json.dumps(answers.encode(np.array([0.1, 1 / 3], np.float32))).startswith('{"array": [0.1, 0.33333334]')


def _grade_json(ex_id: str, path: Path, pythonpath: Path, *extra: str) -> dict:
    import subprocess
    import sys
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "LC_ALL": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3"}
    code = ("import sys, grader, grader.front.cli; print('GRADER_FROM', grader.__file__, flush=True); "
            "grader.front.cli.main(sys.argv[1:])")
    p = subprocess.run([sys.executable, "-c", code, ex_id, "--file", str(path), "--json", *extra],
                       cwd=pythonpath, env=env, capture_output=True, text=True, timeout=600)
    first, _, rest = p.stdout.partition("\n")
    assert first.startswith(f"GRADER_FROM {pythonpath}"), p.stdout + p.stderr
    return json.loads(rest)


def _verdicts(report: dict) -> list[tuple]:
    return [(c["name"], c["status"], c["points"], c["message"]) for c in report["checks"]]


@pytest.mark.parametrize("ex_id, files", [
    ("ex05", ["mutant_relu_before_add.py", "mutant_inception_order.py", "mutant_transition_round.py",
              "alt_subclass_d2l_blocks.py", None]),
    ("ex06", ["mutant_nms_ge_threshold.py", "mutant_nms_reverse_ties.py", "mutant_iou_no_clamp.py", None]),
    ("ex07", ["mutant_transposed_recurrent.py", "mutant_includes_h0.py", None]),
    ("ex09", ["mutant_gate_order.py", "mutant_paper_gru.py", None]),
    ("ex10", ["mutant_pe_halves.py", "mutant_no_scaling.py", "mutant_mask_inverted.py",
              "mutant_mha_key_value_swapped.py", None]),
    ("ex02", ["mutant_symmetric_padding.py", None]),
    ("ex04", ["mutant_linear_bottleneck.py", None]),
])
def test_the_release_gives_the_full_graders_public_verdicts(release_dir, ex_id, files):
    """`grade` from the release (expected values read from its tables) and from the course (computed by
    grader/answers/): the same public verdicts, messages and named mistakes included, for the reference and
    for mutants whose mistakes are named from those values."""
    ex = checks.get(ex_id)
    for name in files:
        path = (ROOT / "solutions" / f"{ex.module}.py" if name is None
                else ROOT / "tests" / "submissions" / ex_id / name)
        released = _grade_json(ex_id, path, release_dir)
        full = _grade_json(ex_id, path, ROOT)
        assert _verdicts(released) == _verdicts(full), name
        assert any(c["status"] == "FAIL" for c in full["checks"]) == str(name).startswith("mutant"), name


def test_the_release_names_ex08s_wrong_gate_order(release_dir):
    """ex08's named mistakes (every wrong order of the gate blocks, ...) are values of the release's table, asked
    for on every public case whatever the submission: the release's `grade` tells a cell that reads the blocks
    as i, f, o, c so in every check of the numpy LSTM and of the Keras cell, as the full grader does, and gives
    the reference full public marks (no value of its cases is missing)."""
    ex = checks.get("ex08")
    path = ROOT / "tests" / "submissions" / "ex08" / "mutant_gate_order.py"
    released = _grade_json("ex08", path, release_dir)
    assert _verdicts(released) == _verdicts(_grade_json("ex08", path, ROOT))
    named = {c["name"] for c in released["checks"] if c["status"] == "FAIL" and
             "gates in the wrong order: you read the 4 blocks as i, f, o, c" in c["message"]}
    assert named == {"cell_step_matches_keras", "forward_last_state", "forward_sequences",
                     "keras_cell_matches_lstm"}, released["checks"]
    reference = _grade_json("ex08", ROOT / "solutions" / f"{ex.module}.py", release_dir)
    assert {c["name"]: c["status"] for c in reference["checks"]} == {c.name: "PASS" for c in ex.checks
                                                                    if not c.hidden}


@pytest.mark.parametrize("ex_id, name", [
    ("ex02", "mutant_forgot_bias.py"),  # conv2d_forward's variants (numpy convolutions with other pads)
    ("ex02", "mutant_cost_pooled_positions.py"),  # downsample_cost's count
    ("ex04", "mutant_alexnet_no_last_pool.py"),  # the reference AlexNet's config and its variants' counts
    ("ex04", "mutant_vgg16_global_pool.py"),  # the VGG16 variants' counts
])
def test_a_mutant_graded_in_the_release_gets_its_named_mistake(release_dir, ex_id, name):
    """ex02's and ex04's truths that are not Keras's own come from the values recorded on the reference solution
    when the release was built: a mutant graded there (no grader/answers/) meets every public `expect:` line of
    its header, the named mistake included."""
    from conftest import assert_expected, expectations
    path = ROOT / "tests" / "submissions" / ex_id / name
    report = _grade_json(ex_id, path, release_dir)
    assert not (release_dir / "grader" / "answers").exists()
    assert_expected(expectations(path), report["checks"], name)
    assert any(c["status"] == "FAIL" and c.get("mistake") for c in report["checks"]), report["checks"]


def test_a_hidden_check_that_needs_an_expected_value_is_not_attempted_in_the_release(release_dir):
    report = _grade_json("ex10", ROOT / "solutions" / "ex10_attention.py", release_dir, "--hidden", "--seed", "3")
    hidden = {c["name"]: c for c in report["checks"]}["hidden_positional_encoding"]
    assert hidden["status"] == "NOT_ATTEMPTED"
    assert "not in the student release" in hidden["message"]


def test_release_command_on_a_clean_checkout_exits_0(capsys):
    out = ROOT / "build" / f"test-release-cli-{os.getpid()}"
    shutil.rmtree(out, ignore_errors=True)
    try:
        from grader.front.cli import run
        from grader.core.errors import UsageError
        status = run(["release", "--out", str(out)])
        printed = capsys.readouterr()
        assert f"{len(checks.module_names())} notebooks" in printed.out  # one per exercise
        assert status == 0, printed.err
        assert "reference answer" not in printed.err and "no reference solution in it" in printed.out
        assert "dist/keras_course-" in printed.out
        (out / "notes.txt").write_text("mine")
        with pytest.raises(UsageError, match="--force"):
            run(["release", "--out", str(out)])
        (out / "exercises" / "ex01_conv_arithmetic.py").write_text("edited")
        run(["release", "--out", str(out), "--force"])
        assert (out / "notes.txt").read_text() == "mine"  # --force replaces the release's files only
        assert "edited" not in (out / "exercises" / "ex01_conv_arithmetic.py").read_text()
        with pytest.raises(UsageError, match="inside"):
            run(["release", "--out", str(ROOT / "grader" / "x")])
        for bad in ("https://x.org/a b.whl", "x.whl; rm -rf ~", "https://x.org/{a}.whl", ""):
            with pytest.raises(UsageError, match="install-url"):
                run(["release", "--out", str(out), "--force", "--install-url", bad])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_release_command_finds_a_real_leak_and_exits_1(monkeypatch, capsys):
    """A solution body pasted into a check module and into a notebook, and a generic helper pasted
    into a notebook (allowed in the judge's modules only), make `grade release` exit 1 naming them."""
    out = ROOT / "build" / f"test-release-leak-{os.getpid()}"
    shutil.rmtree(out, ignore_errors=True)
    real_build = release.build

    def leaky_build(target, **kwargs):
        notebooks = real_build(target, **kwargs)
        check = target / "grader" / "checks" / "ex02_padding_stride.py"
        check.write_text(check.read_text() + "\n\n" + _solution_source("ex04_parameter_efficiency", "receptive_field") + "\n")
        nb_path = target / "notebooks" / "ex08_lstm.ipynb"
        nb = nbformat.read(str(nb_path), as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(_solution_source("ex03_conv_stack", "build_conv_stack")))
        nb.cells.append(nbformat.v4.new_code_cell(_solution_source("ex08_lstm", "_sigmoid")))
        nbformat.write(nb, str(nb_path))
        return notebooks
    monkeypatch.setattr(release, "build", leaky_build)
    try:
        from grader.front.cli import run
        status = run(["release", "--out", str(out)])
        err = capsys.readouterr().err
        assert status == 1
        for rel, name in (("grader/checks/ex02_padding_stride.py", "ex04_parameter_efficiency:receptive_field"),
                          ("notebooks/ex08_lstm.ipynb", "ex03_conv_stack:build_conv_stack"),
                          ("notebooks/ex08_lstm.ipynb", "ex08_lstm:_sigmoid")):
            assert f"{rel} contains the body of the reference solution {name}" in err, err
        # ex08's and ex09's _sigmoid have the same body: the pasted helper is both of them
        assert "ex09_gru:_sigmoid" in err
        # and held against the solutions function by function: the same three, by syntax tree (and the one in
        # a check module by its outputs on the public cases too)
        for where, function, solution, how in (
                ("grader/checks/ex02_padding_stride.py", "receptive_field", "ex04_parameter_efficiency:receptive_field",
                 "syntax tree"),
                ("grader/checks/ex02_padding_stride.py", "receptive_field", "ex04_parameter_efficiency:receptive_field",
                 "outputs on the public cases"),
                ("notebooks/ex08_lstm.ipynb", "build_conv_stack", "ex03_conv_stack:build_conv_stack", "syntax tree"),
                ("notebooks/ex08_lstm.ipynb", "_sigmoid", "ex08_lstm:_sigmoid", "syntax tree"),
                ("notebooks/ex08_lstm.ipynb", "_sigmoid", "ex09_gru:_sigmoid", "syntax tree")):
            assert (f"warning: {where}: {function} computes what the reference solution {solution} computes "
                    f"(same {how})") in err, err
        assert "9 reference answer(s) found in the release" in err
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_the_wheel_is_the_student_package(release_dir):
    """dist/*.whl: grader, exercises and datasets as released, a `grade` command, no solutions or tests,
    the same dependencies as the release's pyproject.toml."""
    import zipfile
    wheels = list((release_dir / "dist").glob("*.whl"))
    assert [w.name for w in wheels] == ["keras_course-0.1.0-py3-none-any.whl"]
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        meta = z.read("keras_course-0.1.0.dist-info/METADATA").decode()
        entry = z.read("keras_course-0.1.0.dist-info/entry_points.txt").decode()
        assert z.read("grader/front/notebook.py") == (release_dir / "grader" / "front" / "notebook.py").read_bytes()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"grader", "exercises", "datasets", "keras_course-0.1.0.dist-info"}
    for must in ("grader/front/cli.py", "grader/core/engine.py", "grader/judge/expect.py", "grader/checks/ex11_visualization.py", "grader/locale/ko/engine.po",
                 "exercises/ex01_conv_arithmetic.py", "datasets/digits.py"):
        assert must in names, must
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert "grade = grader.front.cli:main" in entry
    import tomllib
    deps = tomllib.loads((release_dir / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [line.split(": ", 1)[1] for line in meta.splitlines() if line.startswith("Requires-Dist:")
            and "extra ==" not in line] == deps


def test_the_setup_cell_installs_from_the_url_in_colab_only():
    """The first cell with --install-url: `%pip install -q URL` when google.colab is loaded, nothing
    otherwise; either way it ends with `from grader.notebook import check`."""
    from IPython.core.inputtransformer2 import TransformerManager
    url = "https://example.org/course/keras_course-0.1.0-py3-none-any.whl"
    cell = release.setup_cell(url)
    assert f"    %pip install -q {url}\n" in cell and cell.rstrip().endswith("from grader.notebook import check")
    code = TransformerManager().transform_cell(cell)
    for colab in (True, False):
        calls = []

        class Shell:
            def run_line_magic(self, name, line):
                calls.append((name, line))
        import sys
        saved = sys.modules.get("google.colab")
        if colab:
            sys.modules["google.colab"] = type(sys)("google.colab")
        try:
            ns = {"get_ipython": lambda: Shell()}
            exec(compile(code, "<setup>", "exec"), ns)
        finally:
            sys.modules.pop("google.colab", None)
            if saved is not None:
                sys.modules["google.colab"] = saved
        assert calls == ([("pip", f"install -q {url}")] if colab else [])
        assert callable(ns["check"])
    plain = release.setup_cell(None)
    assert "%pip install -q {_wheels[-1]}" in plain and "keras_course-*.whl" in plain


def test_the_release_grades_its_own_notebook_from_the_terminal(release_dir):
    """`grade ex01 --file notebooks/ex01_*.ipynb` run from the release folder, with the release's grader."""
    import subprocess
    import sys
    env = {**os.environ, "PYTHONPATH": str(release_dir), "LC_ALL": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3"}
    code = ("import sys, grader, grader.front.cli; print('GRADER_FROM', grader.__file__, flush=True); "
            "grader.front.cli.main(sys.argv[1:])")
    p = subprocess.run([sys.executable, "-c", code, "ex01", "--file", "notebooks/ex01_conv_arithmetic.ipynb",
                        "--json"], cwd=release_dir, env=env, capture_output=True, text=True, timeout=300)
    first, _, rest = p.stdout.partition("\n")
    assert first.startswith(f"GRADER_FROM {release_dir}"), p.stdout + p.stderr
    report = json.loads(rest)
    assert p.returncode == 1 and {c["status"] for c in report["checks"]} == {"NOT_ATTEMPTED"}, p.stderr


# ------------------------------------------------------------------ the quizzes check themselves
QUIZ_COMMON = r"""
import hashlib, json


def fingerprint(q):
    return hashlib.sha256(json.dumps([q.kind, q.prompt, q.explanation, list(q.options), q.answer, q.params,
                                      q.tolerance, q.dims], sort_keys=True, default=str).encode()).hexdigest()


def typed(q, right):
    if q.kind == "choice":
        return "abcd"[q.answer if right else (q.answer + 1) % 4]
    if right:
        return q.show()
    if q.kind == "shape":
        return "x".join(str(d + 1) for d in q.answer)
    return str(q.answer + 1) if q.kind == "count" else str(q.answer + 0.1)


def wrong_ones(k, n):
    return {j for j in range(n) if (k + j) % 3 == 0}
"""

QUIZ_IN_THE_RELEASE = QUIZ_COMMON + r"""
import builtins, io, sys
from pathlib import Path

import grader
from grader.core import i18n
from grader.front import quiz
from grader.judge import quizkit

out, students, v1 = Path(sys.argv[1]), json.loads(sys.argv[2]), Path(sys.argv[3])
result = {"grader": grader.__file__, "bad": [], "bank": {}, "takes": {}, "v1": {}}
for lang in ("en", "ko"):  # every question of every bank, answered right and wrong
    i18n.set_language(lang)
    for qz in quiz.all_quizzes():
        for t in qz.templates:
            for i in range(quizkit.BANK):
                q = qz.instance(t, i)
                if not q.right(q.parse(typed(q, True))) or q.right(q.parse(typed(q, False))):
                    result["bad"].append([lang, qz.id, t.name, i])
                result["bank"][f"{lang}/{qz.id}/{t.name}/{i}"] = fingerprint(q)
for k, student in enumerate(students):  # students take every quiz: in a notebook and in the terminal
    for qz in quiz.all_quizzes():
        lang = "ko" if k % 4 == 3 else "en"
        i18n.set_language(lang)
        questions = qz.questions(student)
        wrong = wrong_ones(k, len(questions))
        lines = [typed(q, j not in wrong) for j, q in enumerate(questions)]
        if k % 2 == 0:
            feed, typing = iter(lines), builtins.input
            builtins.input = lambda prompt="": next(feed)
            try:
                got = quiz.quiz(qz.id, student=student, out=out, lang=lang)["score"]
            finally:
                builtins.input = typing
        else:
            sys.stdin = io.StringIO("\n".join(lines) + "\n")
            got = quiz.cli_main([qz.id, "--student", student, "--out", str(out), "--lang", lang])
        result["takes"][f"{qz.id}/{student}"] = {"wrong": sorted(wrong), "got": got, "notebook": k % 2 == 0}
i18n.set_language("en")
for path in sorted(v1.glob("quiz_*.json")):  # answer files of the first format: only partly re-created here
    data = json.loads(path.read_text(encoding="utf-8"))
    result["v1"][path.name] = quiz.grade_answer_file(data["quiz"], path)["checks"]
(out / "result.json").write_text(json.dumps(result))
"""


def test_every_quiz_question_checks_itself_in_the_release(release_dir, tmp_path):
    """The release's quizzes, run from the release folder (no grader/answers/, the formulas' values read from
    grader/quizzes/formulas.answers.json): every question of every bank, in English and Korean, renders as the
    instructor's grader renders it and judges a right answer right and a wrong one wrong; students take every
    quiz in a notebook (quiz()) and in the terminal (grade quiz), and the instructor's `grade quiz grade`
    agrees with what the release told them.  An answer file of the first format is graded in the release
    where its values happen to be there, and is otherwise NOT_ATTEMPTED (the instructor's grader grades it)."""
    import subprocess
    import sys

    from grader.core import i18n
    from grader.front import quiz
    from grader.judge import quizkit
    assert not (release_dir / "grader" / "answers").exists()
    assert (release_dir / "grader" / "quizzes" / "formulas.answers.json").is_file()
    common: dict = {}
    exec(QUIZ_COMMON, common)
    students = [f"s{2025000 + i}" for i in range(40)] + [f"student {i} KIM" for i in range(20)]
    v1 = ROOT / "tests" / "quiz_answers_v1"
    env = {**os.environ, "PYTHONPATH": str(release_dir), "LC_ALL": "C.UTF-8"}
    p = subprocess.run([sys.executable, "-c", QUIZ_IN_THE_RELEASE, str(tmp_path), json.dumps(students), str(v1)],
                       cwd=release_dir, env=env, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads((tmp_path / "result.json").read_text())
    assert got["grader"].startswith(str(release_dir)), got["grader"]
    assert got["bad"] == []
    # every question of the bank is the instructor's, word for word
    want = {}
    try:
        for lang in ("en", "ko"):
            i18n.set_language(lang)
            for qz in quiz.all_quizzes():
                for t in qz.templates:
                    for i in range(quizkit.BANK):
                        want[f"{lang}/{qz.id}/{t.name}/{i}"] = common["fingerprint"](qz.instance(t, i))
    finally:
        i18n.set_language("en")
    assert len(got["bank"]) == len(want) == 2 * quizkit.BANK * sum(len(q.templates) for q in quiz.all_quizzes())
    assert [k for k in want if got["bank"].get(k) != want[k]] == []
    # the answer files the release wrote, graded by the instructor's grader: the verdicts the student saw
    assert len(got["takes"]) == len(students) * len(quiz.all_quizzes())
    for key, take in got["takes"].items():
        quiz_id, student = key.split("/", 1)
        path = tmp_path / f"quiz_{quiz_id}_{quiz.safe_name(student)}.json"
        graded = quiz.grade_answer_file(quiz_id, path)
        statuses = [c["status"] for c in graded["checks"]]
        assert statuses == ["FAIL" if j in take["wrong"] else "PASS" for j in range(len(statuses))], key
        flags = [r["correct"] for r in json.loads(path.read_text(encoding="utf-8"))["answers"].values()]
        assert flags == [s == "PASS" for s in statuses], key
        if take["notebook"]:
            assert take["got"] == graded["score"], key
        else:
            assert take["got"] == 1, key  # the terminal's exit status: some answers wrong
    # the first format in the release: the instructor's verdict, or NOT_ATTEMPTED
    expected = json.loads((v1 / "expected.json").read_text(encoding="utf-8"))
    seen = set()
    for name, checks in got["v1"].items():
        for c, (n, status, points, message, _hint) in zip(checks, expected[name]["checks"]):
            assert c["name"] == n
            if c["status"] == "NOT_ATTEMPTED" and status != "NOT_ATTEMPTED":
                assert "earlier version of the quiz" in c["message"], c
                seen.add("not attempted")
            else:
                assert (c["status"], c["points"], c["message"]) == (status, points, message), (name, c)
                seen.add("graded")
    assert seen == {"not attempted", "graded"}


# ------------------------------------------------------------------ the notebooks run
def _solution_source(module: str, name: str) -> str:
    text = (ROOT / "solutions" / f"{module}.py").read_text()
    node = next(n for n in ast.parse(text).body if getattr(n, "name", None) == name)
    return ast.get_source_segment(text, node)


def with_reference(nb, module: str):
    """The notebook a student who solved everything would have: every function cell replaced by
    the reference definition, and the reference's imports and private helpers in a cell of their own."""
    text = (ROOT / "solutions" / f"{module}.py").read_text()
    tree = ast.parse(text)
    public = {n.name: ast.get_source_segment(text, n) for n in tree.body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
    rest = [ast.get_source_segment(text, n) for n in tree.body
            if not (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_"))
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith(("import", "from")) \
                and "grader.notebook" not in cell.source:
            continue  # the stub's imports: the reference's own come instead
        if cell.cell_type == "code" and "grader.notebook" not in cell.source:  # (the setup cell has a %pip)
            names = [n.name for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
            if names:
                cell.source = "\n\n\n".join(public.pop(n) for n in names)
        cells.append(cell)
        if cell.cell_type == "code" and "grader.notebook" in cell.source:
            cells.append(nbformat.v4.new_code_cell("\n\n\n".join(rest)))
    assert not public, f"no cell for {sorted(public)}"
    nb.cells = cells
    return nb


SUMMARY = re.compile(r"^(ex\d\d)(?: (\w+))?: ([\d.]+)/([\d.]+) points \((.*)\)$", re.M)


def execute(nb, release_dir: Path, monkeypatch):
    from nbclient import NotebookClient
    monkeypatch.setenv("PYTHONPATH", str(release_dir))  # the kernel imports the release's grader
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    nb.cells.append(nbformat.v4.new_code_cell("import grader\nprint('GRADER_FROM', grader.__file__)"))
    NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(release_dir / "notebooks")}}).execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert f"GRADER_FROM {release_dir}" in printed, printed
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.startswith("check("):
            continue
        reports = [o["metadata"]["keras_course_grader"] for o in cell.outputs
                   if o.get("output_type") == "display_data" and "keras_course_grader" in o.get("metadata", {})]
        text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert len(reports) == 1, (cell.source, cell.outputs)
        assert SUMMARY.search(text), text
        results.append((cell.source, reports[0]))
    return results


def _run_notebook(ex_id, release_dir, monkeypatch, reference: bool):
    ex = checks.get(ex_id)
    nb = nbformat.read(str(release_dir / "notebooks" / f"{ex.module}.ipynb"), as_version=4)
    if reference:
        nb = with_reference(nb, ex.module)
        nb.cells = [c for c in nb.cells if "check-all" not in c.metadata.get("tags", [])]  # the cells above cover it
    results = execute(nb, release_dir, monkeypatch)
    assert len(results) == len(exercise_api(ex)) + (0 if reference else 1)
    ran = set()
    for source, report in results:
        statuses = {c["name"]: c["status"] for c in report["checks"]}
        ran |= set(statuses)
        if reference:
            assert set(statuses.values()) == {"PASS"} and report["score"] == report["max_score"] > 0, \
                (source, [(c["name"], c["status"], c["message"]) for c in report["checks"] if c["status"] != "PASS"])
        else:
            assert set(statuses.values()) == {"NOT_ATTEMPTED"} and report["score"] == 0, (source, statuses)
    assert ran == {c.name for c in ex.checks if not c.hidden}


@pytest.mark.parametrize("ex_id", DEFAULT_RUN)
def test_released_notebook_runs_as_stub(ex_id, release_dir, monkeypatch):
    _run_notebook(ex_id, release_dir, monkeypatch, reference=False)


@pytest.mark.parametrize("ex_id", DEFAULT_RUN)
def test_released_notebook_with_reference_gets_full_marks(ex_id, release_dir, monkeypatch):
    _run_notebook(ex_id, release_dir, monkeypatch, reference=True)


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", SLOW_ONLY)
def test_released_notebook_runs_as_stub_slow(ex_id, release_dir, monkeypatch):
    _run_notebook(ex_id, release_dir, monkeypatch, reference=False)


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", SLOW_ONLY)
def test_released_notebook_with_reference_gets_full_marks_slow(ex_id, release_dir, monkeypatch):
    _run_notebook(ex_id, release_dir, monkeypatch, reference=True)
