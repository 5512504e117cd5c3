"""ex03's reference network: the syllabus's Conv2D stack in plain Keras (``grader.checks.ex03_conv_stack``
compares build_conv_stack's model with it layer by layer, or by outputs under identical weights).
``stack_config`` is what the checks ask for: its Keras config on an input shape, built without weights."""
from __future__ import annotations

import functools

import keras
from keras import layers

from grader.core.stateless import no_weights


def expected_stack(input_shape, num_classes) -> keras.Model:
    """The table of the syllabus."""
    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax"),
    ])


@functools.lru_cache(maxsize=16)
def stack_config(input_shape: tuple, num_classes: int) -> dict:
    """The Keras config of the reference network, built without weights."""
    with no_weights():
        return keras.saving.serialize_keras_object(expected_stack(input_shape, num_classes))
