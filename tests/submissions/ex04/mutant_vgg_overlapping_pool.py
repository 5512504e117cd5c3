"""VGG block with AlexNet's overlapping 3x3/2 pooling ("same"): the output shape
is the same as 2x2/2 pooling, so only the comparison under identical weights
can tell.

expect: vgg_block_layers PASS
expect: vgg_block_behaviour FAIL "differs from the expected output"
"""
from keras import layers


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(3, strides=2, padding="same")(x)
