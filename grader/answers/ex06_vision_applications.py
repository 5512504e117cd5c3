"""ex06's truths that are not Keras's own: non-max suppression as the docstring states it, and the versions
of it that make each known mistake (``grader.checks.ex06_vision_applications.NMS_MISTAKES``)."""
from __future__ import annotations

import numpy as np


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
