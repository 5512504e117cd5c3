"""A textbook ResidualUnit keras.layers.Layer subclass (self.main_layers / self.skip_layers, the
activation function object applied in call) with the same mistake as mutant_relu_before_add: the
last ReLU is applied to the main path and the shortcut is added after it,
out = ReLU(BN(conv(...))) + shortcut.  It must get that file's verdicts.

expect: residual_structure FAIL "ends with the addition"
expect: residual_behaviour FAIL "differs from the expected output"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
expect: dense_block_behaviour ERROR "does not define dense_block"
expect: dense_block_structure ERROR "does not define dense_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense ERROR "does not define dense_block"
expect: hidden_densenet121 ERROR "does not define densenet121"
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual FAIL "residual_block("
expect: hidden_resnet50 ERROR "does not define resnet50"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: resnet50_layers ERROR "does not define resnet50"
expect: resnet50_params ERROR "does not define resnet50"
expect: transition ERROR "does not define transition_block"
expect: hidden_residual FAIL "residual_block(keras.Input((5,"
"""
import keras
from keras import layers


class ResidualUnit(keras.layers.Layer):
    def __init__(self, filters, strides=1, project=False, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)
        self.main_layers = [
            layers.Conv2D(filters, 3, strides=strides, padding="same"),
            layers.BatchNormalization(),
            self.activation,
            layers.Conv2D(filters, 3, padding="same"),
            layers.BatchNormalization(),
            self.activation,  # the mistake: ReLU before the addition
        ]
        self.skip_layers = [layers.Conv2D(filters, 1, strides=strides),
                            layers.BatchNormalization()] if project else []

    def call(self, inputs):
        z = inputs
        for layer in self.main_layers:
            z = layer(z)
        skip = inputs
        for layer in self.skip_layers:
            skip = layer(skip)
        return z + skip


def residual_block(x, filters, stride=1):
    return ResidualUnit(filters, strides=stride, project=stride != 1 or x.shape[-1] != filters)(x)
