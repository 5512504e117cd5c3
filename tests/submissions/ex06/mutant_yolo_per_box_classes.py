"""YOLOv2-style depth B * (5 + C): class probabilities for every box instead of once per cell.

expect: yolo_shapes FAIL "B * (5 + C)"
expect: yolo_head_layers FAIL "output shape"
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
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
"""
from keras import layers


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return (grid, grid, boxes_per_cell * (5 + num_classes))


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    depth = boxes_per_cell * (5 + num_classes)
    if feature_map.shape[1] == grid and feature_map.shape[2] == grid:
        return layers.Conv2D(depth, 1)(feature_map)
    x = layers.Dense(grid * grid * depth)(layers.Flatten()(feature_map))
    return layers.Reshape((grid, grid, depth))(x)
