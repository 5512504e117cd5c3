"""A digits model over the parameter budget (a wide Dense after Flatten).

expect: digits_model_rules FAIL "more than the budget of 20,000"
expect: digits_model_accuracy FAIL "not trained"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
