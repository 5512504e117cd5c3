"""keras.layers.Layer subclasses in the textbook style (Hands-On ML's ResidualUnit): the layers
of the main path and of the shortcut kept in two lists, self.main_layers and self.skip_layers,
with the activation function object itself among the main layers and applied after the addition
in call.  residual_block and bottleneck_residual_block return such a layer called on x, and
resnet50 stacks BottleneckUnit layers in a functional model; the other functions are plain
functional code.  All correct: full marks.

expect: * PASS
"""
import functools

import keras
from keras import layers

Conv3x3 = functools.partial(layers.Conv2D, kernel_size=3, strides=1, padding="same",
                            kernel_initializer="he_normal", use_bias=False)


class ResidualUnit(keras.layers.Layer):
    """ReLU(BN(conv3x3(ReLU(BN(conv3x3/stride(x))))) + shortcut(x))."""

    def __init__(self, filters, strides=1, project=False, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)
        self.main_layers = [
            Conv3x3(filters, strides=strides),
            layers.BatchNormalization(),
            self.activation,
            Conv3x3(filters),
            layers.BatchNormalization(),
        ]
        self.skip_layers = []
        if project:
            self.skip_layers = [Conv3x3(filters, kernel_size=1, strides=strides),
                                layers.BatchNormalization()]

    def call(self, inputs):
        z = inputs
        for layer in self.main_layers:
            z = layer(z)
        skip = inputs
        for layer in self.skip_layers:
            skip = layer(skip)
        return self.activation(z + skip)


def residual_block(x, filters, stride=1):
    project = stride != 1 or x.shape[-1] != filters
    return ResidualUnit(filters, strides=stride, project=project)(x)


class BottleneckUnit(keras.layers.Layer):
    """ResNet v1's bottleneck: 1x1/stride, 3x3, 1x1 (4 * filters), convolutions with biases."""

    def __init__(self, filters, strides=1, project=False, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)
        bn = functools.partial(layers.BatchNormalization, epsilon=1.001e-5)
        self.main_layers = [
            layers.Conv2D(filters, 1, strides=strides), bn(), self.activation,
            layers.Conv2D(filters, 3, padding="same"), bn(), self.activation,
            layers.Conv2D(4 * filters, 1), bn(),
        ]
        self.skip_layers = [layers.Conv2D(4 * filters, 1, strides=strides), bn()] if project else []

    def call(self, inputs):
        z = inputs
        for layer in self.main_layers:
            z = layer(z)
        skip = inputs
        for layer in self.skip_layers:
            skip = layer(skip)
        return self.activation(z + skip)


def bottleneck_residual_block(x, filters, stride=1):
    project = stride != 1 or x.shape[-1] != 4 * filters
    return BottleneckUnit(filters, strides=stride, project=project)(x)


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    def conv(filters, size, t):
        return layers.Conv2D(filters, size, padding="same", activation="relu")(t)

    one = conv(f1, 1, x)
    three = conv(f3, 3, conv(f3_reduce, 1, x))
    five = conv(f5, 5, conv(f5_reduce, 1, x))
    pool = conv(pool_proj, 1, layers.MaxPooling2D(3, strides=1, padding="same")(x))
    return layers.Concatenate(axis=-1)([one, three, five, pool])


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(x))
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(y)
        y = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(y))
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(y)
        x = layers.Concatenate()([x, y])
    return x


def transition_block(x, compression=0.5):
    filters = int(x.shape[-1] * compression)
    x = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(x))
    x = layers.Conv2D(filters, 1, use_bias=False)(x)
    return layers.AveragePooling2D(2, strides=2)(x)


def _stem(inputs, use_bias):
    x = layers.ZeroPadding2D(3)(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias)(x)
    x = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(x))
    x = layers.ZeroPadding2D(1)(x)
    return layers.MaxPooling2D(3, strides=2)(x)


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, use_bias=True)
    channels = 64
    for filters, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for i in range(blocks):
            s = stride if i == 0 else 1
            x = BottleneckUnit(filters, strides=s, project=(s != 1 or channels != 4 * filters))(x)
            channels = 4 * filters
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, use_bias=False)
    for i, n in enumerate((6, 12, 24, 16)):
        x = dense_block(x, n, 32)
        if i < 3:
            x = transition_block(x)
    x = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(x))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
