"""ex11 beyond the generic exercise tests: how a Figure is read (legend
pairing, what an image displays), the headless backend in the child, the
docstring's promises, Korean messages, and the reference picture."""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT, SUBMISSIONS  # noqa: E402

from grader.core import i18n  # noqa: E402
from grader.checks import ex11_visualization as ex11  # noqa: E402
from grader.core.errors import Fail  # noqa: E402
from grader.core.outcome import Status  # noqa: E402
from grader.recipes.ex11_visualization import describe  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _history(n=6):
    return ex11._history(np.random.default_rng(0), n)


def _curves(history, legend):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history[key], "b-")
        ax.plot(history["val_" + key], "r--")
        ax.set(xlabel="epoch", ylabel=key)
        legend(ax)
    return describe(fig)


def _judge_curves(d, history):
    found = ex11._check_data(d, history)
    loss_ax, acc_ax = ex11._check_layout(d, found)
    ex11._check_labels(d, loss_ax, acc_ax)
    ex11._check_legend(d, found, loss_ax, acc_ax)


def test_legend_given_as_labels_only_is_paired_by_line_style():
    h = _history()
    _judge_curves(_curves(h, lambda ax: ax.legend(["train", "val"])), h)
    with pytest.raises(Fail, match="swapped"):
        _judge_curves(_curves(h, lambda ax: ax.legend(["val", "train"])), h)


def test_a_legend_that_cannot_tell_lines_apart_fails():
    h = _history()
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(h[key], "k-")
        ax.plot(h["val_" + key], "k-")  # same style, no labels: the legend cannot say which is which
        ax.set(xlabel="epoch", ylabel=key)
        ax.legend(["train", "val"])
    with pytest.raises(Fail, match="no entry"):
        _judge_curves(describe(fig), h)


def test_training_curves_with_wrong_x_fail_with_the_epochs_named():
    h = _history(5)
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(np.arange(5) * 10, h[key], label="train")
        ax.plot(h["val_" + key], label="val")
    with pytest.raises(Fail, match=r"expected the epochs 1\.\.5 \(or 0\.\.4\)"):
        ex11._check_data(describe(fig), h)


def _shown(**imshow_kwargs):
    fig, ax = plt.subplots()
    ax.imshow(imshow_kwargs.pop("data"), **imshow_kwargs)
    return ex11._displayed(describe(fig)["axes"][0]["images"][0])


def test_what_an_image_displays():
    w = np.array([[-2.0, 0.0], [1.0, 2.0]])
    assert np.allclose(_shown(data=w), (w + 2) / 4), "a 2-D image is scaled by its own min and max"
    assert np.allclose(_shown(data=w, vmin=-4, vmax=4), (w + 4) / 8), "explicit colour limits count"
    assert np.allclose(_shown(data=w, origin="lower"), ((w + 2) / 4)[::-1]), "origin='lower' flips"
    rgb = np.stack([w, w / 2, w / 4], axis=-1)
    assert np.allclose(_shown(data=rgb), np.clip(rgb, 0, 1)), "RGB floats are clipped, not scaled"
    assert np.allclose(_shown(data=np.full((2, 2, 3), 255, np.uint8)), 1.0), "uint8 RGB is divided by 255"
    from matplotlib.colors import LogNorm
    assert _shown(data=w + 3, norm=LogNorm()) == "norm"


def test_figure_description_is_plain_data():
    fig = plt.figure()
    sub = fig.subfigures(1, 2)
    sub[0].add_subplot().plot([1, 2], label="a")
    sub[1].add_subplot().imshow(np.eye(3))
    fig.legend()
    d = describe(fig)
    assert d["figure"] and len(d["axes"]) == 2 and d["axes"][1]["images"][0]["array"].shape == (3, 3)
    assert d["legends"][0]["texts"] == ["a"]
    assert describe((fig, None))["axes_like"] and not describe(None)["figure"]


def _grade_source(grade, tmp_path, source, **kw):
    path = tmp_path / "ex11_visualization.py"
    path.write_text(source)
    return grade("ex11", path, **kw)


def test_the_child_is_headless_and_plt_show_is_harmless(grade, tmp_path):
    source = (SUBMISSIONS / "ex11" / "mutant_missing_legend.py").read_text().replace(
        "    return fig", "    plt.show()\n    ax_check = matplotlib.get_backend().lower()\n"
                         "    if ax_check != 'agg':\n        raise RuntimeError('backend ' + ax_check)\n    return fig")
    source = "import matplotlib\n" + source
    report = _grade_source(grade, tmp_path, source, only=["curves_data"])
    assert report.checks[0].status is Status.PASS, report.checks[0].message


def test_messages_in_korean(grade):
    try:
        i18n.set_language("ko")
        report = grade("ex11", SUBMISSIONS / "ex11" / "mutant_swapped_train_val.py", only=["curves_legend"])
    finally:
        i18n.set_language("en")
    assert "뒤바뀌었습니다" in report.checks[0].message
    assert "history" in report.checks[0].hint and re.search("[\uac00-\ud7a3]", report.checks[0].hint)


def test_every_ex11_message_has_korean():
    from test_i18n import placeholders, wrapped_messages
    mine = {m: w for m, w in wrapped_messages().items() if w.startswith(("checks/ex11", "recipes/ex11"))}
    assert len(mine) > 50
    ko = i18n.catalogue("ko")
    assert not [m for m in mine if m not in ko]
    assert all(placeholders(ko[m]) == placeholders(m) for m in mine)


def test_the_docstring_states_what_is_graded():
    doc = (ROOT / "exercises" / "ex11_visualization.py").read_text()
    ex = ex11.EXERCISE
    hidden = sum(c.hidden for c in ex.checks)
    assert f"{len(ex.checks)} checks, {ex.total_points:g} points ({hidden} of them hidden" in doc
    assert ex11.ATOL == 1e-3 and "to 1e-3" in doc and f"Time limit {ex.timeout:g} s" in doc
    assert f"memory limit {ex.memory_mb // 1024} GB" in doc
    for promise in ('contains "val"', 'contains "loss"', 'contains "acc"', "own* minimum and maximum",
                    "0..n-1", "C_in = 1 or 3", "docs/ex11_reference.png"):
        assert promise in doc, promise


def test_reference_picture_is_small_and_a_png():
    png = ROOT / "docs" / "ex11_reference.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 200 * 1024
    img = plt.imread(png)
    assert img.shape[0] > 300 and img.shape[1] > 600


def test_reference_picture_script_uses_the_reference_solution():
    text = Path(ROOT / "docs" / "make_ex11_reference.py").read_text()
    assert "from solutions.ex11_visualization import plot_filters, plot_training_curves" in text


def _min_max(w):
    """The rescaling the exercise asks for, written here only: the check itself never forms it (#27)."""
    w = np.asarray(w, dtype=np.float64)
    span = w.max() - w.min()
    return (w - w.min()) / span if span > 0 else np.zeros_like(w)


def test_the_rescaling_predicate_keeps_allcloses_rule():
    """_is_rescaled(shown, w, atol) is np.allclose(shown, min-max(w), atol, rtol=1e-6) and _rescaled_gap its
    largest difference, on filters, near misses, constant maps and NaN, so the verdicts are those of the check
    that drew the rescaled image itself."""
    rng = np.random.default_rng(11)
    for trial in range(400):
        w = rng.normal(0, 0.3, (rng.integers(1, 6), rng.integers(1, 6), rng.choice([1, 3])))
        if trial % 7 == 0:
            w = np.full(w.shape, float(rng.normal()))
        want = _min_max(w)
        for shown in (want, want + rng.uniform(-2e-3, 2e-3, w.shape), want + 5e-4, 1 - want, want * 0.9,
                      np.where(rng.uniform(size=w.shape) < 0.1, np.nan, want)):
            for atol in (ex11.ATOL, ex11.ATOL + 1 / 255):
                assert ex11._is_rescaled(shown, w, atol) == bool(
                    np.allclose(shown, want, atol=atol, rtol=1e-6)), (trial, shown, w)
            if not np.isnan(shown).any():
                assert ex11._rescaled_gap(shown, w) == pytest.approx(float(np.max(np.abs(shown - want))), abs=1e-12)
    assert not ex11._is_rescaled(np.zeros((3, 3)), np.ones((3, 4)), 1.0)


def test_no_rescaled_image_is_drawn_by_the_check():
    """The check module holds no function that returns an image: the predicates answer with a bool or a number."""
    w = np.arange(12.0).reshape(3, 4)
    assert isinstance(ex11._is_rescaled(np.zeros_like(w), w, 1e-3), bool)
    assert isinstance(ex11._rescaled_gap(np.zeros_like(w), w), float)
    assert not hasattr(ex11, "_rescale")
