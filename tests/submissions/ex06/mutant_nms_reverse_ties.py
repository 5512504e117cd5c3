"""NMS that orders with argsort(scores)[::-1]: equal scores come highest index first.

expect: nms_basic PASS
expect: nms_ties_and_touching FAIL "highest index first"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
"""
import numpy as np


def _iou(a, b):
    inter = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    keep = []
    for i in np.argsort(scores)[::-1]:
        if len(keep) < max_outputs and all(_iou(boxes[i], boxes[j]) <= iou_threshold for j in keep):
            keep.append(int(i))
    return np.array(keep, dtype=int)
