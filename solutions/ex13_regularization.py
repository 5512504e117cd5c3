"""Reference solution of ex13 (inverted dropout in numpy; data augmentation; a regularized CNN)."""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    rng = np.random.default_rng(seed)
    keep = rng.random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ], name="augmenter")


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        build_augmenter(),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
