"""A VGG block that blows a 32x32 map up 200 times and pools it back down:
the output is not even right, but the judge must refuse to run it rather
than allocate gigabytes.

expect: vgg_block_behaviour FAIL "far more than this block needs"
expect: vgg_block_layers FAIL "UpSampling2D"
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_arithmetic ERROR "does not define receptive_field"
expect: hidden_blocks FAIL "vgg_block("
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: receptive_fields ERROR "does not define receptive_field"
expect: stacked_params ERROR "does not define stacked_conv_params"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: hidden_blocks FAIL "vgg_block(keras.Input((12,"
"""
from keras import layers


def vgg_block(x, filters, num_convs):
    x = layers.UpSampling2D(200)(x)
    x = layers.MaxPooling2D(200)(x)
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(2)(x)
