"""Read a Keras model as a table of layers and compare it with the expected one.

``layer_rows(model)`` flattens nested models, drops InputLayers and folds a
standalone activation layer (``Activation("relu")``, ``ReLU()``, ``Softmax()``)
into the layer before it, so ``Conv2D(32, 3, activation="relu")`` and
``Conv2D(32, 3)`` + ``ReLU()`` read the same.  ``compare_layers`` names the
first layer that differs, and fails when only a prefix matches.
"""
from __future__ import annotations

from typing import Any

import keras

from grader.core.errors import Fail
from grader.core.i18n import _

_ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax"}


def _activation(layer) -> str | None:
    cfg = layer.get_config()
    act = cfg.get("activation")
    if isinstance(act, dict):
        act = act.get("config", {}).get("name") or act.get("class_name")
    if act in (None, "linear"):
        return None
    return str(act)


def _shape(layer) -> tuple:
    try:
        return tuple(layer.output.shape[1:])
    except (AttributeError, ValueError):
        return ()


def _flat_layers(model) -> list:
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            out.extend(_flat_layers(layer))
        elif not isinstance(layer, keras.layers.InputLayer):
            out.append(layer)
    return out


def layer_rows(model) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for layer in _flat_layers(model):
        cls = type(layer).__name__
        folded = _ACTIVATION_LAYERS.get(cls) or (_activation(layer) if cls == "Activation" else None)
        if folded and rows and rows[-1]["activation"] is None and rows[-1]["class"] != "Activation":
            rows[-1]["activation"] = folded
            rows[-1]["output_shape"] = _shape(layer)
            continue
        cfg = layer.get_config()
        rows.append({
            "class": cls,
            "output_shape": _shape(layer),
            "params": int(layer.count_params()),
            "activation": _activation(layer) if "activation" in cfg else None,
            "padding": cfg.get("padding"),
            "strides": tuple(cfg["strides"]) if cfg.get("strides") is not None else None,
        })
    return rows


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
