"""YOLOv2-style depth B * (5 + C): class probabilities for every box instead of once per cell.

expect: yolo_shapes FAIL "B * (5 + C)"
expect: yolo_head_layers FAIL "output shape"
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
