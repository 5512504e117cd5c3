"""What a notebook shows, as a person sees it: outputs of released notebooks executed with nbclient,
rendered in headless Chromium (tests/browser.py), the way a front end (JupyterLab, Colab, VS Code)
renders them -- the ``text/html`` of every ``check()`` output, the quiz's printed text, and ex11's
figures.  Skipped, with the reason, when no ``chromium`` is installed.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from browser import chromium, notebook_output_html, render, render_texts, screenshot
from test_release import with_reference

from grader import checks
from grader.front import release

ROOT = Path(__file__).resolve().parent.parent
BOX = re.compile(r"[\s\u2500-\u257f]+")  # whitespace and box-drawing characters of the table


def squeeze(text: str) -> str:
    """Text without whitespace and table borders: a message the table wrapped over several lines
    reads the same as the message."""
    return BOX.sub("", text)


@pytest.fixture(scope="module")
def release_dir():
    """A release outside /tmp (the sandbox hides /tmp from student code)."""
    (ROOT / "build").mkdir(exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="test-display-", dir=ROOT / "build"))
    release.build(out, force=True)
    yield out
    shutil.rmtree(out, ignore_errors=True)


def solution_source(module: str, name: str) -> str:
    import ast
    text = (ROOT / "solutions" / f"{module}.py").read_text()
    node = next(n for n in ast.parse(text).body if getattr(n, "name", None) == name)
    return ast.get_source_segment(text, node)


def replace_definition(nb, name: str, source: str) -> None:
    """Put ``source`` in place of the cell that defines ``name`` (what a student types there)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(rf"^(def|class) {name}\b", cell.source, re.M):
            cell.source = source
            return
    raise AssertionError(f"no cell defines {name}")


def execute(nb, release_dir: Path, monkeypatch, cwd: Path | None = None):
    from nbclient import NotebookClient
    monkeypatch.setenv("PYTHONPATH", str(release_dir))
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(cwd or release_dir / "notebooks")}}).execute()
    return nb


def check_outputs(nb) -> list[tuple[str, dict, dict]]:
    """(cell source, the report in the output's metadata, the output) of every check() cell."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("check("):
            shown = [o for o in cell.outputs if o.get("output_type") == "display_data"
                     and "keras_course_grader" in o.get("metadata", {})]
            assert len(shown) == 1, (cell.source, cell.outputs)
            out.append((cell.source, shown[0]["metadata"]["keras_course_grader"], shown[0]))
    return out


def assert_shows_every_check(rendered: str, report: dict, source: str) -> None:
    seen = squeeze(rendered)
    assert seen, f"{source}: the front end shows an empty box"
    for c in report["checks"]:
        assert squeeze(c["name"]) in seen, (source, c["name"], rendered)
        assert c["status"] in seen, (source, c["name"], c["status"], rendered)
        if c["status"] != "PASS":
            assert squeeze(c["message"]) in seen, (source, c["name"], c["message"], rendered)
    assert f"{report['score']:g}/{report['max_score']:g}" in seen, rendered


def test_check_output_html_shows_the_table(release_dir, monkeypatch):
    """A released ex02 notebook with a half-done solution (one function right, one wrong, the others
    untouched): every check() output's text/html, rendered in Chromium, shows the name, status and
    message of each of its checks -- not an empty box."""
    chromium()
    ex = checks.get("ex02")
    nb = nbformat.read(str(release_dir / "notebooks" / f"{ex.module}.ipynb"), as_version=4)
    replace_definition(nb, "same_padding", "import math\n\n\n" + solution_source(ex.module, "same_padding"))
    replace_definition(nb, "downsample_cost", "def downsample_cost(input_shape, filters, kernel_size):\n"
                                              "    return {'conv_then_pool': 1, 'strided_conv': 2}")
    execute(nb, release_dir, monkeypatch)
    shown = check_outputs(nb)
    assert len(shown) >= 5
    statuses = {c["status"] for _, report, _ in shown for c in report["checks"]}
    assert {"PASS", "FAIL", "NOT_ATTEMPTED"} <= statuses, statuses
    for _, _, output in shown:
        html = output["data"]["text/html"]
        assert re.search(r"<pre[^>]*>\s*</pre>", html) is None, html[:300]
    texts = render_texts([notebook_output_html(o) for _, _, o in shown])
    for (source, report, _), text in zip(shown, texts):
        assert_shows_every_check(text, report, source)
    assert any("same_padding" in s and "PASS" in t for (s, _, _), t in zip(shown, texts))


def test_show_bundle_html_is_not_empty_without_a_kernel():
    """The unit behind the fix: the recorded console exports the same table as text and as HTML."""
    from grader.front.notebook import show
    from grader.core.outcome import CheckResult, Report, Status
    report = Report("ex01", "Conv arithmetic", [
        CheckResult("length_same", Status.FAIL, 0, 2, "conv_output_length(7, 3, 2, 'same') returned 3, expected 4",
                    "round up: ceil(n / stride)"),
        CheckResult("conv_params", Status.PASS, 1, 1, "ok", "")])
    bundles = []

    class Handle:
        def update(self, bundle, raw, metadata):
            bundles.append(bundle)
    show(report, handle=Handle(), jupyter=True)
    html, text = bundles[0]["text/html"], bundles[0]["text/plain"]
    assert "length_same" in text and "length_same" in html and "returned 3, expected 4" in html
    seen = squeeze(render(html).text)
    assert squeeze("conv_output_length(7, 3, 2, 'same') returned 3, expected 4") in seen
    assert "FAIL" in seen and "PASS" in seen and "conv_params" in seen and "roundup:ceil(n/stride)" in seen


def test_quiz_in_a_notebook_shows_questions_and_verdicts(release_dir, monkeypatch, tmp_path):
    """quiz() in a notebook prints; the front end shows the printed text.  The student's typing is
    stood in for by an input() that answers the first question right and the second wrong."""
    chromium()
    from grader.front.quiz import check_student_id, get_quiz
    q = get_quiz("q01")
    questions = q.questions(check_student_id("s1234"))
    right, wrong_q = questions[0], questions[1]
    wrong = next(o for o in (["1"] + [chr(c) for c in range(ord("a"), ord("f"))] + ["(1, 1, 1)", "7"])
                 if _parses_wrong(wrong_q, o))
    answers = [typed(right), wrong] + [typed(x) for x in questions[2:]]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import builtins\n"
        f"_typed = iter({json.dumps(answers)})\n"
        "builtins.input = lambda prompt='': (print(prompt, end=''), next(_typed))[1]\n"
        "from grader.quiz import quiz\n"
        f"result = quiz('q01', student='s1234', out={json.dumps(str(tmp_path))})")])
    execute(nb, release_dir, monkeypatch, cwd=tmp_path)
    outputs = nb.cells[0].outputs
    text = render("".join(notebook_output_html(o) for o in outputs)).text
    assert text.strip(), "the quiz showed nothing"
    assert f"Question 1 of {len(questions)}" in text and right.prompt.split("\n")[0] in text
    for option in [o for x in questions for o in x.options]:  # every choice question's options
        assert option in text, option
    assert "Right!" in text and f"Wrong: the answer is {wrong_q.show()}." in text
    assert right.explanation.split("\n")[0] in text
    assert re.search(r"Score: [\d.]+ of [\d.]+ points \(\d+ of \d+ questions right\)\.", text), text


def typed(question) -> str:
    """What a student types for the right answer (a letter for a multiple-choice question)."""
    return question.show().split(")")[0] if question.options else question.show()


def _parses_wrong(question, raw: str) -> bool:
    try:
        return not question.right(question.parse(raw))
    except Exception:  # noqa: BLE001 -- not an answer this question accepts
        return False


EX11_DRAW = '''\
import numpy as np, keras
import matplotlib.pyplot as plt
history = {"loss": [1.0, 0.7, 0.5], "val_loss": [1.1, 0.8, 0.7],
           "accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.45, 0.6, 0.7]}
kernel = np.random.default_rng(0).normal(size=(3, 3, 1, 6)).astype("float32")
inputs = keras.Input((12, 12, 1))
model = keras.Model(inputs, keras.layers.Conv2D(4, 3, name="conv")(inputs))
image = np.random.default_rng(1).random((12, 12, 1)).astype("float32")
'''


def test_ex11_figures_render_as_images(release_dir, monkeypatch):
    """ex11's solved notebook: each plotting function's figure, shown inline, is an image the
    browser decodes with a non-zero size."""
    chromium()
    ex = checks.get("ex11")
    nb = nbformat.read(str(release_dir / "notebooks" / f"{ex.module}.ipynb"), as_version=4)
    nb = with_reference(nb, ex.module)  # the reference functions, helpers and imports in their cells
    nb.cells = [c for c in nb.cells if not c.source.startswith("check(")]
    nb.cells.insert(1, nbformat.v4.new_code_cell("%matplotlib inline"))
    nb.cells += [nbformat.v4.new_code_cell(EX11_DRAW),
                 nbformat.v4.new_code_cell("fig = plot_training_curves(history)"),
                 nbformat.v4.new_code_cell("fig = plot_filters(kernel)"),
                 nbformat.v4.new_code_cell("fig = plot_feature_maps(model, image, 'conv')")]
    execute(nb, release_dir, monkeypatch)
    per_cell = [[o for o in c.outputs if "image/png" in o.get("data", {})] for c in nb.cells[-3:]]
    assert [len(f) for f in per_cell] == [1, 1, 1], [c.outputs for c in nb.cells[-3:]]  # the inline backend shows it
    figures = [f[0] for f in per_cell]
    page = render("".join(f"<div>{notebook_output_html(o)}</div>" for o in figures))
    assert len(page.images) == 3
    for img in page.images:
        assert img["complete"] and img["naturalWidth"] > 100 and img["naturalHeight"] > 100, img
        assert img["width"] > 0 and img["height"] > 0, img


def test_screenshot_of_a_check_table(tmp_path):
    """browser.screenshot: a PNG of the page, of the window's size, with something drawn on it."""
    chromium()
    import struct
    html = "<pre style='font-size:20px'>length_same FAIL conv_output_length returned 3, expected 4</pre>"
    path = screenshot(html, tmp_path / "table.png", width=800, height=300)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 300)
    blank = screenshot("", tmp_path / "blank.png", width=800, height=300).read_bytes()
    assert len(data) > len(blank)  # the text made the image
