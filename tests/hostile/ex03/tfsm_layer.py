"""Returns a forged config holding a TFSMLayer that points into the child's
scratch folder (where it could have written a SavedModel for the judge to load).

expect: * ERROR "TFSMLayer"
"""
import os

import keras
from grader.core.wire import StudentModel


def _forged(input_shape):
    small = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(), keras.layers.Dense(10)])
    config = keras.saving.serialize_keras_object(small)
    config["config"]["layers"].insert(1, {
        "module": "keras.layers", "class_name": "TFSMLayer", "registered_name": None,
        "config": {"filepath": os.path.join(os.getcwd(), "saved"), "call_endpoint": "serve", "name": "tfsm"}})
    return StudentModel(config, None)


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _forged(input_shape)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return _forged(input_shape)
