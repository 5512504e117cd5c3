"""Draws the mask from numpy's global generator: the seed argument changes nothing, and two calls differ.

expect: dropout_seed FAIL "the same seed gave two different masks"
expect: hidden_dropout FAIL "the same seed gave two different masks"
expect: augmenter_layers ERROR "does not define build_augmenter"
expect: augmenter_behaviour ERROR "does not define build_augmenter"
expect: hidden_augmenter_sizes ERROR "does not define build_augmenter"
expect: regularized_model_rules ERROR "does not define build_regularized_model"
expect: regularized_model_accuracy ERROR "does not define build_regularized_model"
expect: hidden_regularized_model_shapes ERROR "does not define build_regularized_model"
"""
import numpy as np


def dropout_forward(x, rate, training, seed):
    if not training or rate == 0:
        return x
    keep = np.random.random(x.shape) >= rate
    return np.where(keep, x / (1 - rate), 0.0)
