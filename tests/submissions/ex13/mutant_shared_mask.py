"""One mask of shape x.shape[1:], broadcast over the batch: every example loses the same units.

expect: dropout_training FAIL "same elements dropped"
expect: hidden_dropout FAIL "same elements dropped"
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
    keep = np.random.default_rng(seed).random(x.shape[1:]) >= rate
    return x * keep / (1 - rate)
