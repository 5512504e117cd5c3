"""Inception block whose 5x5 branch skips the 1x1 reduction (the expensive way).

expect: inception_structure FAIL "branch 3 (5x5) is conv5x5-relu"
"""
from keras import layers


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    b1 = layers.Conv2D(f1, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3_reduce, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(b3)
    b5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(x)
    bp = layers.MaxPooling2D(3, strides=1, padding="same")(x)
    bp = layers.Conv2D(pool_proj, 1, activation="relu")(bp)
    return layers.Concatenate()([b1, b3, b5, bp])
