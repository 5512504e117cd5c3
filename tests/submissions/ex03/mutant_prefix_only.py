"""Stops after the convolutions: the first layers match, the classifier head is missing.

expect: conv_stack_layers FAIL "are missing"
expect: conv_stack_arguments FAIL "build_conv_stack("
expect: digits_model_accuracy ERROR "does not define build_digits_model"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack("
expect: conv_stack_arguments FAIL "build_conv_stack((28, 28, 1), 5): the first 5 layers match"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack(("
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"),
    ])
