"""Built-in layers the reference never uses, after the augmenter: Rescaling to [-1, 1], a fixed
Normalization (mean and variance given, no adapt), GaussianNoise, Activation("relu") layers and
ActivityRegularization (a regularizer: it must not change a verdict) before Flatten and Dropout.
Correct, within 50,000 parameters: full marks, the trained accuracy included.

expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ])


def build_regularized_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)
    x = build_augmenter()(inputs)
    x = layers.Rescaling(2.0, offset=-1.0)(x)
    x = layers.Normalization(mean=0.0, variance=0.5)(x)
    x = layers.GaussianNoise(0.01)(x)
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.ActivityRegularization(l2=1e-6)(x)
    x = layers.Dropout(0.2)(layers.Flatten()(x))
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
