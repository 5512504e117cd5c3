"""Facts that lie.  The child's description of a model is patched: build_conv_stack's model (the table
without its ReLUs) is sent with facts that claim the table's 204,490 parameters... of another model, and
build_digits_model's model, which the grader cannot rebuild (a layer of its own weights), is trained by a
patched child that answers one row of probabilities for 360 test images.  The judge checks every fact against what it rebuilds and reads
replies by their declared type: nothing it cannot verify earns a point.

expect: conv_stack_layers ERROR "believes neither"
expect: conv_stack_arguments ERROR "believes neither"
expect: hidden_conv_stack_sizes ERROR "believes neither"
expect: digits_model_accuracy ERROR "could not read what training your model gave back"
"""
import dataclasses

import keras
import numpy as np
from keras import layers

import grader.core.lowering as lowering
from grader.core.wire import StudentModel, TrainingRun

_describe = lowering.describe


def _lying_describe(model, with_weights=False, input_shapes=None):
    sent = _describe(model, with_weights, input_shapes)
    if sent.config is None:
        return sent
    return StudentModel(sent.config, sent.weights, dataclasses.replace(sent.facts, params=sent.facts.params + 7))


lowering.describe = _lying_describe
lowering.train = lambda *a, **k: TrainingRun({"loss": (0.0,)}, np.zeros((1, 10), "float32"), False)


class Scale(layers.Layer):
    def build(self, input_shape):
        self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gain")

    def call(self, x):
        return x * self.gain


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid"), layers.Flatten(),
        layers.Dense(64), layers.Dense(num_classes, activation="softmax")])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), Scale(),
                              layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
                              layers.Conv2D(32, 3, padding="same", activation="relu"), layers.Flatten(),
                              layers.Dense(num_classes, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    return model
