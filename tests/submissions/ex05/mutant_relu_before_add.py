"""Residual block that applies the last ReLU to the main path and adds the
shortcut after it: out = ReLU(BN(conv(...))) + x.

expect: residual_structure FAIL "ends with the addition"
expect: residual_behaviour FAIL "differs from the expected output"
"""
from keras import layers


def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    y = layers.ReLU()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.Add()([y, shortcut])
