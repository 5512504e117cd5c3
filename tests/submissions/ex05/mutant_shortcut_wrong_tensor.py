"""Residual block whose skip connection starts after the first ReLU instead of
at the block input (the shapes happen to fit, so Keras does not complain).

expect: residual_structure FAIL "does not take the block's input"
expect: residual_behaviour FAIL "differs from the expected output"
"""
from keras import layers


def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    h = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(h))
    return layers.ReLU()(layers.Add()([y, h]))
