"""Writing the model out floods: layers of the student's own whose class name is 5,000 characters long
and whose call() prints 2 MB each time the grader traces it on symbolic tensors, ten of them in a
row.  They compute the identity, so the model is the table's; what the child says of it is capped (names,
the printed output) and the verdict is the model's.

expect: * PASS
"""
import sys

import keras
from keras import layers


def _call(self, x):
    if isinstance(x, keras.KerasTensor):
        sys.stdout.write("x" * 2_000_000)
    return x


Loud = type("L" * 5_000, (layers.Layer,), {"call": _call})


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([keras.Input(shape=input_shape)] + [Loud() for _ in range(10)] + [
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), Loud(),
                              layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
                              layers.Conv2D(32, 3, padding="same", activation="relu"), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    return model
