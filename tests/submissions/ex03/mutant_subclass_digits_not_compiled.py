"""A keras.Model subclass digits model with the same mistake as mutant_digits_not_compiled: it
is never compiled.  It must get that file's verdicts (not compiled, so not trained).

expect: digits_model_rules FAIL "is not compiled"
expect: digits_model_accuracy FAIL "not compiled"
expect: conv_stack_arguments ERROR "does not define build_conv_stack"
expect: conv_stack_layers ERROR "does not define build_conv_stack"
expect: hidden_conv_stack_sizes ERROR "does not define build_conv_stack"
"""
import keras
from keras import layers


class Digits(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.flatten = layers.Flatten()
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        return self.out(self.flatten(self.conv(x)))


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = Digits(num_classes)
    model(keras.Input(shape=input_shape))
    return model
