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
    """Layers judged by their Keras class: real layers, a subclass of Conv2D (still a convolution), and the
    child's facts of a model the judge could not rebuild (``wire.LayerFact``)."""
    import keras

    from grader.core.wire import LayerFact
    L = keras.layers

    class MyConv(L.Conv2D):  # a student's subclass of Conv2D is a convolution
        pass
    def built(layer, shape=(None, 8, 8, 4)):  # as in a model the judge rebuilt: built, its weights made
        layer.build(shape)
        return layer
    conv, bn, relu, pool, dense = (lambda: built(L.Conv2D(4, 3))), (lambda: built(L.BatchNormalization())), \
        L.ReLU, L.MaxPooling2D, (lambda: built(L.Dense(3)))
    assert training.convolutions_without_batchnorm([conv(), bn(), relu(), conv(), relu(), bn(), pool()]) == []
    assert training.convolutions_without_batchnorm([conv(), relu(), pool(), bn(), dense()]) == []
    assert training.convolutions_without_batchnorm([conv(), relu(), conv(), bn(), dense()]) == [1]
    assert training.convolutions_without_batchnorm([conv(), bn(), conv(), relu(), dense(), bn()]) == [2]
    assert training.convolutions_without_batchnorm([built(MyConv(4, 3)), relu(), dense()]) == [1]
    assert training.convolutions_without_batchnorm([built(MyConv(4, 3)), bn()]) == []

    def fact(cls, params=0, builtin=True, **settings):
        return LayerFact(cls, builtin, (4, 4, 4), params, settings=tuple(settings.items()))
    facts = [fact("Conv2D", 40), fact("ReLU"), fact("Conv2D", 148), fact("BatchNormalization", 16, momentum=0.9),
             fact("GlobalAveragePooling2D"), fact("Dropout", rate=0.25), fact("MyDense", 12, builtin=False)]
    assert training.convolutions_without_batchnorm(facts) == [1]
    assert training.batchnorm_momenta(facts) == [0.9]
    assert training.dropout_rates(facts) == [0.25]
    assert training.is_a(facts[4], training.GLOBAL_POOLING) and not training.is_a(facts[6], training.CONVOLUTIONS)
    assert training.dropout_rates([L.SpatialDropout2D(0.1), L.Dropout(0.3), dense()]) == [0.1, 0.3]


def test_optimizer_named_by_what_it_is():
    import keras

    class MyAdam(keras.optimizers.Adam):
        pass
    mine = training.read_optimizer(MyAdam(2e-3))
    assert mine.name == "Adam" and abs(mine.learning_rate - 2e-3) < 1e-6
    assert training.read_optimizer(keras.optimizers.AdamW(1e-3)).family == "Adam"
    sgd = training.read_optimizer(keras.optimizers.SGD(0.01, momentum=0.9))
    assert sgd.family == "SGD" and abs(sgd.effective_rate - 0.1) < 1e-6

def test_a_rate_read_back_from_keras_float32_is_at_its_bound():
    """Keras stores RMSprop(3e-3)'s rate as float32 (0.0030000000260770321): a rule "at 3e-3" keeps it."""
    import keras
    rates = training.Rates(works={"RMSprop": (3e-3, 3e-3)}, least={"RMSprop": 3e-3}, most={"RMSprop": 3e-3})
    opt = training.read_optimizer(keras.optimizers.RMSprop(3e-3))
    assert opt.learning_rate != 3e-3  # float32, as Keras keeps it
    assert not rates.rule_broken(opt) and rates.where(opt) == "within"
    assert rates.rule_broken(training.Optimizer("RMSprop", 3.1e-3))
    assert rates.rule_broken(training.Optimizer("RMSprop", 2.9e-3))
