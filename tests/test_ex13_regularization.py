"""ex13 beyond the generic exercise tests: the dropout statistic cannot flake (its exact
false-fail probability, and the reference over 1,000 seeds, numpy only), every named
mistake misses the band by far, the stub states the numbers the checks apply, and the
regularized model's threshold is calibrated (slow)."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from grader.checks import ex13_regularization as ex13
from grader.core.errors import Fail
from solutions import ex13_regularization as ref

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(1000)

# Calibration (tensorflow-cpu 2.21, Keras 3.15.1, 2 shared cores): the reference regularized model's
# validation accuracy on seeds 0-9 (10 epochs, batch 32, make_shapes(600, 24, seed=1) ->
# make_shapes(300, 24, seed=2)), measured 2026-12-01:
#   0.7400 0.7200 0.7167 0.7733 0.7300 0.8133 0.8567 0.6567 0.9167 0.7733
# (min 0.657, mean 0.77; threshold 0.55: margin 0.107, MARGIN asserts at least 0.08).
# The judge trains this model, so its threads count: the figures above are TensorFlow's default (two
# threads per op here), as a notebook's check() judges in the student's kernel.  `grade`, batch workers
# and the test workers judge with one thread per op (grader/core/devices.py, judge_threads); measured
# so on 2026-12-02 (make test-slow):
#   0.7600 0.6967 0.7800 0.6633 0.6467 0.8167 0.8633 0.6433 0.8900 0.7333
# (min 0.643, mean 0.75: margin 0.093, still above MARGIN).
# Today's training (15 epochs, batch 16) from the starting weights of a grade of its own (the check's seed,
# then one weightless build: spec.starting_weights), make test-slow on 2026-12-08:
#   0.9400 0.8767 0.9333 0.9433 0.9267 0.9767 0.9100 0.9167 0.9833 0.9267
# (min 0.877; threshold 0.54, moved from 0.55 with the panel, tests/test_panels.py: margin 0.337).
# See test_reference_clears_the_threshold_on_ten_seeds; rerun `make test-slow` whenever a training
# constant or THRESHOLD changes.
CALIBRATION_SEEDS = range(10)
MARGIN = 0.08


def _false_fail_probability(n: int, rate: float) -> float:
    """P(a correct dropout's zero count falls outside the band), from the exact binomial distribution."""
    from scipy.stats import binom
    lo, hi = ex13.zero_band(n, rate)
    return float(binom.cdf(np.ceil(lo) - 1, n, rate) + binom.sf(np.floor(hi), n, rate))


def _every_case_the_checks_draw():
    """The public cases and the extremes of the hidden ones (fewest values, rates at both ends of each range)."""
    cases = [(int(np.prod(shape)), rate) for shape, rate in ex13.PUBLIC_TRAINING]
    for n in (5000, 5120, 20_000, 262_144):
        for rate in (0.1, 0.25, 0.4, 0.6, 0.7, 0.85):
            cases.append((n, rate))
    return cases


def test_the_band_cannot_flake():
    worst = max(_false_fail_probability(n, rate) for n, rate in _every_case_the_checks_draw())
    print(f"largest false-fail probability of one case: {worst:.2e}")
    assert worst < 1e-8  # the bound the stub's docstring states


def test_hidden_cases_stay_where_the_band_was_computed():
    for seed in range(200):
        for shape, rate in ex13.hidden_dropout_cases(np.random.default_rng(seed), 3):
            n = int(np.prod(shape))
            assert n >= 5000 and shape[0] >= ex13.MIN_BATCH and n // shape[0] >= ex13.MIN_PER_EXAMPLE, shape
            assert 0.1 <= rate <= 0.4 or 0.6 <= rate <= 0.85, rate


def test_the_reference_passes_the_statistic_on_a_thousand_seeds():
    """The check's own judgement (judge_training_output) of the reference, on the public cases and on
    hidden cases drawn from each seed: never a failure."""
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        cases = list(ex13.PUBLIC_TRAINING) + ex13.hidden_dropout_cases(rng, 1)
        for shape, rate in cases:
            x = ex13._inputs(rng, shape)
            out = ref.dropout_forward(x, rate, True, seed)
            ex13.judge_training_output(x, rate, out, f"seed {seed} {shape} rate {rate}")


@pytest.mark.parametrize("rate", [0.1, 0.4, 0.6, 0.85])
def test_keeping_with_probability_rate_misses_the_band_by_far(rate):
    """At the fewest values a check draws, the band around N (1 - rate) and the band around N rate are
    at least 6 more standard deviations apart: that mistake never passes, and is always named."""
    n = 5000
    lo, hi = ex13.zero_band(n, rate)
    lo2, hi2 = ex13.zero_band(n, 1 - rate)
    sd = np.sqrt(n * rate * (1 - rate))
    assert max(lo, lo2) - min(hi, hi2) > 6 * sd


def _judge(fn, shape, rate, training=True, seed=3):
    x = ex13._inputs(np.random.default_rng(0), shape)
    out = fn(x, rate, training, seed)
    judge = ex13.judge_training_output if training else ex13.judge_inference_output
    with pytest.raises(Fail) as e:
        judge(x, rate, out, "dropout_forward")
    return e.value


@pytest.mark.parametrize("name,fn,training,words", [
    ("no scaling", lambda x, r, t, s: x * (np.random.default_rng(s).random(x.shape) >= r), True,
     "no 1 / (1 - rate) scaling"),
    ("times 1 - rate", lambda x, r, t, s: x * (np.random.default_rng(s).random(x.shape) >= r) * (1 - r), True,
     "multiplied the kept elements"),
    ("keep with rate", lambda x, r, t, s: x * (np.random.default_rng(s).random(x.shape) < r) / (1 - r), True,
     "instead of dropping it"),
    ("shared mask", lambda x, r, t, s: x * (np.random.default_rng(s).random(x.shape[1:]) >= r) / (1 - r), True,
     "same elements dropped"),
    ("per example", lambda x, r, t, s: x * (np.random.default_rng(s).random((x.shape[0],) + (1,) * (x.ndim - 1)) >= r) / (1 - r), True,
     "dropped or kept as a whole"),
    ("scaled at inference", lambda x, r, t, s: x * (1 - r), False, "scaled at inference"),
    ("ignored training", lambda x, r, t, s: x * (np.random.default_rng(s).random(x.shape) >= r) / (1 - r), False,
     "ignored training"),
])
def test_each_named_mistake_is_named(name, fn, training, words):
    for shape, rate in ex13.PUBLIC_TRAINING:
        assert words in str(_judge(fn, shape, rate, training)), name


def test_the_stub_states_every_number_the_checks_apply():
    doc = ast.get_docstring(ast.parse((ROOT / "exercises" / "ex13_regularization.py").read_text()))
    flat = " ".join(doc.split())
    for text in (f"{ex13.Z_SIGMAS:g} * sqrt(N * rate * (1 - rate))", "below 1e-8", "relative 1e-5",
                 f"at least {ex13.MIN_BATCH} examples", f"at least {ex13.MIN_PER_EXAMPLE} values",
                 "5,000 values", "from 0.1 to 0.85",
                 f"at most {ex13.MAX_PARAMS:,} parameters", f"{ex13.EPOCHS} epochs", f"batch size {ex13.BATCH_SIZE}",
                 f"make_shapes({ex13.N_TRAIN}, {ex13.IMAGE_SIZE}, seed={ex13.TRAIN_DATA_SEED})",
                 f"make_shapes({ex13.N_VAL}, {ex13.IMAGE_SIZE}, seed={ex13.VAL_DATA_SEED})",
                 f"at least {ex13.THRESHOLD}", f"budget of {ex13.TRAIN_BUDGET_S:g} s",
                 f"Time limit {ex13.EXERCISE.timeout:g} s", f"margin {MARGIN}",
                 'RandomFlip("horizontal")', "RandomTranslation(0.1, 0.1)", "RandomRotation(0.05)"):
        assert text in flat, text
    assert ex13.TRANSLATION == 0.1 and ex13.ROTATION == 0.05
    assert f">={ex13.THRESHOLD}" in ex13.EXERCISE.summary and f"<={ex13.MAX_PARAMS // 1000}k" in ex13.EXERCISE.summary


@pytest.mark.slow
def test_reference_clears_the_threshold_on_ten_seeds():
    import keras
    scores = []
    for seed in CALIBRATION_SEEDS:
        keras.backend.clear_session()
        keras.utils.set_random_seed(seed)
        scores.append(ex13.train_and_score(ref.build_regularized_model(
            (ex13.IMAGE_SIZE, ex13.IMAGE_SIZE, 3), ex13.NUM_CLASSES), seed, budget_s=900.0).accuracy)
    print("reference regularized-model accuracy per seed:", [round(s, 4) for s in scores])
    assert min(scores) >= ex13.THRESHOLD + MARGIN, scores
