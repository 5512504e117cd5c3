"""A real Keras model with a Lambda layer: its config carries Python bytecode
that deserializing would run in the grader.

expect: * ERROR "Lambda"
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Lambda(lambda x: x * 1.0),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax"),
    ])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Lambda(lambda x: x),
                              layers.Conv2D(8, 3, activation="relu"), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model
