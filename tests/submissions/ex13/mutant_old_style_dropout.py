"""The original (non-inverted) dropout: no scaling while training, x * (1 - rate) at inference.

expect: dropout_training FAIL "no 1 / (1 - rate) scaling"
expect: dropout_inference FAIL "scaled at inference"
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
    if not training:
        return x * (1 - rate)
    mask = np.random.default_rng(seed).random(x.shape) >= rate
    return x * mask
