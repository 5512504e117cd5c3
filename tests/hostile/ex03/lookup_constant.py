"""A model that looks its input up in the public test set with keras.ops only: the test images and their
labels are constants in the model's graph (not weights, so they count for no parameter budget).  A
judge that rebuilt it would score it on the very images it carries, so the judge does not rebuild a graph
that carries more than 4,096 constant values (grader/core/guard.py): the child trains it and it is scored
on noisy copies of the test images, where the lookup finds nothing.

expect: digits_model_accuracy FAIL "below the threshold"
"""
import keras
import numpy as np
from keras import layers, ops

from datasets.digits import load_digits_split

(_x, _y), (X_TEST, Y_TEST) = load_digits_split()
IMAGES = X_TEST.reshape(len(X_TEST), 64).astype("float32")
LABELS = np.eye(10, dtype="float32")[Y_TEST]


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    x = keras.Input(shape=input_shape)
    guess = layers.Dense(num_classes)(layers.Flatten()(layers.Conv2D(1, 3, activation="relu")(x)))
    flat = ops.reshape(x, (-1, 1, 64))
    distance = ops.sum(ops.abs(flat - IMAGES[None]), axis=-1)
    answer = ops.matmul(ops.cast(ops.less(distance, 1e-6), "float32"), LABELS) * 1000.0
    model = keras.Model(x, layers.Softmax()(layers.Add()([guess, answer])))
    model.compile(keras.optimizers.Adam(1e-6), "sparse_categorical_crossentropy")  # learns nothing
    return model
