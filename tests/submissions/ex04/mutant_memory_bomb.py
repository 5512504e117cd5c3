"""A VGG block that blows a 32x32 map up 200 times and pools it back down:
the output is not even right, but the judge must refuse to run it rather
than allocate gigabytes.

expect: vgg_block_behaviour FAIL "far more than this block needs"
expect: vgg_block_layers FAIL "UpSampling2D"
"""
from keras import layers


def vgg_block(x, filters, num_convs):
    x = layers.UpSampling2D(200)(x)
    x = layers.MaxPooling2D(200)(x)
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(2)(x)
