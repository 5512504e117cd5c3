"""Hands the grader a forged model: a small model's config edited to Flatten,
then a Dense of 300,000 units (691 million parameters), sent through
grader.core.wire.StudentModel so that the child never builds it.

expect: * FAIL "over this exercise's budget"
"""
import copy

import keras
from grader.core.wire import StudentModel


def _forged(input_shape, units):
    small = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(), keras.layers.Dense(2)])
    config = copy.deepcopy(keras.saving.serialize_keras_object(small))
    config["config"]["layers"][-1]["config"]["units"] = units
    config["config"]["layers"][-1]["build_config"] = {"input_shape": [None, 2304]}
    return StudentModel(config, None)


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _forged((48, 48, 1), 300_000)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return _forged((48, 48, 1), 300_000)
