"""VGG block whose convolutions use the default "valid" padding: each shrinks the map by 2.

expect: vgg_block_layers FAIL "output_shape"
expect: vgg_block_behaviour FAIL "shape"
"""
from keras import layers


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, activation="relu")(x)
    return layers.MaxPooling2D(2)(x)
