"""AlexNet and VGG16 as keras.Model subclasses: AlexNet is returned unbuilt (its layers get their
shapes at the first call), VGG16 is called once on keras.Input(shape=input_shape) so it is built.
The blocks are plain functional code.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


def receptive_field(layers):  # noqa: F811 -- the syllabus names the argument `layers`
    total, jump = 1, 1
    for k, s in layers:
        total += (k - 1) * jump
        jump *= s
    return total


def stacked_conv_params(channels, kernel_size, depth):
    return sum((kernel_size ** 2 * channels + 1) * channels for _ in range(depth))


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(2)(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    y = layers.Conv2D(reduce_filters, 1, activation="relu")(x)
    return layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")(y)


class AlexNet(keras.Model):
    def __init__(self, num_classes=1000, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(96, 11, strides=4, padding="valid", activation="relu")
        self.pool1 = layers.MaxPooling2D(3, strides=2)
        self.conv2 = layers.Conv2D(256, 5, padding="same", activation="relu")
        self.pool2 = layers.MaxPooling2D(3, strides=2)
        self.conv3 = layers.Conv2D(384, 3, padding="same", activation="relu")
        self.conv4 = layers.Conv2D(384, 3, padding="same", activation="relu")
        self.conv5 = layers.Conv2D(256, 3, padding="same", activation="relu")
        self.pool5 = layers.MaxPooling2D(3, strides=2)
        self.flatten = layers.Flatten()
        self.fc6 = layers.Dense(4096, activation="relu")
        self.drop6 = layers.Dropout(0.5)
        self.fc7 = layers.Dense(4096, activation="relu")
        self.drop7 = layers.Dropout(0.5)
        self.fc8 = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=False):
        x = self.pool1(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.pool5(self.conv5(self.conv4(self.conv3(x))))
        x = self.drop6(self.fc6(self.flatten(x)), training=training)
        x = self.drop7(self.fc7(x), training=training)
        return self.fc8(x)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return AlexNet(num_classes)


class VGG16(keras.Model):
    CONFIG = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))

    def __init__(self, num_classes=1000, **kwargs):
        super().__init__(**kwargs)
        self.blocks = []
        for filters, convs in self.CONFIG:
            self.blocks.append([layers.Conv2D(filters, 3, padding="same", activation="relu")
                                for _ in range(convs)] + [layers.MaxPooling2D(2)])
        self.flatten = layers.Flatten()
        self.fc1 = layers.Dense(4096, activation="relu")
        self.fc2 = layers.Dense(4096, activation="relu")
        self.predictions = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        for block in self.blocks:
            for layer in block:
                x = layer(x)
        return self.predictions(self.fc2(self.fc1(self.flatten(x))))


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    model = VGG16(num_classes)
    model(keras.Input(shape=input_shape))
    return model
