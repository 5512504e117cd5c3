"""Drops with probability rate but forgets to divide the kept elements by 1 - rate.

expect: dropout_training FAIL "no 1 / (1 - rate) scaling"
expect: hidden_dropout FAIL "no 1 / (1 - rate) scaling"
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
    mask = np.random.default_rng(seed).random(x.shape) >= rate
    return x * mask
