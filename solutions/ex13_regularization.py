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


def _conv_block(filters):
    return [layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.9),
            layers.ReLU(),
            layers.MaxPooling2D(2)]


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential(
        [keras.Input(shape=input_shape), build_augmenter()]
        + _conv_block(16) + _conv_block(32) + _conv_block(64)
        + [layers.Flatten(), layers.Dropout(0.2), layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
