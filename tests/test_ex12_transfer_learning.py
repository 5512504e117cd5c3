"""ex12 specifics: the grader's base, the unfreeze rule, what the stub states, and the
calibration of the accuracy threshold (``make test-slow``)."""
from __future__ import annotations

import time

import numpy as np
import pytest

from grader.checks import ex12_transfer_learning as ex12
from grader.recipes.ex12_transfer_learning import build_base, build_case, transfer_train
from solutions import ex12_transfer_learning as ref

# Calibration (tensorflow-cpu 2.21, Keras 3.15.1, one TensorFlow thread per op as `grade` judges), measured
# 2026-12-07 by tests/test_panels.py (the panel, tests/panels/ex12) and test_reference_clears_the_threshold_on_
# ten_seeds: the test accuracy on the 180 test images of the digits 5-9, the head trained by the judge on the
# frozen base's features for HEAD_EPOCHS = 100 epochs (batch 10, 1,000 steps) on 20 images per class, seeds 0-9.
# Worst seed of each design of the panel (threshold 0.63):
#   Adam 1e-3 (Adam(), "adam", a Layer-subclass head)   0.689  (margin 0.059)
#   Adam 2e-3 0.739   Adam 3e-3 0.767   Adam 5e-3 (keras.Model subclass) 0.761   Adam 1e-2 0.778
# Recalibrated by make test-slow on 2026-12-08 (the shipped base, the starting weights of a grade of its own):
#   Adam 1e-3 0.683 (margin 0.053)   Adam 2e-3 0.744   Adam 3e-3 0.750   Adam 5e-3 0.767   Adam 1e-2 0.789
# Before (the child's fit through the base, 10 epochs, 100 steps): Adam 1e-3 0.344-0.550 (FAIL on every seed),
# 2e-3 0.483-0.706 (7 FAIL, 3 PASS), 3e-3 0.594-0.744 (2 FAIL, 8 PASS), 1e-2 0.683-0.817; the reference
# (Adam 1e-2) 0.678-0.806.  The test asks for MARGIN = 0.04 on every seed.
# The same head on a randomly initialised base (test_transfer_beats_a_random_base), same images and training:
#   pretrained 0.7944 0.8111 0.8000 0.8278 0.8667 0.7944 0.7778 0.8556 0.8389 0.8611  (mean 0.823)
#   random     0.7722 0.7722 0.8222 0.6111 0.6389 0.7056 0.6333 0.6667 0.6333 0.6833  (mean 0.694)
# (with the head trained for 100 steps, as before, the random base got 0.19-0.34, mean 0.247: random
# convolutions, BatchNormalization and ReLU keep much of an 8x8 digit, and a linear head with 1,000 steps reads it).
CALIBRATION_SEEDS = range(10)
MARGIN = 0.04


def run(seed: int, pretrained: bool = True) -> float:
    """The reference trained as the grader trains it; its accuracy as the judge computes it."""
    import keras
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    weights = ex12.pretrained_base(seed) if pretrained else None
    x, y, _x_test, _y_test = ex12.transfer_data(seed)
    info = transfer_train(ref, ex12.BASE_SPEC, list(ex12.INPUT_SHAPE), weights, ex12.NUM_CLASSES, ex12.DROPOUT,
                          x, y, ex12.probes(seed), ex12.EPOCHS, ex12.BATCH_SIZE, seed)
    return ex12.judge_accuracy(info, seed, "reference").accuracy  # a random base: the judge's copy carries its weights


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


def test_the_shipped_base_is_what_pretraining_computes():
    """datasets/data/ex12_pretrained_base.npz is ``pretrain(0)`` of this code: after a change of the base or of
    its pretraining, write it again (``ex12.write_pretrained()``, in a process started as ``grade`` starts:
    one thread per op).  Bit for bit on the machine that wrote it; the tolerance is for another CPU's
    rounding over 3 epochs (a change of the code moves the weights by far more)."""
    shipped = ex12.shipped_pretrained(0)  # the public seed
    assert shipped is not None, "the shipped base's key does not match: run ex12.write_pretrained()"
    computed = ex12.pretrain(0)
    assert [w.shape for w in shipped] == [w.shape for w in computed]
    for got, want in zip(shipped, computed):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4,
                                   err_msg="the shipped base is not pretrain(0): run ex12.write_pretrained()")


def test_the_shipped_base_serves_only_the_pretraining_it_was_made_by(monkeypatch):
    monkeypatch.setattr(ex12, "_PRETRAINED", {})
    monkeypatch.setattr(ex12, "pretrain", lambda seed: pytest.fail("the public seed's base was trained again"))
    assert len(ex12.pretrained_base(0)) == len(ex12.shipped_pretrained(0)) > 0
    assert ex12.shipped_pretrained(1) is None  # another seed is trained
    monkeypatch.setattr(ex12, "PRE_EPOCHS", ex12.PRE_EPOCHS + 1)
    assert ex12.shipped_pretrained(0) is None  # another pretraining is trained
    monkeypatch.setattr(ex12, "pretrain", lambda seed: ["trained", seed])
    monkeypatch.setattr(ex12, "_PRETRAINED", {})
    assert ex12.pretrained_base(0) == ["trained", 0]


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
                 f"for {ex12.HEAD_EPOCHS} epochs", "1e-3", "0.683",
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
    """What the docstring shows: the same head on a randomly initialised base does worse -- by 0.13 on
    average over the ten seeds, worse on nine of them (seeds 0-3 here: by 0.064 on average, measured).
    With the head trained for 1,000 steps a random base is no longer useless (issue #26; the docstring says
    so), so this no longer asks for a random base below the threshold."""
    pre = [run(seed) for seed in range(4)]
    rand = [run(seed, pretrained=False) for seed in range(4)]
    print("pretrained:", [round(s, 4) for s in pre], "random base:", [round(s, 4) for s in rand])
    assert np.mean(pre) > np.mean(rand) + 0.05, (pre, rand)
