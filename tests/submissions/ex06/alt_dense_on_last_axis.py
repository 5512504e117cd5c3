"""A different correct solution: convolutionalize converts only the Dense layer
after Flatten and keeps the later Dense layers (a Dense acts on the last axis,
which is a 1x1 convolution); copies of the feature layers instead of reusing
them; a vectorised IoU matrix for NMS; ReLU layers; a sigmoid YOLO head (its
activation is left open); keras.ops in the heads.

expect: * PASS
"""
import numpy as np

import keras
from keras import layers, ops


def convolutionalize(model):
    channels = model.inputs[0].shape[-1]
    inputs = keras.Input(shape=(None, None, channels))
    x = inputs
    seen_flatten = False
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        if isinstance(layer, layers.Flatten):
            seen_flatten = True
            h, w, c = layer.input.shape[1:]
            continue
        if isinstance(layer, layers.Dense) and seen_flatten:
            kernel, bias = layer.get_weights()
            conv = layers.Conv2D(layer.units, (h, w), activation=layer.get_config()["activation"])
            x = conv(x)
            conv.set_weights([kernel.reshape(h, w, c, layer.units), bias])
            seen_flatten = False
            continue
        copy = layer.__class__.from_config(layer.get_config() | {"name": layer.name + "_fcn"})
        x = copy(x)
        if layer.get_weights():
            copy.set_weights(layer.get_weights())
    return keras.Model(inputs, x)


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    if output_padding is not None:
        pad = (kernel_size // 2) if padding == "same" else 0
        return (n - 1) * stride + kernel_size - 2 * pad + output_padding
    return n * stride if padding == "same" else n * stride + max(kernel_size - stride, 0)


def upsample_block(x, filters):
    return layers.ReLU()(layers.Conv2DTranspose(filters, (3, 3), strides=(2, 2), padding="same")(x))


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return grid, grid, 5 * boxes_per_cell + num_classes


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    s, depth = grid, 5 * boxes_per_cell + num_classes
    if feature_map.shape[1] == s and feature_map.shape[2] == s:
        return layers.Conv2D(depth, (1, 1), activation="sigmoid")(feature_map)
    flat = layers.Flatten()(feature_map)
    return layers.Reshape((s, s, depth))(layers.Dense(s * s * depth, activation="sigmoid")(flat))


def rpn_head(feature_map, num_anchors=9):
    shared = ops.relu(layers.Conv2D(512, (3, 3), padding="same")(feature_map))
    deltas = layers.Conv2D(num_anchors * 4, (1, 1))(shared)
    scores = layers.Conv2D(num_anchors * 2, (1, 1))(shared)
    return scores, deltas


def _iou_matrix(a, b):
    y1 = np.maximum(a[:, None, 0], b[None, :, 0])
    x1 = np.maximum(a[:, None, 1], b[None, :, 1])
    y2 = np.minimum(a[:, None, 2], b[None, :, 2])
    x2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(y2 - y1, 0, None) * np.clip(x2 - x1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def iou(box_a, box_b):
    return float(_iou_matrix(np.asarray([box_a], float), np.asarray([box_b], float))[0, 0])


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    boxes = np.asarray(boxes, dtype=float)
    scores = np.asarray(scores, dtype=float)
    order = np.lexsort((np.arange(len(scores)), -scores))  # by score, then by index
    ious = _iou_matrix(boxes, boxes)
    alive = np.ones(len(scores), bool)
    keep = []
    for i in order:
        if not alive[i]:
            continue
        keep.append(i)
        if len(keep) == max_outputs:
            break
        alive &= ious[i] <= iou_threshold
    return np.array(keep, dtype=np.int64)
