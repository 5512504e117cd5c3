"""d2l-style subclasses: the inception block is a keras.Model subclass with the branch layers
as attributes (p1_1, p2_1, ...) called like a layer; dense_block and transition_block use
keras.layers.Layer subclasses (a ConvBlock that returns tf.concat([x, y], axis=-1), a DenseBlock
holding a list of them, a TransitionBlock that sizes its 1x1 convolution in build from the input
channels); DenseNet-121 is a Sequential of those layers.  Residual blocks and ResNet-50 are plain
functional code.  All correct: full marks.

expect: * PASS
"""
import keras
import tensorflow as tf
from keras import layers

EPS = 1.001e-5


class Inception(keras.Model):
    def __init__(self, c1, c2, c3, c4, **kwargs):
        super().__init__(**kwargs)
        self.p1_1 = layers.Conv2D(c1, 1, activation="relu")
        self.p2_1 = layers.Conv2D(c2[0], 1, activation="relu")
        self.p2_2 = layers.Conv2D(c2[1], 3, padding="same", activation="relu")
        self.p3_1 = layers.Conv2D(c3[0], 1, activation="relu")
        self.p3_2 = layers.Conv2D(c3[1], 5, padding="same", activation="relu")
        self.p4_1 = layers.MaxPool2D(3, 1, padding="same")
        self.p4_2 = layers.Conv2D(c4, 1, activation="relu")

    def call(self, x):
        p1 = self.p1_1(x)
        p2 = self.p2_2(self.p2_1(x))
        p3 = self.p3_2(self.p3_1(x))
        p4 = self.p4_2(self.p4_1(x))
        return layers.Concatenate()([p1, p2, p3, p4])


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    return Inception(f1, (f3_reduce, f3), (f5_reduce, f5), pool_proj)(x)


class ConvBlock(keras.layers.Layer):
    """One DenseNet-BC layer; returns its input with the new features concatenated after it."""

    def __init__(self, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.list_layers = [
            layers.BatchNormalization(epsilon=EPS), layers.ReLU(),
            layers.Conv2D(4 * num_channels, 1, use_bias=False),
            layers.BatchNormalization(epsilon=EPS), layers.ReLU(),
            layers.Conv2D(num_channels, 3, padding="same", use_bias=False),
        ]

    def call(self, x):
        y = x
        for layer in self.list_layers:
            y = layer(y)
        return tf.concat([x, y], axis=-1)


class DenseBlock(keras.layers.Layer):
    def __init__(self, num_convs, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.list_layers = [ConvBlock(num_channels) for _ in range(num_convs)]

    def call(self, x):
        for layer in self.list_layers:
            x = layer(x)
        return x


class TransitionBlock(keras.layers.Layer):
    def __init__(self, compression=0.5, **kwargs):
        super().__init__(**kwargs)
        self.compression = compression
        self.batch_norm = layers.BatchNormalization(epsilon=EPS)
        self.relu = layers.ReLU()
        self.avg_pool = layers.AvgPool2D(pool_size=2, strides=2)

    def build(self, input_shape):
        self.conv = layers.Conv2D(int(input_shape[-1] * self.compression), 1, use_bias=False)

    def call(self, x):
        return self.avg_pool(self.conv(self.relu(self.batch_norm(x))))


def dense_block(x, num_layers, growth_rate):
    return DenseBlock(num_layers, growth_rate)(x)


def transition_block(x, compression=0.5):
    return TransitionBlock(compression)(x)


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    net = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.ZeroPadding2D(3),
        layers.Conv2D(64, 7, strides=2, use_bias=False),
        layers.BatchNormalization(epsilon=EPS), layers.ReLU(),
        layers.ZeroPadding2D(1),
        layers.MaxPool2D(3, strides=2),
    ])
    for i, num_convs in enumerate([6, 12, 24, 16]):
        net.add(DenseBlock(num_convs, 32))
        if i < 3:
            net.add(TransitionBlock(0.5))
    net.add(layers.BatchNormalization(epsilon=EPS))
    net.add(layers.ReLU())
    net.add(layers.GlobalAvgPool2D())
    net.add(layers.Dense(num_classes, activation="softmax"))
    return net


def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, shortcut]))


def bottleneck_residual_block(x, filters, stride=1):
    shortcut = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        shortcut = layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    y = layers.ReLU()(layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(filters, 3, padding="same")(y)))
    y = layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(4 * filters, 1)(y))
    return layers.ReLU()(layers.Add()([y, shortcut]))


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = layers.ZeroPadding2D(3)(inputs)
    x = layers.ReLU()(layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(64, 7, strides=2)(x)))
    x = layers.MaxPooling2D(3, strides=2)(layers.ZeroPadding2D(1)(x))
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        x = bottleneck_residual_block(x, filters, stride)
        for _ in range(blocks - 1):
            x = bottleneck_residual_block(x, filters)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
