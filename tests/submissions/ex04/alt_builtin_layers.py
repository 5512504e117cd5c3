"""Built-in layers and spellings the reference never uses: activations as keras.activations
functions passed to the layers, separate ReLU / Activation(keras.activations.relu) layers, a
Softmax layer after a linear Dense, MaxPool2D, and ZeroPadding2D(2) + a "valid" 5x5 convolution
for AlexNet's "same" one.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


def receptive_field(layers):  # noqa: F811 -- the syllabus names the argument `layers`
    strides = [s for _k, s in layers]
    total = 1
    for i, (k, _s) in enumerate(layers):
        step = 1
        for s in strides[:i]:
            step *= s
        total += (k - 1) * step
    return total


def stacked_conv_params(channels, kernel_size, depth):
    one = keras.layers.Conv2D(channels, kernel_size)
    one.build((None, None, None, channels))
    return depth * one.count_params()


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.ReLU()(x)
    return layers.MaxPool2D(pool_size=2)(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = layers.Conv2D(reduce_filters, 1, activation=keras.activations.relu)(x)
    x = layers.Conv2D(out_filters, kernel_size, padding="same")(x)
    return layers.Activation(keras.activations.relu)(x)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(96, 11, strides=4, activation=keras.activations.relu)(inputs)
    x = layers.MaxPool2D(3, strides=2)(x)
    x = layers.ZeroPadding2D(2)(x)
    x = layers.Conv2D(256, 5, activation=keras.activations.relu)(x)
    x = layers.MaxPool2D(3, strides=2)(x)
    for filters in (384, 384, 256):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.ReLU()(x)
    x = layers.MaxPool2D(3, strides=2)(x)
    x = layers.Flatten()(x)
    for _ in range(2):
        x = layers.Dense(4096, activation=keras.activations.relu)(x)
        x = layers.Dropout(0.5)(x)
    x = layers.Dense(num_classes)(x)
    return keras.Model(inputs, layers.Softmax()(x))


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        x = vgg_block(x, filters, convs)
    x = layers.Flatten()(x)
    x = layers.Activation(keras.activations.relu)(layers.Dense(4096)(x))
    x = layers.Activation(keras.activations.relu)(layers.Dense(4096)(x))
    x = layers.Dense(num_classes)(x)
    return keras.Model(inputs, layers.Activation(keras.activations.softmax)(x))
