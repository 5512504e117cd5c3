"""A real Keras model with a Lambda layer, whose config carries Python bytecode
that deserializing would run in the grader.  The config never reaches the
judge: the child opens the Lambda and writes its function out as the Keras
operations it computes (``x * 1.0`` is a Multiply; ``lambda x: x`` is
nothing), so the judge sees the layers the model really has.  A config that
holds a Lambda anyway is refused (forged_lambda_config.py).

expect: conv_stack_layers FAIL "layer 1 is Multiply"
expect: conv_stack_arguments FAIL "layer 1 is Multiply"
expect: hidden_conv_stack_sizes FAIL "layer 1 is Multiply"
expect: * PASS
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Lambda(lambda x: x * 1.0),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax"),
    ])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Lambda(lambda x: x),
                              layers.Conv2D(8, 3, activation="relu"), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model
