"""Reference solution of ex06 (vision applications: FCN, transposed convolutions, YOLO, RPN, IoU, NMS)."""
import numpy as np

import keras
from keras import layers


def convolutionalize(model):
    inputs = keras.Input(shape=(None, None, model.input_shape[-1]))
    x = inputs
    flat_shape = None
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        if isinstance(layer, layers.Flatten):
            flat_shape = tuple(layer.input.shape[1:])
            continue
        if isinstance(layer, layers.Dense):
            weights = layer.get_weights()
            kernel = weights[0]
            if flat_shape is not None:
                kernel = kernel.reshape(*flat_shape, layer.units)  # Flatten orders features H, W, C
                flat_shape = None
            else:
                kernel = kernel.reshape(1, 1, *kernel.shape)
            conv = layers.Conv2D(layer.units, kernel.shape[:2], activation=layer.activation,
                                 use_bias=layer.use_bias)
            x = conv(x)
            conv.set_weights([kernel, *weights[1:]])
        else:
            x = layer(x)
    return keras.Model(inputs, x)


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    if output_padding is None:
        if padding == "same":
            return n * stride
        return n * stride + max(kernel_size - stride, 0)
    pad = kernel_size // 2 if padding == "same" else 0
    return (n - 1) * stride + kernel_size - 2 * pad + output_padding


def upsample_block(x, filters):
    return layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(x)


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return (grid, grid, boxes_per_cell * 5 + num_classes)


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    depth = boxes_per_cell * 5 + num_classes
    if tuple(feature_map.shape[1:3]) == (grid, grid):
        return layers.Conv2D(depth, 1)(feature_map)
    x = layers.Flatten()(feature_map)
    x = layers.Dense(grid * grid * depth)(x)
    return layers.Reshape((grid, grid, depth))(x)


def rpn_head(feature_map, num_anchors=9):
    x = layers.Conv2D(512, 3, padding="same", activation="relu")(feature_map)
    scores = layers.Conv2D(2 * num_anchors, 1)(x)
    deltas = layers.Conv2D(4 * num_anchors, 1)(x)
    return scores, deltas


def iou(box_a, box_b):
    ay1, ax1, ay2, ax2 = (float(v) for v in box_a)
    by1, bx1, by2, bx2 = (float(v) for v in box_b)
    inter = max(0.0, min(ay2, by2) - max(ay1, by1)) * max(0.0, min(ax2, bx2) - max(ax1, bx1))
    union = (ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter
    return inter / union if union > 0 else 0.0


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    boxes = np.asarray(boxes, dtype=np.float64)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")  # ties: lower index first
    keep = []
    for i in order:
        if len(keep) == max_outputs:
            break
        if all(iou(boxes[i], boxes[j]) <= iou_threshold for j in keep):
            keep.append(int(i))
    return np.array(keep, dtype=np.int32)
