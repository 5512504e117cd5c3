"""Upsampling by UpSampling2D + a 3x3 convolution instead of a transposed convolution:
the shape is right, the layers are not.

expect: upsample FAIL "UpSampling2D"
"""
from keras import layers


def upsample_block(x, filters):
    x = layers.UpSampling2D(2)(x)
    return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
