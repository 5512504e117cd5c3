"""A different correct solution: convolutionalize through Sequential.add with the
original layers, every Dense turned into a Conv2D; NMS with a shrinking
candidate list; IoU with explicit clamps; keras.layers.Activation layers.

expect: * PASS
"""
import numpy as np

import keras
from keras import layers


def convolutionalize(model):
    fcn = keras.Sequential([keras.Input(shape=(None, None, model.input_shape[-1]))])
    pending = None
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        if isinstance(layer, layers.Flatten):
            pending = tuple(layer.input.shape[1:])
            continue
        if isinstance(layer, layers.Dense):
            kernel, bias = layer.get_weights()
            shape = pending if pending is not None else (1, 1, kernel.shape[0])
            pending = None
            conv = layers.Conv2D(kernel.shape[1], shape[:2])
            fcn.add(conv)
            conv.set_weights([np.reshape(kernel, (*shape, kernel.shape[1])), bias])
            act = layer.get_config()["activation"]
            if act not in (None, "linear"):
                fcn.add(layers.Activation(act))
            continue
        fcn.add(layer)
    return fcn


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    if padding == "valid":
        if output_padding is None:
            return n * stride + max(kernel_size - stride, 0)
        return (n - 1) * stride + kernel_size + output_padding
    if output_padding is None:
        return n * stride
    return (n - 1) * stride + kernel_size - 2 * (kernel_size // 2) + output_padding


def upsample_block(x, filters):
    y = layers.Conv2DTranspose(filters, 3, 2, "same")(x)
    return layers.Activation("relu")(y)


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return tuple(int(v) for v in (grid, grid, boxes_per_cell * 5 + num_classes))


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    depth = boxes_per_cell * 5 + num_classes
    if feature_map.shape[1:3] != (grid, grid):
        feature_map = layers.Flatten()(feature_map)
        feature_map = layers.Dense(grid * grid * depth)(feature_map)
        return layers.Reshape((grid, grid, depth))(feature_map)
    return layers.Conv2D(depth, kernel_size=1)(feature_map)


def rpn_head(feature_map, num_anchors=9):
    h = layers.Activation("relu")(layers.Conv2D(512, 3, padding="same")(feature_map))
    return (layers.Conv2D(2 * num_anchors, 1, activation="linear")(h),
            layers.Conv2D(4 * num_anchors, 1, activation=None)(h))


def iou(box_a, box_b):
    top, left = max(box_a[0], box_b[0]), max(box_a[1], box_b[1])
    bottom, right = min(box_a[2], box_b[2]), min(box_a[3], box_b[3])
    if bottom <= top or right <= left:
        return 0.0
    inter = (bottom - top) * (right - left)
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return float(inter / (area_a + area_b - inter))


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    candidates = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    keep = []
    while candidates and len(keep) < max_outputs:
        best = candidates.pop(0)
        keep.append(best)
        candidates = [i for i in candidates if iou(boxes[best], boxes[i]) <= iou_threshold]
    return np.asarray(keep, dtype=np.int32)
