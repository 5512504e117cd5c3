"""NMS that sorts by score and cuts at max_outputs but never suppresses anything.

expect: nms_basic FAIL "nothing was suppressed"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: nms_ties_and_touching FAIL "overlapping boxes were kept: nothing was su"
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
"""
import numpy as np


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    return np.argsort(-np.asarray(scores), kind="stable")[:max_outputs]
