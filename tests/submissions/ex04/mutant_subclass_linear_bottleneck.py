"""A keras.layers.Layer subclass (a Bottleneck layer with its two convolutions as attributes)
with the same mistake as mutant_linear_bottleneck: the 1x1 reduction has no ReLU.  It must get
that file's verdicts.

expect: bottleneck_layers FAIL "activation None instead of 'relu'"
expect: bottleneck_behaviour FAIL "differs"
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_arithmetic ERROR "does not define receptive_field"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: receptive_fields ERROR "does not define receptive_field"
expect: stacked_params ERROR "does not define stacked_conv_params"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""
import keras
from keras import layers


class Bottleneck(keras.layers.Layer):
    def __init__(self, reduce_filters, out_filters, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self.reduce = layers.Conv2D(reduce_filters, 1)  # no activation: a linear bottleneck
        self.conv = layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")

    def call(self, x):
        return self.conv(self.reduce(x))


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    return Bottleneck(reduce_filters, out_filters, kernel_size)(x)
