"""keras.layers.Layer subclasses used inside functional and Sequential models: a VGGBlock layer
(a list of 3x3 ReLU convolutions, then 2x2 max pooling) and a Bottleneck layer back vgg_block,
bottleneck and a functional VGG16 made of VGGBlock layers; AlexNet is a Sequential whose classifier
is a custom Layer (Flatten, Dense, Dropout, Dense, Dropout, Dense in call).  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


def receptive_field(layers):  # noqa: F811 -- the syllabus names the argument `layers`
    field, step = 1, 1
    for kernel_size, stride in layers:
        field += (kernel_size - 1) * step
        step *= stride
    return field


def stacked_conv_params(channels, kernel_size, depth):
    weights_per_layer = kernel_size * kernel_size * channels * channels
    return depth * (weights_per_layer + channels)


class VGGBlock(keras.layers.Layer):
    """num_convs x Conv2D(filters, 3x3, same, ReLU), then MaxPooling2D(2)."""

    def __init__(self, filters, num_convs, **kwargs):
        super().__init__(**kwargs)
        self.convs = [layers.Conv2D(filters, 3, padding="same", activation="relu") for _ in range(num_convs)]
        self.pool = layers.MaxPooling2D(pool_size=2, strides=2)

    def call(self, x):
        for conv in self.convs:
            x = conv(x)
        return self.pool(x)


class Bottleneck(keras.layers.Layer):
    """1x1 reduction with ReLU, then a k x k "same" convolution with ReLU."""

    def __init__(self, reduce_filters, out_filters, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self.reduce = layers.Conv2D(reduce_filters, 1, activation="relu")
        self.expand = layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")

    def call(self, x):
        return self.expand(self.reduce(x))


def vgg_block(x, filters, num_convs):
    return VGGBlock(filters, num_convs)(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    return Bottleneck(reduce_filters, out_filters, kernel_size)(x)


class AlexNetClassifier(keras.layers.Layer):
    """Flatten, then Dense 4096 ReLU + Dropout twice, then the softmax layer."""

    def __init__(self, num_classes, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.fc6 = layers.Dense(4096, activation="relu")
        self.drop6 = layers.Dropout(rate)
        self.fc7 = layers.Dense(4096, activation="relu")
        self.drop7 = layers.Dropout(rate)
        self.fc8 = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.drop6(self.fc6(self.flatten(x)), training=training)
        x = self.drop7(self.fc7(x), training=training)
        return self.fc8(x)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(96, 11, strides=4, activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(256, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(256, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        AlexNetClassifier(num_classes),
    ])


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        x = VGGBlock(filters, convs)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
