"""IoU without the clamp at 0: two boxes apart in both axes have two negative
overlaps whose product looks like a positive intersection.

expect: iou_cases FAIL "no clamp at 0"
expect: nms_ties_and_touching FAIL "no clamp at 0"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms FAIL "no clamp at 0: two negative overlaps multiply to a positive"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: nms_basic FAIL "returned"
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
expect: nms_basic FAIL "non_max_suppression(<6 boxes>, <scores>, 10, 0.5) with"
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
