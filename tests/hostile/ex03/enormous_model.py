"""A real Keras model (not a forged config) whose config rebuilds into something
enormous: built in the child inside a StatelessScope, so the child never
allocates its 2-billion-parameter Dense layer -- the judge would, if it built it.

expect: * FAIL "over this exercise's budget"
"""
import keras
from keras import layers


def _enormous(input_shape, num_classes):
    with keras.StatelessScope(initialize_variables=False):
        return keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(32, 3, padding="same"),
                                 layers.Flatten(), layers.Dense(1_000_000), layers.Dense(num_classes)])


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _enormous(input_shape, num_classes)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = _enormous(input_shape, num_classes)
    return model
