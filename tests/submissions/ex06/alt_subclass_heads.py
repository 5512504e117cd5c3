"""keras.layers.Layer subclasses for the heads, called on the feature map: an UpsampleBlock
(Conv2DTranspose, then tf.nn.relu in call), a YOLOHead that chooses in build between the 1x1
convolution and Flatten/Dense/Reshape from the input shape, and an RPNHead whose call returns the
pair (scores, deltas).  convolutionalize, the lengths, IoU and NMS are plain code.  All correct:
full marks.

expect: * PASS
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers


class UpsampleBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.deconv = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")

    def call(self, x):
        return tf.nn.relu(self.deconv(x))


def upsample_block(x, filters):
    return UpsampleBlock(filters)(x)


class YOLOHead(keras.layers.Layer):
    def __init__(self, grid, boxes_per_cell, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.grid = grid
        self.depth = boxes_per_cell * 5 + num_classes

    def build(self, input_shape):
        self.on_grid = tuple(input_shape[1:3]) == (self.grid, self.grid)
        if self.on_grid:
            self.conv = layers.Conv2D(self.depth, 1)
        else:
            self.flatten = layers.Flatten()
            self.dense = layers.Dense(self.grid * self.grid * self.depth)
            self.reshape = layers.Reshape((self.grid, self.grid, self.depth))

    def call(self, x):
        if self.on_grid:
            return self.conv(x)
        return self.reshape(self.dense(self.flatten(x)))


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    return YOLOHead(grid, boxes_per_cell, num_classes)(feature_map)


class RPNHead(keras.layers.Layer):
    def __init__(self, num_anchors=9, **kwargs):
        super().__init__(**kwargs)
        self.shared = layers.Conv2D(512, 3, padding="same", activation="relu")
        self.cls_logits = layers.Conv2D(2 * num_anchors, 1)
        self.bbox_pred = layers.Conv2D(4 * num_anchors, 1)

    def call(self, feature_map):
        h = self.shared(feature_map)
        return self.cls_logits(h), self.bbox_pred(h)


def rpn_head(feature_map, num_anchors=9):
    scores, deltas = RPNHead(num_anchors)(feature_map)
    return scores, deltas


def convolutionalize(model):
    inputs = keras.Input(shape=(None, None, model.input_shape[-1]))
    x, flat_shape = inputs, None
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        if isinstance(layer, layers.Flatten):
            flat_shape = tuple(layer.input.shape[1:])
        elif isinstance(layer, layers.Dense):
            kernel, bias = layer.get_weights()
            h, w = flat_shape[:2] if flat_shape else (1, 1)
            conv = layers.Conv2D(layer.units, (h, w), activation=layer.activation)
            x = conv(x)
            conv.set_weights([kernel.reshape(h, w, -1, layer.units), bias])
            flat_shape = None
        else:
            x = layer(x)
    return keras.Model(inputs, x)


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    if output_padding is not None:
        pad = kernel_size // 2 if padding == "same" else 0
        return (n - 1) * stride + kernel_size - 2 * pad + output_padding
    return n * stride + (0 if padding == "same" else max(kernel_size - stride, 0))


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return (grid, grid, boxes_per_cell * 5 + num_classes)


def iou(box_a, box_b):
    a = np.asarray(box_a, dtype=np.float64)
    b = np.asarray(box_b, dtype=np.float64)
    top_left = np.maximum(a[:2], b[:2])
    bottom_right = np.minimum(a[2:], b[2:])
    inter = float(np.prod(np.clip(bottom_right - top_left, 0.0, None)))
    union = float(np.prod(a[2:] - a[:2]) + np.prod(b[2:] - b[:2]) - inter)
    return inter / union if union > 0 else 0.0


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    candidates = list(np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable"))
    keep = []
    while candidates and len(keep) < max_outputs:
        best = int(candidates.pop(0))
        keep.append(best)
        candidates = [i for i in candidates if iou(boxes[best], boxes[i]) <= iou_threshold]
    return np.array(keep, dtype=np.int32)
