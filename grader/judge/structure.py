"""A Keras model as a table of layers, compared with the expected one.

``layer_rows(model)`` reads the model's graph (``grader.judge.graph``: nested
models expanded, ``keras.ops`` calls included, a canonical order) and gives one
row per layer: class, output shape, parameters, activation, padding, strides.
A standalone activation (``Activation("relu")``, ``ReLU()``, ``Softmax()``,
``keras.ops.relu``) folds into the layer before it, so
``Conv2D(32, 3, activation="relu")`` and ``Conv2D(32, 3)`` + ``ReLU()`` read the
same; classes in ``drop`` (e.g. ``graph.SILENT``: Dropout, ZeroPadding2D) are
left out.  ``compare_layers`` names the first row that differs, and fails when
only a prefix matches.  ``summary`` is a model in numbers: its rows, weighted
layers and wiring.
"""
from __future__ import annotations

from typing import Any, Iterable

from grader.core.errors import Fail
from grader.core.i18n import _
from grader.judge.graph import (SILENT, Graph, activation, class_counts, describe as describe_node,
                                is_standalone_activation, own_activation, residual_problem, signature)


def _pair(v) -> tuple | None:
    if v is None:
        return None
    return tuple(int(x) for x in v) if isinstance(v, (list, tuple)) else (int(v), int(v))


STANDALONE = ("ReLU", "Activation", "Softmax", "LeakyReLU", "ELU", "PReLU")


def _opaque_rows(model, drop: set) -> list[dict[str, Any]]:
    """The rows of a model the judge could not rebuild (``graph.is_opaque``), from the layer calls the child
    recorded while it ran (in the order they ran); a standalone activation folds into the row before it."""
    out: list[dict[str, Any]] = []
    for c in model.calls():
        if c.cls in drop:
            continue
        act = c.activation if c.activation not in (None, "linear") else None
        if c.cls in STANDALONE and out and out[-1]["activation"] is None and out[-1]["class"] not in STANDALONE:
            out[-1]["activation"] = act or ("relu" if c.cls == "ReLU" else c.cls.lower())
            out[-1]["output_shape"] = c.output_shape
            continue
        out.append({"class": c.cls, "output_shape": c.output_shape, "params": c.params,
                    "activation": act if c.cls not in ("ReLU",) else "relu", "padding": c.padding,
                    "strides": c.strides})
    return out


def layer_rows(model, drop: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The rows of ``model`` (a keras.Model, or a ``Graph`` already read from one), in canonical order; for a
    model the judge could not rebuild, in the order its layers ran."""
    from grader.judge.graph import is_opaque
    if is_opaque(model):
        return _opaque_rows(model, set(drop))
    g = model if isinstance(model, Graph) else Graph(model)
    drop = set(drop)
    out: list[dict[str, Any]] = []
    nodes: list[int] = []  # the node each row ends at
    last: dict[int, int] = {}  # node index -> the node whose row it continues
    for n in g.order:
        if n.is_input:
            continue
        src = last.get(n.inputs[0], n.inputs[0]) if n.inputs else None
        if n.cls in drop:
            last[n.index] = src
            continue
        act = activation(n)
        if act and is_standalone_activation(n) and out and nodes[-1] == src \
                and out[-1]["activation"] is None and out[-1]["class"] != "Activation":
            out[-1]["activation"] = act
            out[-1]["output_shape"] = tuple(n.shape[1:])
            nodes[-1] = n.index
            continue
        cfg = n.config()
        out.append({
            "class": n.cls,
            "output_shape": tuple(n.shape[1:]),
            "params": int(n.op.count_params()) if n.n_weights else 0,
            "activation": act if is_standalone_activation(n) else own_activation(n),
            "padding": cfg.get("padding") if isinstance(cfg.get("padding"), str) else None,
            "strides": _pair(cfg.get("strides")) or None,
        })
        nodes.append(n.index)
    return out


def summary(model) -> dict:
    """A model in numbers: parameters, rows (``SILENT`` left out), weighted layers, Adds, Concatenates,
    the first residual wiring problem, layer counts by class, output shape, (first) input shape."""
    g = Graph(model)
    return {
        "params": int(model.count_params()),
        "rows": layer_rows(g, drop=SILENT),
        "weighted": [signature(n) for n in g.weighted()],
        "weighted_names": [describe_node(n) for n in g.weighted()],
        "adds": [tuple(n.shape[1:]) for n in g.order if n.cls == "Add"],
        "concats": sum(1 for n in g.order if n.cls == "Concatenate"),
        "bad_residual": residual_problem(g),
        "counts": class_counts(g),
        "output_shape": tuple(g[g.outputs[0]].shape[1:]),
        "input_shape": tuple(g[g.inputs[0]].shape[1:]),
    }


def describe(row: dict[str, Any]) -> str:
    bits = [b for b in (row.get("padding"), row.get("activation")) if b]
    inner = f"({', '.join(bits)})" if bits else ""
    shape = f" -> {row['output_shape']}" if row.get("output_shape") else ""
    return f"{row['class']}{inner}{shape}, {row['params']:,} params"


FIELDS = ("class", "output_shape", "params", "activation", "padding")


def compare_layers(got: list[dict], want: list[dict], what: str, fields=FIELDS) -> None:
    """Fail at the first row whose ``fields`` differ, or when the counts differ."""
    for i, (g, w) in enumerate(zip(got, want), start=1):
        diffs = [f for f in fields if f in w and g.get(f) != w[f]]
        if diffs:
            detail = "; ".join(_("{field} {got} instead of {want}").format(field=f, got=repr(g.get(f)), want=repr(w[f]))
                               for f in diffs)
            raise Fail(_("{what}: layer {i} is {got}, expected {want} ({detail})").format(
                what=what, i=i, got=describe(g), want=describe(w), detail=detail))
    if len(got) < len(want):
        missing = ", ".join(describe(w) for w in want[len(got):])
        raise Fail(_("{what}: the first {n} layers match but {missing_count} are missing: {missing}").format(
            what=what, n=len(got), missing_count=len(want) - len(got), missing=missing))
    if len(got) > len(want):
        extra = ", ".join(describe(g) for g in got[len(want):])
        raise Fail(_("{what}: {extra_count} extra layer(s) after the expected {n}: {extra}").format(
            what=what, extra_count=len(got) - len(want), n=len(want), extra=extra))
