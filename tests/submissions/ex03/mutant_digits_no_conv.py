"""A plain MLP: accurate enough, but the exercise asks for a Conv2D.

expect: digits_model_rules FAIL "has no Conv2D layer"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model
