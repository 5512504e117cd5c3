"""NMS that sorts by score and cuts at max_outputs but never suppresses anything.

expect: nms_basic FAIL "nothing was suppressed"
"""
import numpy as np


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    return np.argsort(-np.asarray(scores), kind="stable")[:max_outputs]
