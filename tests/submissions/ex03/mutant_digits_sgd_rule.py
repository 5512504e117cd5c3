"""SGD with momentum, a sensible optimizer that the docstring's rule excludes (with SGD the calibration
panel needs 30 to 40 epochs here): the check says so before training anything.

expect: digits_model_rules PASS
expect: digits_model_accuracy FAIL "by the rule of the docstring"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(keras.optimizers.SGD(0.01, momentum=0.9), "sparse_categorical_crossentropy")
    return model
