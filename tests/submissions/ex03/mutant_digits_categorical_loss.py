"""Compiles with categorical_crossentropy although the labels are integers.

expect: digits_model_accuracy FAIL "training your model failed"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile("adam", "categorical_crossentropy")
    return model
