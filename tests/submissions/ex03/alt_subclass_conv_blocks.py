"""keras.layers.Layer subclasses inside ordinary models: a ConvBlock layer (Conv2D, then a
ReLU applied with tf.nn.relu in call, then optional 2x2 max pooling) used in a Sequential conv
stack, and a custom DigitsFeatures layer in a functional digits model, so the grader cannot
rebuild either from built-in layers alone.  Both are correct and must score full marks.

expect: * PASS
"""
import keras
import tensorflow as tf
from keras import layers


class ConvBlock(keras.layers.Layer):
    """Conv2D(filters, 3x3) -> ReLU -> (MaxPooling2D(2) if pool)."""

    def __init__(self, filters, padding="same", pool=True, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding=padding)
        self.pool = layers.MaxPooling2D(2) if pool else None

    def call(self, x):
        x = tf.nn.relu(self.conv(x))
        return self.pool(x) if self.pool is not None else x


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        ConvBlock(32),
        ConvBlock(64),
        ConvBlock(64, padding="valid", pool=False),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


class DigitsFeatures(keras.layers.Layer):
    """Two 3x3 convolutions with ReLU and a pooling in between, as one layer."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(16, 3, padding="same")
        self.conv2 = layers.Conv2D(32, 3, padding="same")
        self.pool = layers.MaxPooling2D(2)

    def call(self, x):
        x = self.pool(tf.nn.relu(self.conv1(x)))
        return tf.nn.relu(self.conv2(x))


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = DigitsFeatures()(inputs)
    outputs = layers.Dense(num_classes, activation="softmax")(layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
