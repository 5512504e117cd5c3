"""A different correct solution: keras.ops for the additions, ReLUs and
concatenations; the inception branches built in another order (and one ReLU
after the concatenation); projections built before the main path; no biases
in the basic block (left open: BN follows); Keras's default BN epsilon; a
dense block that keeps a list of features; "same" padding in the stems
instead of ZeroPadding2D.

expect: * PASS
"""
import math

import keras
from keras import layers, ops


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    pool = layers.Conv2D(pool_proj, 1)(layers.MaxPooling2D((3, 3), (1, 1), "same")(x))
    five = layers.Conv2D(f5, 5, padding="same")(ops.relu(layers.Conv2D(f5_reduce, 1)(x)))
    three = layers.Conv2D(f3, 3, padding="same")(ops.relu(layers.Conv2D(f3_reduce, 1)(x)))
    one = layers.Conv2D(f1, 1)(x)
    return ops.relu(ops.concatenate([one, three, five, pool], axis=-1))


def residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == filters:
        shortcut = x
    else:
        shortcut = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = ops.relu(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    return ops.relu(shortcut + y)


def bottleneck_residual_block(x, filters, stride=1):
    y = x
    for i, (f, k) in enumerate([(filters, 1), (filters, 3), (4 * filters, 1)]):
        y = layers.Conv2D(f, k, strides=stride if i == 0 else 1, padding="same")(y)
        y = layers.BatchNormalization()(y)
        if i < 2:
            y = layers.Activation("relu")(y)
    if stride > 1 or x.shape[-1] != 4 * filters:
        x = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    return layers.Activation("relu")(layers.add([x, y]))


def dense_block(x, num_layers, growth_rate):
    features = [x]
    for _ in range(num_layers):
        h = features[0] if len(features) == 1 else ops.concatenate(features, axis=-1)
        h = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(ops.relu(layers.BatchNormalization()(h)))
        h = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(ops.relu(layers.BatchNormalization()(h)))
        features.append(h)
    return ops.concatenate(features, axis=-1)


def transition_block(x, compression=0.5):
    channels = math.floor(x.shape[-1] * compression)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    return layers.AveragePooling2D(2)(layers.Conv2D(channels, 1, use_bias=False)(x))


def _stem(x, use_bias):
    x = layers.Conv2D(64, 7, strides=2, padding="same", use_bias=use_bias)(x)
    x = ops.relu(layers.BatchNormalization()(x))
    return layers.MaxPooling2D(3, strides=2, padding="same")(x)


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, True)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            x = bottleneck_residual_block(x, filters, stride if i == 0 else 1)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, False)
    for i, n in enumerate([6, 12, 24, 16]):
        x = dense_block(x, n, 32)
        if i < 3:
            x = transition_block(x)
    x = layers.GlobalAveragePooling2D()(ops.relu(layers.BatchNormalization()(x)))
    x = layers.Dense(num_classes)(x)
    return keras.Model(inputs, layers.Softmax()(x))
