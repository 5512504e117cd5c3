"""Transition block that rounds C * compression (15 * 0.5 -> 8) instead of flooring it (7).

expect: transition FAIL "rounded C * compression instead of flooring"
"""
from keras import layers


def transition_block(x, compression=0.5):
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Conv2D(round(x.shape[-1] * compression), 1, use_bias=False)(x)
    return layers.AveragePooling2D(2)(x)
