"""The third convolution uses 'same' padding instead of 'valid'.

expect: conv_stack_layers FAIL "layer 5"
expect: conv_stack_layers FAIL "padding 'same' instead of 'valid'"
expect: conv_stack_arguments FAIL "build_conv_stack("
expect: digits_model_accuracy ERROR "does not define build_digits_model"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack("
expect: conv_stack_arguments FAIL "build_conv_stack((28, 28, 1), 5): layer 5 is Conv2D(same,"
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
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
