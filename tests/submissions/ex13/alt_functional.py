"""Another way to write all three: a boolean mask from binomial draws, the augmenter's layers
in another order with (lower, upper) factors, and a functional model that calls the augmenter
on its input, BatchNormalization after each convolution (with its own bias), and SpatialDropout2D
as well as Dropout.

expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x, dtype=np.float32)
    if training and rate > 0:
        keep = np.random.default_rng(seed).binomial(1, 1.0 - rate, size=x.shape).astype(bool)
        return x * keep * np.float32(1.0 / (1.0 - rate))
    return x.copy()


def build_augmenter():
    augmenter = keras.Sequential(name="augment")
    augmenter.add(layers.RandomRotation(factor=(-0.05, 0.05), fill_mode="nearest"))
    augmenter.add(layers.RandomFlip(mode="horizontal", seed=7))
    augmenter.add(layers.RandomTranslation(height_factor=(-0.1, 0.1), width_factor=0.1))
    return augmenter


def build_regularized_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape, name="image")
    x = build_augmenter()(inputs)
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, (3, 3), padding="same")(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.ReLU()(x)
        x = layers.MaxPool2D()(x)
    x = layers.SpatialDropout2D(0.1)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs, name="regularized")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=4e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
