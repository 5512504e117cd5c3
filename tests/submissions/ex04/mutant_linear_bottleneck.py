"""A bottleneck whose 1x1 reduction has no ReLU (a linear bottleneck, not what was asked).

expect: bottleneck_layers FAIL "activation None instead of 'relu'"
expect: bottleneck_behaviour FAIL "differs"
"""
from keras import layers


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = layers.Conv2D(reduce_filters, 1)(x)
    return layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")(x)
