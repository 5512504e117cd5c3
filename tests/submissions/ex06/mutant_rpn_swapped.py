"""RPN head that returns (deltas, scores) instead of (scores, deltas).

expect: rpn FAIL "returned (deltas, scores)"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: nms_basic ERROR "does not define non_max_suppression"
expect: nms_ties_and_touching ERROR "does not define non_max_suppression"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
"""
from keras import layers


def rpn_head(feature_map, num_anchors=9):
    x = layers.Conv2D(512, 3, padding="same", activation="relu")(feature_map)
    return layers.Conv2D(4 * num_anchors, 1)(x), layers.Conv2D(2 * num_anchors, 1)(x)
