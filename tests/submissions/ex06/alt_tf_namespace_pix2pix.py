"""TensorFlow-namespace spelling, after TensorFlow's pix2pix and detection tutorials:
upsample_block builds a small tf.keras.Sequential (Conv2DTranspose with
kernel_initializer=tf.random_normal_initializer(0., 0.02), then tf.keras.layers.ReLU()); the
RPN head uses activation=tf.nn.relu and tf.random_normal_initializer(0., 0.01) (Faster R-CNN's
init); the YOLO head tf.keras.layers; convolutionalize reshapes kernels with tf.reshape.  All
correct: full marks.

expect: * PASS
"""
import numpy as np
import tensorflow as tf

L = tf.keras.layers


def convolutionalize(model):
    inputs = tf.keras.Input(shape=(None, None, model.input_shape[-1]))
    x = inputs
    flat = None
    for layer in model.layers:
        if isinstance(layer, L.InputLayer):
            continue
        if isinstance(layer, L.Flatten):
            flat = tuple(int(d) for d in layer.input.shape[1:])
            continue
        if isinstance(layer, L.Dense):
            kernel, *rest = layer.get_weights()
            window = flat[:2] if flat is not None else (1, 1)
            kernel = tf.reshape(kernel, (*window, -1, layer.units)).numpy()
            flat = None
            conv = L.Conv2D(layer.units, window, activation=layer.activation, use_bias=layer.use_bias)
            x = conv(x)
            conv.set_weights([kernel, *rest])
        else:
            x = layer(x)
    return tf.keras.Model(inputs, x)


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    if output_padding is None:
        return n * stride if padding == "same" else n * stride + max(kernel_size - stride, 0)
    pad = kernel_size // 2 if padding == "same" else 0
    return (n - 1) * stride + kernel_size - 2 * pad + output_padding


def upsample(filters, size):
    initializer = tf.random_normal_initializer(0., 0.02)
    result = tf.keras.Sequential()
    result.add(L.Conv2DTranspose(filters, size, strides=2, padding="same", kernel_initializer=initializer))
    result.add(L.ReLU())
    return result


def upsample_block(x, filters):
    return upsample(filters, 3)(x)


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return grid, grid, boxes_per_cell * 5 + num_classes


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    depth = boxes_per_cell * 5 + num_classes
    if feature_map.shape[1] == grid and feature_map.shape[2] == grid:
        return L.Conv2D(depth, 1, kernel_initializer=tf.keras.initializers.GlorotNormal())(feature_map)
    x = L.Flatten()(feature_map)
    x = L.Dense(grid * grid * depth, kernel_initializer=tf.keras.initializers.GlorotNormal())(x)
    return L.Reshape((grid, grid, depth))(x)


def rpn_head(feature_map, num_anchors=9):
    init = tf.random_normal_initializer(0., 0.01)
    shared = L.Conv2D(512, 3, padding="same", activation=tf.nn.relu, kernel_initializer=init)(feature_map)
    scores = L.Conv2D(2 * num_anchors, 1, kernel_initializer=init)(shared)
    deltas = L.Conv2D(4 * num_anchors, 1, kernel_initializer=init)(shared)
    return scores, deltas


def iou(box_a, box_b):
    (ay1, ax1, ay2, ax2), (by1, bx1, by2, bx2) = map(lambda b: [float(v) for v in b], (box_a, box_b))
    overlap_h = max(0.0, min(ay2, by2) - max(ay1, by1))
    overlap_w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    inter = overlap_h * overlap_w
    union = (ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter
    return inter / union if union > 0 else 0.0


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    order = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))
    kept = []
    for i in order:
        if len(kept) >= max_outputs:
            break
        if all(iou(boxes[i], boxes[j]) <= iou_threshold for j in kept):
            kept.append(i)
    return np.asarray(kept, dtype=np.int32)
