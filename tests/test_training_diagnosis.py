"""grader.judge.training: the diagnosis of a training check that failed (issue #26) reads the numbers the
grader saw -- the training measure beside the held-out one, the curve, the learning rate beside the rates
that work -- and each diagnosis is reachable; a hint never points at a setting already in its range.  Numbers
only (no Keras); the end-to-end messages are the mutants' (tests/submissions/ex03, ex08, ex12, ex13)."""
from __future__ import annotations

import pytest

from grader.judge import training

RATES = training.Rates(works={"Adam": (1e-3, 1e-2), "RMSprop": (1e-3, 3e-3), "SGD": (0.1, 0.3)},
                       least={"Adam": 3e-4}, excluded=("Adagrad",))
WORDS = training.Words("test accuracy", "training accuracy", "chance")


def seen(held, train, curve=(), lower=False):
    return training.Seen(held, train, 10, tuple(curve), tuple(1.0 for _ in curve), lower_is_better=lower)


@pytest.mark.parametrize("held,train,kind", [
    (0.12, 0.13, training.DID_NOT_LEARN),   # both near chance
    (0.80, 0.99, training.OVERFITS),        # the training images fit, the test images not
    (0.85, 0.88, training.TOO_SLOW),        # both short of the threshold
    (0.90, 0.92, training.TOO_SLOW),        # close to the threshold, training as well
])
def test_each_diagnosis_of_an_accuracy(held, train, kind):
    assert training.diagnose(seen(held, train), 0.93, 0.1) == kind


@pytest.mark.parametrize("held,train,kind", [
    (0.160, 0.158, training.DID_NOT_LEARN),  # no better than always predicting the mean
    (0.060, 0.010, training.OVERFITS),
    (0.050, 0.045, training.TOO_SLOW),
])
def test_each_diagnosis_of_an_mse(held, train, kind):
    assert training.diagnose(seen(held, train, lower=True), 0.02, 0.167) == kind


def test_the_verdict_and_what_was_seen_name_the_numbers():
    s = seen(0.337, 0.35, curve=[0.31, 0.33, 0.33, 0.34, 0.34, 0.35])
    kind = training.diagnose(s, 0.55, 1 / 3)
    assert kind == training.DID_NOT_LEARN
    text = training.verdict_text(kind, s, WORDS, 1 / 3)
    assert "did not learn" in text and "0.350" in text and "0.333" in text
    opt = training.Optimizer("Adam", 3e-3)
    saw = training.saw(s, WORDS, 1 / 3, params=23_811, max_params=50_000, optimizer=opt, rates=RATES)
    for words in ("training accuracy 0.350", "test accuracy 0.337", "0.31 0.33 0.33 0.34 0.34 0.35",
                  "23,811 parameters, within the budget of 50,000", "Adam at learning rate 0.003", "within"):
        assert words in saw, (words, saw)


def test_a_curve_still_rising_is_said():
    rising = seen(0.80, 0.82, curve=[0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9])
    flat = seen(0.80, 0.82, curve=[0.8] * 8)
    assert rising.rising and not flat.rising
    assert "still improving" in training.verdict_text(training.TOO_SLOW, rising, WORDS, 0.1)
    assert "still improving" not in training.verdict_text(training.TOO_SLOW, flat, WORDS, 0.1)


@pytest.mark.parametrize("opt,where,far", [
    (training.Optimizer("Adam", 3e-3), "within", False),
    (training.Optimizer("Nadam", 1e-2), "within", False),
    (training.Optimizer("Adam", 5e-4), "below", False),
    (training.Optimizer("Adam", 1e-5), "below", True),
    (training.Optimizer("RMSprop", 0.1), "above", True),
    (training.Optimizer("SGD", 0.01, momentum=0.9), "within", False),  # moves like plain SGD at 0.1
    (training.Optimizer("SGD", 0.01), "below", True),
    (training.Optimizer("Adagrad", 0.01), "unknown", False),
])
def test_where_a_rate_is(opt, where, far):
    assert RATES.where(opt) == where and RATES.far(opt) == far


def test_a_hint_never_points_at_a_rate_already_in_range():
    assert RATES.hint(training.Optimizer("Adam", 3e-3)) is None
    assert RATES.hint(training.Optimizer("Adagrad", 0.01)) is None
    assert "Raise the learning rate" in RATES.hint(training.Optimizer("Adam", 1e-5))
    assert "Lower the learning rate" in RATES.hint(training.Optimizer("RMSprop", 0.1))


def test_rules():
    assert RATES.rule_broken(training.Optimizer("Adam", 1e-4))       # below the least rate
    assert not RATES.rule_broken(training.Optimizer("Adam", 3e-4))
    assert RATES.rule_broken(training.Optimizer("Adagrad", 0.1))     # an excluded family
    assert not RATES.rule_broken(training.Optimizer("SGD", 1e-5))    # no rule for SGD here
    assert not RATES.rule_broken(training.Optimizer("Adam", None))   # no rate read: no rule applies


def test_convolutions_without_batchnorm():
    class L:  # a stand-in layer: its class name, and whether it holds weights
        def __init__(self, name, weights=False):
            self.__class__ = type(name, (L,), {})
            self.weights = [0] if weights else []
    conv, bn, relu, pool, dense = (lambda: L("Conv2D", True)), (lambda: L("BatchNormalization", True)), \
        (lambda: L("ReLU")), (lambda: L("MaxPooling2D")), (lambda: L("Dense", True))
    assert training.convolutions_without_batchnorm([conv(), bn(), relu(), conv(), relu(), bn(), pool()]) == []
    assert training.convolutions_without_batchnorm([conv(), relu(), pool(), bn(), dense()]) == []
    assert training.convolutions_without_batchnorm([conv(), relu(), conv(), bn(), dense()]) == [1]
    assert training.convolutions_without_batchnorm([conv(), bn(), conv(), relu(), dense(), bn()]) == [2]
