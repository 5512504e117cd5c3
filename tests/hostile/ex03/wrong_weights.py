"""Sends the right config with weights that do not fit it (and an extra
100,000-value array), through grader.core.wire.StudentModel.

expect: * ERROR "weights sent do not fit"
"""
import keras
import numpy as np
from grader.core.wire import StudentModel


def _model(input_shape, num_classes):
    m = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(),
                          keras.layers.Dense(num_classes, activation="softmax")])
    return StudentModel(keras.saving.serialize_keras_object(m), [np.zeros(100_000, "float32")])


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _model(input_shape, num_classes)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return _model(input_shape, num_classes)
