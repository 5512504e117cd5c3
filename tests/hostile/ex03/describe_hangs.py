"""A layer of the student's own whose call() never returns when the grader traces it on symbolic tensors
(it waits for a concrete tensor that never comes), so writing the model out with built-in layers hangs in
the child.  The check's time limit ends it: TIMEOUT for the checks that ask for the model, nothing else lost.

expect: conv_stack_layers TIMEOUT "time limit"
expect: conv_stack_arguments TIMEOUT "not run again"
expect: hidden_conv_stack_sizes TIMEOUT "not run again"
expect: digits_model_rules TIMEOUT "time limit"
expect: digits_model_accuracy TIMEOUT "not run again"
"""
import keras
from keras import layers


class Patient(layers.Layer):
    def call(self, x):
        while isinstance(x, keras.KerasTensor):  # the grader's trace: wait forever
            pass
        return x


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape), Patient(),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), Patient(), layers.Conv2D(16, 3, activation="relu"),
                              layers.Flatten(), layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model
