"""d2l-style keras.layers.Layer subclasses (a ConvBlock combining its input and its new features
in call, a DenseBlock holding a list of them) with the same mistake as mutant_dense_add: each
layer's output is added to its input (tf.add, ResNet-style) instead of concatenated, so the
earlier features are mixed, not kept.  It must get that file's verdicts.

expect: dense_block_structure FAIL "adds the new features"
expect: dense_block_behaviour FAIL "layer with weights number 4"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense FAIL "it adds the new features to the old ones (Add) instead of"
expect: hidden_densenet121 ERROR "does not define densenet121"
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual ERROR "does not define residual_block"
expect: hidden_resnet50 ERROR "does not define resnet50"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: residual_behaviour ERROR "does not define residual_block"
expect: residual_structure ERROR "does not define residual_block"
expect: resnet50_layers ERROR "does not define resnet50"
expect: resnet50_params ERROR "does not define resnet50"
expect: transition ERROR "does not define transition_block"
"""
import keras
import tensorflow as tf
from keras import layers


class ConvBlock(keras.layers.Layer):
    def __init__(self, bottleneck_channels, **kwargs):
        super().__init__(**kwargs)
        self.bottleneck_channels = bottleneck_channels

    def build(self, input_shape):
        self.list_layers = [
            layers.BatchNormalization(), layers.ReLU(),
            layers.Conv2D(self.bottleneck_channels, 1, use_bias=False),
            layers.BatchNormalization(), layers.ReLU(),
            layers.Conv2D(input_shape[-1], 3, padding="same", use_bias=False),  # as wide as the input
        ]

    def call(self, x):
        y = x
        for layer in self.list_layers:
            y = layer(y)
        return tf.add(x, y)  # should be tf.concat([x, y], axis=-1)


class DenseBlock(keras.layers.Layer):
    def __init__(self, num_convs, growth_rate, **kwargs):
        super().__init__(**kwargs)
        self.list_layers = [ConvBlock(4 * growth_rate) for _ in range(num_convs)]

    def call(self, x):
        for layer in self.list_layers:
            x = layer(x)
        return x


def dense_block(x, num_layers, growth_rate):
    return DenseBlock(num_layers, growth_rate)(x)
