"""Forgets to compile the digits model.

expect: digits_model_rules FAIL "is not compiled"
expect: digits_model_accuracy FAIL "not compiled"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(num_classes, activation="softmax"),
    ])
