"""Patches keras inside the child to fake the judge's view: count_params and
summary claim 15,000 parameters, and the config the child serializes is
trimmed.  The judge counts the rebuilt model's parameters itself.

expect: digits_model_rules FAIL "more than the budget of 20,000"
expect: digits_model_accuracy FAIL "not trained"
expect: * ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers

keras.Model.count_params = lambda self: 15_000
keras.Model.summary = lambda self, *a, **k: print("Total params: 15,000")
keras.layers.Layer.count_params = lambda self: 0


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(32, 3, activation="relu"),
                              layers.Flatten(), layers.Dense(256, activation="relu"),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model
