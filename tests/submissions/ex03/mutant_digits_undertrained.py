"""Within the rules but far too small a learning rate (Adam at 1e-5): it does not learn in 20 epochs, and the
message says so -- did not learn, the training accuracy near chance too, the rate far below the range that works.

expect: digits_model_rules PASS
expect: digits_model_accuracy FAIL "did not learn"
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
    model.compile(keras.optimizers.Adam(1e-5), "sparse_categorical_crossentropy")
    return model
