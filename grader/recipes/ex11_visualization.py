"""ex11 recipes: call a student's plotting function headless and read its Figure.

Runs in the child.  matplotlib is switched to the non-interactive Agg backend
before the student's module is imported (recipe modules are imported first),
so ``plt.show()`` does nothing and no window is ever opened.  The Figure the
function returns is turned into plain data -- per axes its title, labels,
legend entries, lines (x and y data, label, style) and images (array, colour
scale, origin) -- which the judge compares with the values it chose.  Nothing
is judged here.
"""
from __future__ import annotations

import os

os.environ["MPLBACKEND"] = "Agg"

import matplotlib  # noqa: E402

matplotlib.use("Agg", force=True)

import numpy as np  # noqa: E402

from grader.core.child import call, recipe  # noqa: E402
from grader.core.wire import StudentModel  # noqa: E402

MAX_IMAGES = 512
MAX_LINES = 512  # per axes; a figure with 100,000 artists is described by its first few hundred
MAX_POINTS = 100_000


def _snapshot() -> dict:
    """matplotlib's classes as they are before the student's module is imported
    (recipe modules are imported first): ``figure_of`` puts them back before it
    reads the Figure, so a submission that patches ``Axes.get_xlabel`` (or any
    other method) cannot change what the judge is told."""
    import matplotlib.artist
    import matplotlib.axes
    import matplotlib.axis
    import matplotlib.figure
    import matplotlib.image
    import matplotlib.legend
    import matplotlib.lines
    import matplotlib.text
    roots = (matplotlib.figure.Figure, matplotlib.axes.Axes, matplotlib.lines.Line2D, matplotlib.image.AxesImage,
             matplotlib.legend.Legend, matplotlib.text.Text, matplotlib.axis.XAxis, matplotlib.axis.YAxis)
    classes = {c for r in roots for c in r.__mro__ if c.__module__.startswith("matplotlib")}
    return {c: dict(vars(c)) for c in classes}


_PRISTINE = _snapshot()


def _restore_matplotlib() -> None:
    for cls, attrs in _PRISTINE.items():
        for name in [n for n in list(vars(cls)) if n not in attrs]:
            try:
                delattr(cls, name)
            except (AttributeError, TypeError):
                pass
        for name, value in attrs.items():
            if vars(cls).get(name, _MISSING) is not value:
                try:
                    setattr(cls, name, value)
                except (AttributeError, TypeError):
                    pass


_MISSING = object()


def _scrub(obj) -> None:
    """Drop instance attributes that shadow a method of the class (``ax.get_xlabel = lambda: 'epoch'``)."""
    d = getattr(obj, "__dict__", None)
    if not isinstance(d, dict):
        return
    for name in [n for n in list(d) if callable(getattr(type(obj), n, None)) and not n.startswith("_")]:
        d.pop(name, None)


def _model(value):
    """A judge-sent StudentModel becomes a real keras.Model (built-in layers only)."""
    if not isinstance(value, StudentModel):
        return value
    import keras
    model = keras.saving.deserialize_keras_object(value.config, safe_mode=True)
    if value.weights is not None:
        model.set_weights(value.weights)
    return model


@recipe
def figure_of(module, function: str, *args, **kwargs):
    """``module.function(*args, **kwargs)`` -> a plain description of the Figure it returns."""
    import matplotlib.pyplot as plt
    plt.close("all")
    args = [_model(a) for a in args]
    value = call(module, function, args, kwargs)
    _restore_matplotlib()
    try:
        return describe(value)
    finally:
        plt.close("all")


def _floats(values) -> np.ndarray:
    try:
        return np.asarray(values, dtype=np.float64).ravel()[:MAX_POINTS]
    except (TypeError, ValueError):
        return np.full(len(values) if hasattr(values, "__len__") else 0, np.nan)


def _style(artist) -> dict:
    from matplotlib.colors import to_rgba
    try:
        color = [round(float(c), 4) for c in to_rgba(artist.get_color())]
    except (AttributeError, ValueError, TypeError):
        color = None
    return {"color": color,
            "linestyle": str(getattr(artist, "get_linestyle", lambda: "")()),
            "marker": str(getattr(artist, "get_marker", lambda: "")())}


def _legend(legend) -> dict | None:
    if legend is None:
        return None
    handles = getattr(legend, "legend_handles", None) or getattr(legend, "legendHandles", [])
    return {"texts": [t.get_text() for t in legend.get_texts()],
            "handles": [_style(h) for h in handles],
            "visible": bool(legend.get_visible())}


def _image(im) -> dict:
    _scrub(im)
    a = im.get_array()
    if a is None:
        return {"array": np.zeros((0, 0)), "vmin": None, "vmax": None, "norm": "", "origin": "upper"}
    arr = np.ma.asarray(a)
    kind = arr.dtype.kind
    data = np.ma.filled(arr.astype(np.float64), np.nan)
    norm = im.norm
    return {"array": data, "integer": kind in "ui",
            "vmin": None if norm.vmin is None else float(norm.vmin),
            "vmax": None if norm.vmax is None else float(norm.vmax),
            "norm": type(norm).__name__, "origin": str(im.origin),
            "visible": bool(im.get_visible())}


def _axes(ax) -> dict:
    _scrub(ax)
    for part in (ax.xaxis, ax.yaxis, ax.xaxis.label, ax.yaxis.label, ax.get_legend()):
        _scrub(part)
    lines = ax.get_lines()
    for line in lines[:MAX_LINES]:
        _scrub(line)
    titles = [ax.get_title(loc) for loc in ("left", "center", "right")]
    return {
        "title": " ".join(t for t in titles if t),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "visible": bool(ax.get_visible()),
        "legend": _legend(ax.get_legend()),
        "lines": [{"label": str(line.get_label()), "x": _floats(line.get_xdata()), "y": _floats(line.get_ydata()),
                   "visible": bool(line.get_visible()), **_style(line)} for line in lines[:MAX_LINES]],
        "images": [_image(im) for im in ax.get_images()[:MAX_IMAGES]],
    }


def _unique(items) -> list:
    seen, out = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def _all_axes(fig) -> list:
    """The figure's axes in creation order, those of subfigures included (once)."""
    _scrub(fig)
    out = list(fig.axes)
    for sub in getattr(fig, "subfigs", []):
        out += _all_axes(sub)
    return _unique(out)


def _all_legends(fig) -> list:
    out = list(fig.legends)
    for sub in getattr(fig, "subfigs", []):
        out += _all_legends(sub)
    return _unique(out)


def _real_figure(fig):
    """A Figure subclass is read through Figure's own methods, never its overrides."""
    from matplotlib.figure import Figure
    try:
        fig.__class__ = Figure
    except TypeError:
        return None
    _scrub(fig)
    return fig


def describe(fig) -> dict:
    from matplotlib.figure import Figure
    if type(fig) is not Figure and isinstance(fig, Figure):
        fig = _real_figure(fig)
    if not isinstance(fig, Figure):
        return {"figure": False, "type": type(fig).__name__, "text": repr(fig)[:80],
                "axes_like": hasattr(fig, "get_lines") or (isinstance(fig, (tuple, list)) and any(
                    isinstance(x, Figure) for x in fig))}
    suptitle = getattr(fig, "_suptitle", None)
    return {"figure": True,
            "suptitle": suptitle.get_text() if suptitle is not None else "",
            "axes": [_axes(ax) for ax in _all_axes(fig)],
            "legends": [_legend(lg) for lg in _all_legends(fig)]}
