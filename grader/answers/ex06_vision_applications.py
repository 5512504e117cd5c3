"""ex06's truths that are not Keras's own: the reference heads in plain Keras (upsampling, YOLO, RPN: what
``grader.checks.ex06_vision_applications`` compares the student's with, by layers and under identical
weights; the checks ask for a head's Keras config on an input shape, ``head_config``), and non-max suppression
as the docstring states it, with the versions of it that make each known mistake
(``grader.checks.ex06_vision_applications.NMS_MISTAKES``)."""
from __future__ import annotations

import functools

import keras
import numpy as np
from keras import layers

from grader.core.stateless import no_weights

UPSAMPLE_LAYER = {"kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"}


def ref_upsample(x, filters):
    return layers.Conv2DTranspose(filters=filters, **UPSAMPLE_LAYER)(x)


def ref_rpn(x, k=9):
    h = layers.Conv2D(512, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(2 * k, 1)(h), layers.Conv2D(4 * k, 1)(h)


def ref_yolo(x, grid, b, c):
    depth = b * 5 + c
    if tuple(x.shape[1:3]) == (grid, grid):
        return layers.Conv2D(depth, 1)(x)
    return layers.Reshape((grid, grid, depth))(layers.Dense(grid * grid * depth)(layers.Flatten()(x)))


HEADS = {"upsample": ref_upsample, "rpn": ref_rpn, "yolo": ref_yolo}


@functools.lru_cache(maxsize=64)
def head_config(head: str, input_shape: tuple, *args) -> dict:
    """The config of keras.Model(x, reference(x, *args)) on x = keras.Input(input_shape), built without weights
    (``head``: "upsample", "rpn" or "yolo")."""
    with no_weights():
        x = keras.Input(shape=tuple(input_shape))
        model = keras.Model(x, HEADS[head](x, *args))
    return keras.saving.serialize_keras_object(model)


def _np_iou(a, b, clamp=True):
    oy, ox = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    inter = max(oy, 0) * max(ox, 0) if clamp else oy * ox
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    if not clamp:  # what the unclamped formula gives in numpy, division by zero included
        with np.errstate(all="ignore"):
            return np.float64(inter) / np.float64(union)
    return inter / union if union > 0 else 0.0


def nms_variant(boxes, scores, max_outputs, thr, *, ge=False, reverse_ties=False, against_all=False,
                suppress=True, limit=True, clamp=True):
    boxes = np.asarray(boxes, np.float64)
    scores = np.asarray(scores, np.float64)
    order = np.argsort(scores)[::-1] if reverse_ties else np.argsort(-scores, kind="stable")
    keep, seen = [], []
    for i in order:
        if limit and len(keep) == max_outputs:
            break
        others = seen if against_all else keep
        ious = [_np_iou(boxes[i], boxes[j], clamp) for j in others]
        hit = any(v >= thr if ge else v > thr for v in ious)
        if not suppress or not hit:
            keep.append(int(i))
        seen.append(int(i))
    return np.array(keep, dtype=np.int64)
