"""ex12 specifics: the grader's base, the unfreeze rule, what the stub states, and the
calibration of the accuracy threshold (``make test-slow``)."""
from __future__ import annotations

import time

import numpy as np
import pytest

from grader.checks import ex12_transfer_learning as ex12
from grader.recipes.ex12_transfer_learning import build_base, build_case, transfer_train
from solutions import ex12_transfer_learning as ref

# Calibration (tensorflow-cpu 2.21, Keras 3.15.1, 2 cores shared with other jobs), measured
# 2026-12-01 by test_reference_clears_the_threshold_on_ten_seeds: the reference's test accuracy on the
# 180 test images of the digits 5-9 after 10 epochs (batch 10) on 20 images per class, on seeds 0-9:
#   0.7389 0.7333 0.7556 0.7167 0.7056 0.6778 0.7444 0.8056 0.7500 0.7889  (mean 0.742, min 0.678)
# With the test process on one TensorFlow thread per op, as `grade` judges since 2026-12-02 (make test-slow):
#   0.7389 0.7389 0.7667 0.7167 0.7111 0.6778 0.7444 0.7944 0.7278 0.7889  (mean 0.741, min 0.678)
# Threshold 0.63 (ex12.THRESHOLD): margin 0.048 below the worst seed; the test asks for MARGIN = 0.04.
# The same head on a randomly initialised base (test_transfer_beats_a_random_base), same images and training:
#   0.2833 0.2278 0.3444 0.1944 0.2278 0.3111 0.1944 0.2000 0.2889 0.1944  (mean 0.247)
# With Adam(1e-3) instead of 1e-2 the reference reaches 0.39-0.49 on seeds 0-4 (the stub says "about 0.45").
# (seconds per seed, pretraining included: 3-4 s.)
CALIBRATION_SEEDS = range(10)
MARGIN = 0.04


def run(seed: int, pretrained: bool = True) -> float:
    """The reference trained as the grader trains it; its accuracy as the judge computes it."""
    import keras
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    weights = ex12.pretrained_base(seed)[0] if pretrained else None
    x, y, _x_test, _y_test = ex12.transfer_data(seed)
    info = transfer_train(ref, ex12.BASE_SPEC, list(ex12.INPUT_SHAPE), weights, ex12.NUM_CLASSES, ex12.DROPOUT,
                          x, y, ex12.probes(seed), ex12.EPOCHS, ex12.BATCH_SIZE, seed)
    return ex12.judge_accuracy(info, seed, "reference")  # a random base: the judge's copy carries its weights


def test_the_base_is_a_small_cnn_with_batch_normalization():
    base = build_base(ex12.BASE_SPEC, ex12.INPUT_SHAPE)
    classes = [type(layer).__name__ for layer in base.layers[1:]]
    assert classes.count("BatchNormalization") == 3 and classes.count("Conv2D") == 3
    assert tuple(base.outputs[0].shape[1:]) == ex12._base_map(ex12.BASE_SPEC, ex12.INPUT_SHAPE) == (8, 8, 64)
    assert base.count_params() < 30_000


def test_the_data_is_twenty_images_per_class_of_the_digits_5_to_9():
    x, y, x_test, y_test = ex12.transfer_data(0)
    assert x.shape == (100, 8, 8, 1) and np.bincount(y).tolist() == [20] * 5
    assert set(np.unique(y_test)) == set(range(5)) and len(x_test) == 180
    assert not np.array_equal(ex12.transfer_data(1)[0], x)


def test_the_pretrained_base_is_cached_per_seed():
    a, b = ex12.pretrained_base(0), ex12.pretrained_base(0)
    assert a is b


def test_expected_flags_follow_the_docstring_rule():
    layers = [{"class": c, "weights": w} for c, w in [("Conv2D", True), ("BatchNormalization", True),
                                                       ("ReLU", False), ("Conv2D", True), ("BatchNormalization", True),
                                                       ("ReLU", False), ("Dense", True)]]
    assert ex12.expected_flags(layers, 2) == [False, False, False, True, False, False, True]
    assert ex12.expected_flags(layers, 0) == [False] * 7
    assert ex12.expected_flags(layers, 9) == [True, False, False, True, False, False, True]


def test_counts_cases_hold_a_dropout_seed_state():
    """The named mistake is reachable: each public case's non_trainable_variables differ from its weights."""
    for case in ex12.PUBLIC_CASES:
        model = build_case(case)
        assert ex12._size(model.non_trainable_variables) != ex12._size(model.non_trainable_weights)


def test_stub_states_the_numbers():
    import exercises.ex12_transfer_learning as stub
    doc = " ".join(stub.__doc__.split())  # line breaks do not matter
    for text in (f"{ex12.THRESHOLD}", f"{ex12.EPOCHS} epochs", f"batch size {ex12.BATCH_SIZE}",
                 f"{ex12.PER_CLASS} images per class", "Adam(1e-5)", "keras-team/keras#20285",
                 f"margin {MARGIN}", f"Time limit {ex12.EXERCISE.timeout:g} s"):
        assert text in doc, text


@pytest.mark.slow
def test_reference_clears_the_threshold_on_ten_seeds():
    scores, seconds = [], []
    for seed in CALIBRATION_SEEDS:
        start = time.monotonic()
        scores.append(run(seed))
        seconds.append(time.monotonic() - start)
    print("reference accuracy per seed:", [round(s, 4) for s in scores], "seconds:", [round(s, 1) for s in seconds])
    assert min(scores) >= ex12.THRESHOLD + MARGIN, scores


@pytest.mark.slow
def test_transfer_beats_a_random_base():
    """What the docstring shows: the same head on a randomly initialised base does much worse."""
    pre = [run(seed) for seed in range(3)]
    rand = [run(seed, pretrained=False) for seed in range(3)]
    print("pretrained:", [round(s, 4) for s in pre], "random base:", [round(s, 4) for s in rand])
    assert np.mean(pre) > np.mean(rand) + 0.3 and max(rand) < ex12.THRESHOLD, (pre, rand)
