"""IoU without the clamp at 0: two boxes apart in both axes have two negative
overlaps whose product looks like a positive intersection.

expect: iou_cases FAIL "no clamp at 0"
expect: nms_ties_and_touching FAIL "no clamp at 0"
"""
import numpy as np


def iou(box_a, box_b):
    ay1, ax1, ay2, ax2 = box_a
    by1, bx1, by2, bx2 = box_b
    inter = (min(ay2, by2) - max(ay1, by1)) * (min(ax2, bx2) - max(ax1, bx1))
    union = (ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter
    return inter / union


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    keep = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if len(keep) < max_outputs and all(iou(boxes[i], boxes[j]) <= iou_threshold for j in keep):
            keep.append(int(i))
    return np.array(keep)
