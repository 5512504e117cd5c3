"""Both models written as keras.Model subclasses (layers as attributes, the forward pass in call):
the conv stack is called once on a keras.Input, so it is built; the digits model is returned
compiled but never built (fit builds it).  Both are correct and must score full marks.

expect: * PASS
"""
import keras
from keras import layers


class ConvStack(keras.Model):
    """The CIFAR-10 tutorial stack as a subclassed model."""

    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(32, 3, padding="same", activation="relu")
        self.pool1 = layers.MaxPooling2D(2)
        self.conv2 = layers.Conv2D(64, 3, padding="same", activation="relu")
        self.pool2 = layers.MaxPooling2D(2)
        self.conv3 = layers.Conv2D(64, 3, padding="valid", activation="relu")
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(64, activation="relu")
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs):
        x = self.pool1(self.conv1(inputs))
        x = self.pool2(self.conv2(x))
        x = self.conv3(x)
        return self.classifier(self.hidden(self.flatten(x)))


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    model = ConvStack(num_classes)
    model(keras.Input(shape=input_shape))  # builds every layer for this input shape
    return model


class DigitsNet(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.features = [layers.Conv2D(16, 3, padding="same", activation="relu"),
                         layers.MaxPooling2D(2),
                         layers.Conv2D(32, 3, padding="same", activation="relu")]
        self.flatten = layers.Flatten()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        for layer in self.features:
            x = layer(x)
        return self.head(self.flatten(x))


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = DigitsNet(num_classes)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
