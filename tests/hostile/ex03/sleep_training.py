"""Trains in the child with a callback that sleeps in a loop, trying to hold the
grader: build_digits_model never returns.

expect: digits_model_rules TIMEOUT "time limit"
expect: digits_model_accuracy TIMEOUT "not run again"
expect: * ERROR "does not define build_conv_stack"
"""
import time

import keras
import numpy as np
from keras import layers


class Nap(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        while True:
            time.sleep(0.5)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(8, 3, activation="relu"),
                              layers.Flatten(), layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    x = np.zeros((64, *input_shape), "float32")
    model.fit(x, np.zeros(64, "int64"), epochs=1000, verbose=0, callbacks=[Nap()])
    return model
