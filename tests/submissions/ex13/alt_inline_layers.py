"""The augmentation layers written straight into the model (not a nested Sequential), in yet
another order, BatchNormalization after each ReLU; dropout written with a uniform draw compared the
other way.

expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    if not training or rate == 0:
        return x
    u = np.random.default_rng(seed).uniform(size=np.shape(x))
    return np.where(u < 1 - rate, np.asarray(x) / (1 - rate), 0)


def _augmentation():
    return [layers.RandomTranslation(0.1, 0.1), layers.RandomRotation(0.05), layers.RandomFlip("horizontal")]


def build_augmenter():
    return keras.Sequential(_augmentation())


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential([keras.Input(shape=input_shape)] + _augmentation() + [
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
