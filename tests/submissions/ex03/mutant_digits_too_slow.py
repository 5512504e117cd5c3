"""Within the rules, a small model compiled with Adam at 1e-4, ten times below the rates that work (1e-3 to
1e-2): it learns, too slowly for the budget -- the training accuracy falls short of the threshold as well
-- and the hint says to raise the rate.

expect: digits_model_rules PASS
expect: digits_model_accuracy FAIL "learned too slowly"
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
    model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy")
    return model
