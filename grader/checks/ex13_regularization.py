"""Checks of ex13: inverted dropout in numpy, judged statistically; the augmenter's
layers and behaviour; a regularized CNN trained on the synthetic shapes.

``dropout_forward`` is random, so its zero count is judged against the
binomial distribution: with N elements and rate p, a correct function zeroes
Z ~ Binomial(N, p) of them, and the check accepts

    |Z - N p| <= Z_SIGMAS * sqrt(N p (1 - p))        (Z_SIGMAS = 6)

A correct function fails one case with probability below 1e-8 (the exact
binomial tail, computed for every case the checks can draw in
``tests/test_ex13_regularization.py``, which also runs the statistic on the
reference over 1,000 seeds); the cases are drawn so that every named mistake
misses the band by far more than that.  Everything else about the output is
exact: a dropped element is 0, a kept one is x / (1 - p).

The augmenter's layers and the model hold built-in layers only: the judge
rebuilds them from their config and trains the model (``train_and_score``) as
ex03 does.  The augmenter's behaviour is measured in the child
(``grader.recipes.ex13_regularization``), because the augmentation a student
gets wrong -- a Lambda or custom layer that ignores ``training`` -- is code
the judge must not run.  Keras is imported where it is used, so that the
dropout statistics can be tested with numpy alone.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from grader.judge import N_, Exercise, Fail, StudentError, _, expect, memo, model_key, training

EXERCISE = Exercise("ex13", N_("Dropout and data augmentation"), "ex13_regularization", timeout=30, memory_mb=2048,
                    recipes="grader.recipes.ex13_regularization",
                    summary=N_("inverted dropout judged statistically; a flip/shift/rotate augmenter; a "
                               "<=50k-parameter CNN trained to >=0.54"))

# ------------------------------------------------------------------ what the stub's docstring states
Z_SIGMAS = 6.0          # the zero-count band, in binomial standard deviations
SCALE_RTOL = 1e-5       # a kept element is x / (1 - rate) to this relative tolerance
MIN_PER_EXAMPLE = 64    # the judge's arrays have at least this many values per example (axis 0) ...
MIN_BATCH = 4           # ... and at least this many examples, so a shared mask cannot pass by chance
TRANSLATION, ROTATION = 0.1, 0.05
AUG_CLASSES = ("RandomFlip", "RandomTranslation", "RandomRotation")
DROPOUT_CLASSES = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")
IMAGE_SIZE, NUM_CLASSES = 24, 3
N_TRAIN, N_VAL, TRAIN_DATA_SEED, VAL_DATA_SEED = 600, 300, 1, 2
EPOCHS, BATCH_SIZE, THRESHOLD, MAX_PARAMS, TRAIN_BUDGET_S = 15, 16, 0.54, 50_000, 60.0
STEPS_PER_EXECUTION = 8
CHANCE = 1 / NUM_CLASSES
# Calibrated on the panel (tests/panels/ex13, make test-slow): 15 epochs of batch 16, and the rates at which
# every design of the panel clears the threshold on every seed with the stated margin.  The docstring's rules
# exclude what no budget that keeps the check fast makes learn the shapes on every seed: global pooling of the
# 3x3 maps (0.33-0.41 at 15 epochs), Dropout 0.5 (0.48-0.86), SGD (its default: 0.48-0.70), Adam at 1e-2
# (0.56-0.90: a margin of 0.01).
RATES = training.Rates(works={"Adam": (1e-3, 5e-3), "RMSprop": (1e-3, 1e-2)}, least={"Adam": 1e-3, "RMSprop": 1e-3},
                       most={"Adam": 5e-3, "RMSprop": 1e-2}, excluded=("SGD",))
RATE_RULE = N_("an optimizer or learning rate outside the rule's")
POOLING_RULE = N_("global pooling, which the rule of the docstring excludes")
MAX_DROPOUT = 0.3
FEW_PARAMS = 2_000  # a model this small is told to grow before anything else (the panel's designs: 20k-45k)
DROPOUT_RULE = N_("a Dropout rate above the rule's 0.3")

DROPOUT_HINT = N_("mask = np.random.default_rng(seed).random(x.shape) >= rate keeps each element with probability "
                  "1 - rate; return np.where(mask, x / (1 - rate), 0); with training=False (or rate 0) return x "
                  "unchanged.")
AUGMENTER_HINT = N_("keras.Sequential([RandomFlip('horizontal'), RandomTranslation(0.1, 0.1), "
                    "RandomRotation(0.05)]) -- any order, no keras.Input, nothing else.")
MODEL_HINT = N_("keras.Sequential([keras.Input(shape=input_shape), build_augmenter(), Conv2D ..., Dropout(...), "
                "Dense(num_classes, activation='softmax')]), compiled with sparse_categorical_crossentropy.")

# ------------------------------------------------------------------ named mistakes
NO_SCALING = N_("no 1 / (1 - rate) scaling: kept elements must be divided by 1 - rate so that the expected output "
                "equals x")
TIMES_KEEP = N_("multiplied the kept elements by 1 - rate instead of dividing by it")
OVER_RATE = N_("divided by rate instead of by 1 - rate")
KEEP_WITH_RATE = N_("kept each element with probability rate instead of dropping it with probability rate")
SHARED_MASK = N_("one mask shared by every example of the batch: draw the mask for every element (rng.random("
                 "x.shape))")
PER_EXAMPLE = N_("one keep/drop decision per example instead of per element")
SCALED_AT_INFERENCE = N_("scaled at inference: inverted dropout does all its scaling during training and returns x "
                         "unchanged when training=False")
IGNORED_TRAINING = N_("ignored training: with training=False nothing may be dropped")
IGNORED_SEED = N_("the mask does not depend on seed")
UNSEEDED = N_("the same seed gave two different masks: draw from np.random.default_rng(seed), not from an "
              "unseeded generator")
AUG_AT_INFERENCE = N_("augmentation applied at inference: with training=False (predict, evaluate) the augmenter "
                      "must return its input unchanged; a Lambda or custom layer that ignores training augments "
                      "every time")
VERTICAL_FLIP = N_("a vertical flip instead of a horizontal one: an upside-down triangle is not a triangle of "
                   "this data set")
BOTH_FLIPS = N_("flips vertically as well as horizontally: use RandomFlip('horizontal')")
NO_DROPOUT = N_("no Dropout layer")
MISSING_LAYER = N_("a missing layer")
AUG_NOT_FIRST = N_("the augmenter is not the first part of the model")


def _named(message: str, label: str, hint: str | None = None):
    """Fail with ``message`` and the named mistake ``label`` (an N_() msgid)."""
    raise Fail(message + " -- " + _(label), hint, label)


# ------------------------------------------------------------------ dropout: the statistics
def zero_band(n: int, rate: float) -> tuple[float, float]:
    """The zero counts a correct dropout of ``n`` elements may produce: N p +- Z_SIGMAS sd."""
    sd = math.sqrt(n * rate * (1.0 - rate))
    return n * rate - Z_SIGMAS * sd, n * rate + Z_SIGMAS * sd


def _inputs(rng, shape) -> np.ndarray:
    """No zeros (a zero in the output is a dropped element), both signs, float32."""
    mag = rng.uniform(0.5, 2.0, shape)
    return (mag * rng.choice([-1.0, 1.0], shape)).astype(np.float32)


def _as_output(got, x: np.ndarray, what: str) -> np.ndarray:
    if not isinstance(got, (np.ndarray, list, tuple, np.generic, float, int)):
        raise Fail(_("{what} returned a {type}, expected a numpy array of shape {shape}").format(
            what=what, type=type(got).__name__, shape=x.shape),
            _("Return a numpy array (np.asarray(...) converts lists and tensors)."))
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(_("{what} returned something that is not numeric").format(what=what)) from None
    if arr.shape != x.shape:
        raise Fail(_("{what} has shape {got}, expected {want}").format(what=what, got=arr.shape, want=x.shape),
                   _("Dropout keeps the shape: draw the mask with the shape of x."))
    if not np.all(np.isfinite(arr)):
        raise Fail(_("{what} contains NaN or inf").format(what=what),
                   _("Look for a division by zero: rate is below 1, so 1 - rate never is."))
    return arr


def judge_training_output(x: np.ndarray, rate: float, got, what: str) -> None:
    """Every rule of inverted dropout with training=True; fails naming the first mistake found."""
    arr = _as_output(got, x, what)
    x64 = np.asarray(x, np.float64)
    dropped = arr == 0
    kept = ~dropped
    n, zeros = int(dropped.size), int(dropped.sum())
    if kept.any():
        ratio = arr[kept] / x64[kept]
        want = 1.0 / (1.0 - rate)
        if not np.allclose(ratio, want, rtol=SCALE_RTOL, atol=0):
            message = _("{what}: a kept element is not x / (1 - rate) = x * {want:.6g} (e.g. x * {got:.6g})").format(
                what=what, want=want, got=float(ratio[np.argmax(np.abs(ratio - want))]))
            for scale, label in ((1.0, NO_SCALING), (1.0 - rate, TIMES_KEEP), (1.0 / rate, OVER_RATE)):
                if np.allclose(ratio, scale, rtol=SCALE_RTOL, atol=0):
                    _named(message, label)
            raise Fail(message)
    if x.ndim >= 2 and x.shape[0] >= MIN_BATCH and dropped[0].size >= MIN_PER_EXAMPLE:
        rows = dropped.reshape(x.shape[0], -1)
        if 0 < zeros < n and bool((rows == rows[0]).all()):
            _named(_("{what}: every example of the batch has the same elements dropped").format(what=what),
                   SHARED_MASK)
        if 0 < zeros < n and bool((rows.all(axis=1) | (~rows).all(axis=1)).all()):
            _named(_("{what}: each example is dropped or kept as a whole").format(what=what), PER_EXAMPLE)
    lo, hi = zero_band(n, rate)
    if not lo <= zeros <= hi:
        message = _("{what} zeroed {zeros:,} of {n:,} elements ({fraction:.3f}); with rate {rate:g} a correct "
                    "dropout zeroes between {lo:,.0f} and {hi:,.0f} (N * rate +- {k:g} standard deviations of the "
                    "binomial distribution)").format(what=what, zeros=zeros, n=n, fraction=zeros / n, rate=rate,
                                                     lo=math.ceil(lo), hi=math.floor(hi), k=Z_SIGMAS)
        lo2, hi2 = zero_band(n, 1.0 - rate)
        if lo2 <= zeros <= hi2:
            _named(message, KEEP_WITH_RATE)
        raise Fail(message)


def judge_inference_output(x: np.ndarray, rate: float, got, what: str) -> None:
    """training=False (or rate 0): x itself."""
    arr = _as_output(got, x, what)
    x64 = np.asarray(x, np.float64)
    if np.allclose(arr, x64, rtol=SCALE_RTOL, atol=0):
        return
    message = _("{what} changed x; expected x unchanged").format(what=what)
    if rate > 0:
        for scale in (1.0 - rate, 1.0 / (1.0 - rate)):
            if np.allclose(arr, x64 * scale, rtol=SCALE_RTOL, atol=0):
                _named(message, SCALED_AT_INFERENCE)
        dropped = arr == 0
        kept = ~dropped
        if dropped.any() and np.allclose(arr[kept], x64[kept] / (1.0 - rate), rtol=SCALE_RTOL, atol=0):
            _named(message, IGNORED_TRAINING)
    raise Fail(message)


def _dropout_what(x, rate, training, seed) -> str:
    return f"dropout_forward(<array {x.shape}>, rate={rate:g}, training={training}, seed={seed})"


def _call_dropout(t, x, rate, training, seed):
    return t.call("dropout_forward", x, rate, training, seed)


def _check_training(t, cases):
    for shape, rate in cases:
        x, seed = _inputs(t.rng, shape), int(t.rng.integers(2**31))
        judge_training_output(x, rate, _call_dropout(t, x, rate, True, seed), _dropout_what(x, rate, True, seed))


def _check_inference(t, cases):
    for shape, rate, mode in cases:
        x, seed = _inputs(t.rng, shape), int(t.rng.integers(2**31))
        judge_inference_output(x, rate, _call_dropout(t, x, rate, mode, seed),
                               _dropout_what(x, rate, mode, seed))


def _check_seed(t, shape, rate):
    x, seed = _inputs(t.rng, shape), int(t.rng.integers(2**30))
    first = _as_output(_call_dropout(t, x, rate, True, seed), x, _dropout_what(x, rate, True, seed))
    again = _as_output(_call_dropout(t, x, rate, True, seed), x, _dropout_what(x, rate, True, seed))
    if not np.array_equal(first == 0, again == 0):
        _named(_("dropout_forward(..., seed={seed}) called twice dropped different elements").format(seed=seed),
               UNSEEDED)
    other = _as_output(_call_dropout(t, x, rate, True, seed + 1), x, _dropout_what(x, rate, True, seed + 1))
    if np.array_equal(first == 0, other == 0):
        _named(_("seeds {a} and {b} dropped exactly the same elements").format(a=seed, b=seed + 1), IGNORED_SEED,
               _("Create the generator from the seed argument: rng = np.random.default_rng(seed)."))


PUBLIC_TRAINING = [((200, 100), 0.25), ((16, 12, 12, 8), 0.1), ((50, 400), 0.7)]


@EXERCISE.check(uses=("dropout_forward",), points=3, hint=DROPOUT_HINT)
def dropout_training(t):
    _check_training(t, PUBLIC_TRAINING)


@EXERCISE.check(uses=("dropout_forward",), points=2, hint=DROPOUT_HINT)
def dropout_inference(t):
    _check_inference(t, [((20, 50), 0.25, False), ((4, 8, 8, 3), 0.7, False), ((30, 40), 0.0, True)])


@EXERCISE.check(uses=("dropout_forward",), points=1, hint=N_("np.random.default_rng(seed): the same seed gives the same mask, another seed "
                                  "another one."))
def dropout_seed(t):
    _check_seed(t, (32, 64), 0.3)


def hidden_dropout_cases(rng, n: int) -> list[tuple[tuple[int, ...], float]]:
    """Random shapes (>= MIN_BATCH examples of >= MIN_PER_EXAMPLE values, >= 5,000 values in all) and rates
    at least 0.1 away from 0.5, so that keeping with probability rate lands far outside the band."""
    out = []
    for _i in range(n):
        batch = int(rng.integers(MIN_BATCH, 65))
        inner = [int(rng.integers(2, 17)) for _j in range(int(rng.integers(1, 4)))]
        while int(np.prod(inner)) < MIN_PER_EXAMPLE or batch * int(np.prod(inner)) < 5000:
            inner[int(rng.integers(len(inner)))] += 1
        rate = float(rng.choice([rng.uniform(0.1, 0.4), rng.uniform(0.6, 0.85)]))
        out.append(((batch, *inner), round(rate, 3)))
    return out


@EXERCISE.check(uses=("dropout_forward",), points=2, hint=DROPOUT_HINT, hidden=True)
def hidden_dropout(t):
    cases = hidden_dropout_cases(t.rng, 3)
    _check_training(t, cases)
    _check_inference(t, [(shape, rate, False) for shape, rate in cases[:2]])
    _check_seed(t, *cases[2])


# ------------------------------------------------------------------ the augmenter
class Layer:
    """A layer as the checks read it: its Keras class and its config."""

    def __init__(self, cls: str, config: dict):
        self.cls, self.config = cls, config


def flat_layers(model) -> list[Layer]:
    """The layers of a model, nested models opened, InputLayers left out; for a model the judge could not
    rebuild (``graph.is_opaque``), the layers that ran in the child, with their plain settings."""
    import keras
    from grader.judge import graph
    if graph.is_opaque(model):
        return [Layer(c.cls, dict(c.settings)) for c in model.calls()]
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            out.extend(flat_layers(layer))
        elif not isinstance(layer, keras.layers.InputLayer):
            out.append(Layer(type(layer).__name__, layer.get_config()))
    return out


def _range(value) -> tuple[float, float] | None:
    """A Keras factor (f, or (lower, upper)) as (lower, upper)."""
    try:
        if isinstance(value, (list, tuple)):
            return float(value[0]), float(value[1])
        return -abs(float(value)), abs(float(value))
    except (TypeError, ValueError, IndexError):
        return None


def _factor_ok(value, want: float) -> bool:
    r = _range(value)
    return r is not None and abs(r[0] + want) < 1e-9 and abs(r[1] - want) < 1e-9


def check_augmentation_layers(found: list, what: str) -> None:
    """``found``: the augmentation layers (flattened); exactly the three of the syllabus, configured as stated."""
    names = [layer.cls for layer in found]
    for cls in AUG_CLASSES:
        if names.count(cls) == 0:
            others = [n for n in names if n not in AUG_CLASSES]
            if others:  # another layer where this one belongs: say which
                _named(_("{what}: {other} instead of {cls}; the augmenter has RandomFlip, RandomTranslation and "
                         "RandomRotation").format(what=what, other=", ".join(others), cls=cls), MISSING_LAYER,
                       _(AUGMENTER_HINT))
            _named(_("{what}: no {cls} layer; the augmenter has RandomFlip, RandomTranslation and "
                     "RandomRotation").format(what=what, cls=cls), MISSING_LAYER, _(AUGMENTER_HINT))
        if names.count(cls) > 1:
            raise Fail(_("{what}: {count} {cls} layers, expected one").format(what=what, count=names.count(cls),
                                                                              cls=cls), _(AUGMENTER_HINT))
    extra = [n for n in names if n not in AUG_CLASSES]
    if extra:
        raise Fail(_("{what}: extra layer(s) {extra}; the augmenter is exactly RandomFlip, RandomTranslation and "
                     "RandomRotation").format(what=what, extra=", ".join(extra)), _(AUGMENTER_HINT))
    for layer in found:
        cfg, cls = layer.config, layer.cls
        if cls == "RandomFlip" and cfg.get("mode") != "horizontal":
            message = _("{what}: RandomFlip mode {mode}, expected 'horizontal'").format(what=what,
                                                                                      mode=repr(cfg.get("mode")))
            _named(message, VERTICAL_FLIP if cfg.get("mode") == "vertical" else BOTH_FLIPS,
                   _("A mirror image (left-right) of a circle, square or upward triangle is the same shape."))
        if cls == "RandomTranslation" and not (_factor_ok(cfg.get("height_factor"), TRANSLATION)
                                               and _factor_ok(cfg.get("width_factor"), TRANSLATION)):
            message = _("{what}: RandomTranslation({h}, {w}), expected RandomTranslation(0.1, 0.1)").format(
                what=what, h=cfg.get("height_factor"), w=cfg.get("width_factor"))
            raise Fail(message, _("RandomTranslation(0.1, 0.1) shifts by up to 10% of the height and width."))
        if cls == "RandomRotation" and not _factor_ok(cfg.get("factor"), ROTATION):
            message = _("{what}: RandomRotation({factor}), expected RandomRotation(0.05)").format(
                what=what, factor=cfg.get("factor"))
            raise Fail(message, _("The factor is a fraction of a full turn: 0.05 is up to 18 degrees either way; "
                                  "0.2 (72 degrees) would tip squares onto their corners."))


def _augmenter(t):
    import keras
    from grader.judge import graph
    model = t.call_model("build_augmenter", trace_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    what = "build_augmenter()"
    if not (isinstance(model, keras.Model) or graph.is_opaque(model)):
        raise Fail(_("{what} returned a {kind}, expected a keras.Sequential").format(what=what,
                                                                                     kind=type(model).__name__))
    return model, what


def _images(rng, shape, n: int = 32) -> np.ndarray:
    """Random images whose rows and columns all differ: any flip, shift or turn changes them.  32 of them,
    so that an augmenter flipping each image with probability 1/2 at inference leaves all of them alone
    with probability 2**-32 only."""
    return rng.uniform(0.0, 1.0, (n, *shape)).astype(np.float32)


def _augmented(t, x: np.ndarray) -> dict:
    """The student's augmenter applied to ``x`` in the child (``grader.recipes.ex13_regularization``)."""
    d = t.recipe("augment_images", x, fn="build_augmenter")
    if not isinstance(d, dict) or "kind" not in d:
        raise StudentError(_("build_augmenter: the grader could not read what the augmenter returned"))
    return d


def check_augmenter_behaviour(d: dict, x: np.ndarray, what: str) -> None:
    """Identity at inference, random at training time, shape unchanged."""
    shape = tuple(x.shape[1:])
    if "inference" not in d and "error" not in d:
        raise Fail(_("{what} returned a {kind}, expected a keras.Sequential").format(what=what, kind=d["kind"]),
                   _(AUGMENTER_HINT))
    if "error" in d:
        raise Fail(_("{what} cannot augment images of shape {shape}: {error}").format(
            what=what, shape=shape, error=d["error"]),
            _("The augmenter takes images of any size: build it without keras.Input."))
    how = "augmenter(x, training=False)"
    got = np.asarray(d["inference"])
    if got.shape != x.shape:
        raise Fail(_("{what}: {how} has shape {got}, expected {want}").format(
            what=what, how=how, got=got.shape, want=x.shape), _(AUGMENTER_HINT))
    if not np.allclose(got, x, atol=1e-6, rtol=0):
        _named(_("{what}: {how} changed the images").format(what=what, how=how), AUG_AT_INFERENCE,
               _("Use Keras's Random* layers: they augment only when training=True (inside fit)."))
    first, second = np.asarray(d["train"]), np.asarray(d["train_again"])
    for got in (first, second):
        if got.shape != x.shape:
            raise Fail(_("{what}: augmenter(x, training=True) has shape {got}, expected {want}: augmentation keeps "
                         "the shape").format(what=what, got=got.shape, want=x.shape), _(AUGMENTER_HINT))
    if np.allclose(first, x, atol=1e-6) or np.allclose(first, second, atol=1e-6):
        raise Fail(_("{what}: augmenter(x, training=True) is not random: it returned the same images").format(
            what=what), _(AUGMENTER_HINT))


@EXERCISE.check(uses=("build_augmenter",), points=2, hint=AUGMENTER_HINT)
def augmenter_layers(t):
    model, what = _augmenter(t)
    check_augmentation_layers(flat_layers(model), what)


@EXERCISE.check(uses=("build_augmenter",), points=2, hint=AUGMENTER_HINT)
def augmenter_behaviour(t):
    x = _images(t.rng, (IMAGE_SIZE, IMAGE_SIZE, 3))
    check_augmenter_behaviour(_augmented(t, x), x, "build_augmenter()")


@EXERCISE.check(uses=("build_augmenter",), points=1, hint=AUGMENTER_HINT, hidden=True)
def hidden_augmenter_sizes(t):
    for _i in range(2):
        shape = (int(t.rng.integers(12, 41)), int(t.rng.integers(12, 41)), int(t.rng.choice([1, 3])))
        x = _images(t.rng, shape)
        check_augmenter_behaviour(_augmented(t, x), x, "build_augmenter()")


# ------------------------------------------------------------------ the regularized model
def _model(t, input_shape, num_classes):
    what = f"build_regularized_model({input_shape}, {num_classes})"
    model = t.call_model("build_regularized_model", input_shape, num_classes, trace_shape=input_shape)
    if not model.inputs:
        raise Fail(_("{what}: the model has no input shape").format(what=what),
                   _("Start the model with keras.Input(shape=input_shape)."))
    return model, what


def check_model_rules(model, what: str, input_shape, num_classes) -> None:
    got_in, got_out = tuple(model.inputs[0].shape[1:]), tuple(model.outputs[0].shape[1:])
    if got_in != tuple(input_shape):
        raise Fail(_("{what}: input shape {got}, expected {want}").format(what=what, got=got_in,
                                                                          want=tuple(input_shape)),
                   _("Use the input_shape argument, not a hard-coded shape."))
    if got_out != (num_classes,):
        raise Fail(_("{what}: output shape {got}, expected {want}").format(what=what, got=got_out,
                                                                           want=(num_classes,)),
                   _("End with Dense(num_classes)."))
    n = int(model.count_params())
    if n > MAX_PARAMS:
        raise Fail(_("{what} has {n:,} parameters, more than the budget of {max_params:,}").format(
            what=what, n=n, max_params=MAX_PARAMS),
            _("Pool before Flatten, or use GlobalAveragePooling2D: the Dense layer after Flatten holds most "
              "parameters."))
    found = flat_layers(model)
    names = [layer.cls for layer in found]
    aug = [i for i, name in enumerate(names) if name in AUG_CLASSES]
    if not aug:
        _named(_("{what} has no augmentation layers").format(what=what), AUG_NOT_FIRST, _(MODEL_HINT))
    if aug != list(range(len(aug))):
        _named(_("{what}: layer {i} is {cls}, before the augmentation layers").format(
            what=what, i=min(i for i in range(len(names)) if i not in aug) + 1,
            cls=names[min(i for i in range(len(names)) if i not in aug)]), AUG_NOT_FIRST, _(MODEL_HINT))
    check_augmentation_layers(found[:len(aug)], what)
    drops = [layer for layer in found if layer.cls in DROPOUT_CLASSES]
    if not drops:
        _named(_("{what} has no Dropout layer").format(what=what), NO_DROPOUT, _(MODEL_HINT))
    if not any(float(layer.config.get("rate") or 0) > 0 for layer in drops):
        raise Fail(_("{what}: every Dropout layer has rate 0, which drops nothing").format(what=what),
                   _("Dropout(0.2) to Dropout(0.3) is usual."))
    if not (getattr(model, "compiled", False) and model.loss is not None):
        raise Fail(_("{what} is not compiled").format(what=what),
                   _("Call model.compile(optimizer=..., loss='sparse_categorical_crossentropy') before returning "
                     "the model."))


@EXERCISE.check(uses=("build_regularized_model",), points=2, hint=MODEL_HINT)
def regularized_model_rules(t):
    model, what = _model(t, (IMAGE_SIZE, IMAGE_SIZE, 3), NUM_CLASSES)
    check_model_rules(model, what, (IMAGE_SIZE, IMAGE_SIZE, 3), NUM_CLASSES)


@functools.lru_cache(maxsize=1)
def shapes_data():
    """The fixed training and validation sets: ``datasets.shapes.make_shapes`` at 24x24."""
    from datasets.shapes import make_shapes
    return (make_shapes(N_TRAIN, IMAGE_SIZE, seed=TRAIN_DATA_SEED),
            make_shapes(N_VAL, IMAGE_SIZE, seed=VAL_DATA_SEED))


def _trained_from(model, seed, budget_s=None) -> tuple:
    """What ``train_and_score`` answers from: the model, the seed, the budget and the training settings."""
    return (model_key(model), int(seed), float(TRAIN_BUDGET_S if budget_s is None else budget_s), EPOCHS,
            BATCH_SIZE, STEPS_PER_EXECUTION)


@memo(maxsize=64, key=_trained_from)
def train_and_score(model: "keras.Model", seed: int, budget_s: float | None = None) -> training.Fitted:
    """Train a compiled model from its current weights as the grader does; its validation accuracy and what
    the grader saw while it trained (``training.fit_and_watch``: the validation accuracy after each epoch,
    fit's loss, the training images' accuracy at the end).

    The same model from the same weights with the same seed is trained once per process (``memo``): a
    re-grade after an edit elsewhere (``grade --watch``, a second ``check()``) does not train it again,
    and the model is then left untrained (callers use only what is returned)."""
    budget_s = TRAIN_BUDGET_S if budget_s is None else budget_s
    train, val = shapes_data()
    # Eight batches per call of the compiled train step: the same updates in the same order, with less of
    # Keras's per-batch Python in between (the ten-seed calibration is unchanged by it).
    try:
        fitted = training.fit_and_watch(model, train, val, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=seed,
                                        budget_s=budget_s, steps_per_execution=STEPS_PER_EXECUTION)
    except Exception as e:  # noqa: BLE001 -- the student's compile settings decide what fit does
        text = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise Fail(_("training your model failed: {error}").format(error=f"{type(e).__name__}: {text}"),
                   _("Labels are integers 0..num_classes-1: compile with loss='sparse_categorical_crossentropy'."))
    if fitted.exceeded:
        raise Fail(_("training took longer than the {budget:g} s budget for {epochs} epochs").format(
            budget=budget_s, epochs=EPOCHS), _("Use fewer or smaller layers; the images are only 24x24."))
    if not fitted.finite:
        raise Fail(_("your model's predictions became NaN during training"),
                   _("Lower the learning rate; check the loss matches the output layer."))
    return fitted


def check_training_rules(model, what: str, opt: training.Optimizer) -> None:
    """The docstring's rules for the model the grader trains, checked before training: without them the
    calibration panel's designs do not learn the shapes in the budget on every seed, so the check says which
    rule, at once."""
    layers = training.leaf_layers(model)
    pooled = [getattr(training.kind_of(layer), "__name__", "global pooling") for layer in layers
              if training.is_a(layer, training.GLOBAL_POOLING)]
    if pooled:
        expect.fail(_("{what}: {layer} -- not trained, by the rule of the docstring: Flatten after the last "
                      "convolution block, not global pooling; with it no design of the calibration panel learns the "
                      "shapes in {epochs} epochs (averaging a 3x3 map loses where the corners are)").format(
                          what=what, layer=pooled[0], epochs=EPOCHS),
                    _("Flatten() after the last MaxPooling2D, then Dropout and Dense."), POOLING_RULE)
    high = [r for r in training.dropout_rates(layers) if r > MAX_DROPOUT]
    if high:
        expect.fail(_("{what}: Dropout({rate:g}) -- not trained, by the rule of the docstring: Dropout rates of at "
                      "most {most:g}; at 0.5 the calibration panel's model reached the threshold on some seeds and "
                      "not on others in {epochs} epochs").format(what=what, rate=max(high), most=MAX_DROPOUT,
                                                                 epochs=EPOCHS),
                    _("Dropout(0.2) to Dropout(0.3) before the last Dense layer."), DROPOUT_RULE)
    if RATES.rule_broken(opt):
        expect.fail(_("{what}: {optimizer} -- not trained, by the rule of the docstring: {rule}; with SGD, or at "
                      "other rates, the calibration panel's designs did not clear the threshold with a margin in "
                      "{epochs} epochs on every seed").format(
                          what=what, optimizer=opt.text(), rule=rate_rule_text(), epochs=EPOCHS),
                    _("Adam(5e-3), for instance."), RATE_RULE)


def rate_rule_text() -> str:
    return _("Adam (or AdamW, Nadam, Adamax) at a learning rate from {least:g} to {most:g}, or RMSprop from "
             "{rms_least:g} to {rms_most:g} (SGD is not trained)").format(
                 least=RATES.least["Adam"], most=RATES.most["Adam"], rms_least=RATES.least["RMSprop"],
                 rms_most=RATES.most["RMSprop"])


def regularized_hint(kind: str, model, opt: training.Optimizer) -> str:
    """The hint that follows from the diagnosis, pointing only at settings outside the ranges it suggests."""
    layers = training.leaf_layers(model)
    rate = RATES.hint(opt)
    if rate:
        return rate
    rates = training.dropout_rates(layers)
    if kind == training.OVERFITS:
        if not any(0.2 <= r <= MAX_DROPOUT for r in rates):
            return _("Dropout of 0.2 to 0.3 before the last Dense layer: the model learns the training images by "
                     "heart.")
        return _("Use fewer parameters (fewer filters, or one more MaxPooling2D before Flatten): the model learns "
                 "the training images by heart.")
    params = int(model.count_params())
    if params < FEW_PARAMS:
        return _("The model has only {n:,} parameters: more filters (16 to 48 per convolution) let it tell the "
                 "shapes apart.").format(n=params)
    if any(m > 0.9 for m in training.batchnorm_momenta(layers)):
        return _("BatchNormalization(momentum=0.9): with the default 0.99 its moving statistics, which the model "
                 "uses on the validation images, have not settled after a training this short.")
    return _("Train it yourself with the grader's budget and watch the validation accuracy per epoch: more "
             "filters learn faster.")


def score_in_child(model, seed: int) -> float:
    """A model the judge could not rebuild, trained in the child as ``train_and_score`` trains one and scored
    on noisy copies of the validation images (``grader.judge.training``)."""
    from grader.judge import training
    (x_train, y_train), (x_val, y_val) = shapes_data()
    acc, _run = training.accuracy_in_child(model, x_train, y_train, x_val, y_val, seed, epochs=EPOCHS,
                                           batch_size=BATCH_SIZE, budget_s=TRAIN_BUDGET_S,
                                           steps_per_execution=STEPS_PER_EXECUTION, num_classes=NUM_CLASSES)
    return acc


@EXERCISE.check(uses=("build_regularized_model",), points=3, timeout=60,
                hint=lambda: _("Train it yourself: {epochs} epochs, batch {batch_size}. Three small Conv2D-ReLU-"
                               "MaxPooling2D blocks (BatchNormalization helps), then Flatten, Dropout(0.2 to 0.3) and "
                               "Dense, with Adam(1e-3 to 5e-3), learn fast enough.").format(epochs=EPOCHS,
                                                                                         batch_size=BATCH_SIZE))
def regularized_model_accuracy(t):
    model, what = _model(t, (IMAGE_SIZE, IMAGE_SIZE, 3), NUM_CLASSES)
    check_model_rules(model, what, (IMAGE_SIZE, IMAGE_SIZE, 3), NUM_CLASSES)
    opt = training.model_optimizer(model)
    check_training_rules(model, what, opt)
    from grader.judge import graph
    if graph.is_opaque(model):
        acc = score_in_child(model, t.seed)
        expect.that(acc >= THRESHOLD, _("validation accuracy {acc:.3f} after {epochs} epochs is below the threshold "
                                        "{threshold}").format(acc=acc, epochs=EPOCHS, threshold=THRESHOLD),
                    _("Train it yourself with the grader's budget and watch the validation accuracy per epoch."))
        return
    fitted = train_and_score(model, t.seed)
    if fitted.accuracy < THRESHOLD:
        seen = fitted.seen
        kind = training.diagnose(seen, THRESHOLD, CHANCE)
        words = training.Words(_("validation accuracy"), _("training accuracy"), _("chance"))
        message = (_("validation accuracy {acc:.3f} after {epochs} epochs is below the threshold {threshold}").format(
                       acc=fitted.accuracy, epochs=EPOCHS, threshold=THRESHOLD)
                   + " -- " + training.verdict_text(kind, seen, words, CHANCE) + ". "
                   + training.saw(seen, words, CHANCE, params=int(model.count_params()), max_params=MAX_PARAMS,
                                  optimizer=opt, rates=RATES))
        expect.fail(message, regularized_hint(kind, model, opt), kind)


@EXERCISE.check(uses=("build_regularized_model",), points=1, hint=MODEL_HINT, hidden=True)
def hidden_regularized_model_shapes(t):
    side = int(t.rng.integers(16, 33))
    input_shape, num_classes = (side, int(t.rng.integers(16, 33)), int(t.rng.choice([1, 3]))), int(t.rng.integers(2, 8))
    model, what = _model(t, input_shape, num_classes)
    check_model_rules(model, what, input_shape, num_classes)
