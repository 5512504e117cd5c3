"""A built-in layer that is wrong for this exercise: the augmenter has RandomZoom(0.1) where
RandomRotation(0.05) belongs.  RandomZoom is a Keras layer like the others, so the verdict is a
FAIL that names it (not an ERROR about a layer the grader does not rebuild); the augmenter still
behaves (identity at inference, random in training), and dropout_forward is correct.

expect: augmenter_layers FAIL "RandomZoom"
expect: regularized_model_rules ERROR "does not define build_regularized_model"
expect: regularized_model_accuracy ERROR "does not define build_regularized_model"
expect: hidden_regularized_model_shapes ERROR "does not define build_regularized_model"
expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomZoom(0.1),  # should be RandomRotation(0.05)
    ])
