"""Ignores the arguments: always 32x32x3 and 10 classes.

expect: conv_stack_layers PASS
expect: conv_stack_arguments FAIL "input shape"
expect: digits_model_accuracy ERROR "does not define build_digits_model"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: hidden_conv_stack_sizes FAIL "returned"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack(("
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
