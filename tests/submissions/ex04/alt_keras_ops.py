"""A different correct solution: activations through keras.ops (graph operations,
not layers), ZeroPadding2D + "valid" instead of padding="same", and a
VGG16 that reuses vgg_block.

expect: * PASS
"""
import math

import keras
from keras import layers as kl
from keras import ops


def receptive_field(layers):
    strides = [s for _, s in layers]
    return 1 + sum((k - 1) * math.prod(strides[:i]) for i, (k, _) in enumerate(layers))


def stacked_conv_params(channels, kernel_size, depth):
    per_layer = channels * (channels * kernel_size * kernel_size) + channels
    return per_layer * depth


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = kl.ZeroPadding2D(1)(x)
        x = ops.relu(kl.Conv2D(filters, 3)(x))
    return kl.MaxPooling2D(2, 2)(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = ops.relu(kl.Conv2D(reduce_filters, 1, padding="same")(x))
    return ops.relu(kl.Conv2D(out_filters, kernel_size, padding="same")(x))


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    spec = [(96, 11, 4, "valid", True), (256, 5, 1, "same", True), (384, 3, 1, "same", False),
            (384, 3, 1, "same", False), (256, 3, 1, "same", True)]
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, k, s, pad, pool in spec:
        x = kl.Conv2D(filters, k, strides=s, padding=pad, activation="relu")(x)
        if pool:
            x = kl.MaxPooling2D(3, 2)(x)
    x = kl.Flatten()(x)
    x = kl.Dropout(0.5)(kl.Dense(4096, activation="relu")(x))
    x = kl.Dropout(0.5)(kl.Dense(4096, activation="relu")(x))
    return keras.Model(inputs, kl.Dense(num_classes, activation="softmax")(x))


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, n in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(n):
            x = kl.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = kl.MaxPooling2D(2)(x)
    x = kl.Flatten()(x)
    x = kl.Dense(4096, activation="relu")(x)
    x = kl.Dense(4096, activation="relu")(x)
    x = ops.softmax(kl.Dense(num_classes)(x))
    return keras.Model(inputs, x)
