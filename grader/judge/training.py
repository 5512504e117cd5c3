"""Training checks (ex03, ex08, ex12, ex13): what the grader saw while a model trained, and what it means.

A training check that fails says what the grader saw, in numbers, and a diagnosis that follows from them
(issue #26):

- the judged number (held-out accuracy, or a test MSE) beside the same measure on the training data after
  training, so that "did not learn at all" (both near chance), "overfits" (training far better than
  held-out) and "learned too slowly for the budget" (both below the threshold) read differently;
- the learning curve in numbers, epoch by epoch (``Seen.curve``, ``Seen.losses``);
- the parameter count beside the exercise's budget;
- the optimizer's learning rate beside the rates its calibration passes with (``Rates``), and how far
  from them it is.

Each exercise's ``Rates`` come from its panel (tests/panels/, ``make test-slow``): the rates at which every
sensible design of the panel clears the threshold on every calibration seed, and, where the exercise states
one, the lowest rate it trains at all (a rule of its docstring: below it no panel design learns in the
budget, so the check fails the model by that rule before training it).  A hint never points at a setting
the model already has within the range it suggests: the exercise builds it from ``Diagnosis``.

Numbers only; Keras only where a helper reads a Keras object (``read_optimizer``, the layer helpers: a layer's
kind is its Keras class, subclasses included, never its class's name).

A model the judge could not rebuild (``graph.is_opaque``: a layer making its own weights, an operation
Keras has no twin for) can only run where the student's code lives: the child trains it with the same
data, epochs, batch size, seed and CPU budget (``grader.core.lowering.train``) and returns its class
probabilities on ``score_images``: copies of the test images with noise drawn from the check's seed, whose
labels never leave the judge.  The noise keeps a model that looks its input up in the public data set from
finding it (the digits are multiples of 1/16: rounding does not undo a noise of 0.05 and a brightness
change), and costs a model that learned the task little (``make test-slow`` calibrates this path).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from grader.core.errors import Fail
from grader.core.i18n import N_, _

# ------------------------------------------------------------------ the optimizer and its learning rate
# Optimizers whose rates compare with Adam's (adaptive steps: the rate is the step size), and SGD's own.
FAMILIES = {"Adam": "Adam", "AdamW": "Adam", "Adamax": "Adam", "Nadam": "Adam",
            "RMSprop": "RMSprop", "SGD": "SGD"}
FAR = 3.0  # a rate this many times outside the range that works is "far" from it


@dataclasses.dataclass(frozen=True)
class Optimizer:
    """What the grader knows of a compiled model's optimizer: plain numbers (the judge's, or a child's)."""
    name: str | None                # the class name ("Adam", "SGD", ...); None when not compiled
    learning_rate: float | None     # at the first step (a schedule's first value)
    momentum: float = 0.0           # SGD's (0 for the others)

    @property
    def family(self) -> str | None:
        return FAMILIES.get(self.name or "")

    @property
    def effective_rate(self) -> float | None:
        """SGD with momentum m moves like plain SGD at rate / (1 - m); the others: the rate."""
        if self.learning_rate is None:
            return None
        if self.family == "SGD" and 0.0 <= self.momentum < 1.0:
            return self.learning_rate / (1.0 - self.momentum)
        return self.learning_rate

    def text(self) -> str:
        if self.learning_rate is None:
            return self.name or "?"
        if self.family == "SGD" and self.momentum:
            return _("{name} at learning rate {rate:g} with momentum {momentum:g} (moves like plain SGD at "
                     "{effective:.3g})").format(name=self.name, rate=self.learning_rate, momentum=self.momentum,
                                                effective=self.effective_rate)
        return _("{name} at learning rate {rate:g}").format(name=self.name, rate=self.learning_rate)


def _number(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def read_optimizer(optimizer) -> Optimizer:
    """The plain facts of a Keras optimizer object (the judge's rebuilt model's, or one in a child)."""
    if optimizer is None:
        return Optimizer(None, None)
    import keras
    rate = getattr(optimizer, "learning_rate", None)
    try:
        if isinstance(rate, keras.optimizers.schedules.LearningRateSchedule):
            rate = rate(0)
        rate = _number(keras.ops.convert_to_numpy(rate)) if rate is not None else None
    except Exception:  # noqa: BLE001 -- a schedule that cannot say: no rate
        rate = None
    # The Keras optimizer it is (a subclass of Adam is an Adam: the nearest of Keras's own classes names it)
    name = next((n for n in ("AdamW", "Adamax", "Nadam", "Adam", "RMSprop", "SGD")
                 if isinstance(getattr(keras.optimizers, n, None), type)
                 and isinstance(optimizer, getattr(keras.optimizers, n))), type(optimizer).__name__)
    momentum = _number(getattr(optimizer, "momentum", 0.0)) or 0.0
    return Optimizer(name, rate, momentum if FAMILIES.get(name) == "SGD" else 0.0)


# Keras keeps a learning rate in float32: Adam(3e-3) reads back as 0.0030000000260770321.  A rate within this
# relative distance of a bound is at the bound.
RATE_TOLERANCE = 1e-6


def _below(rate: float, bound: float) -> bool:
    return rate < bound * (1.0 - RATE_TOLERANCE)


def _above(rate: float, bound: float) -> bool:
    return rate > bound * (1.0 + RATE_TOLERANCE)


@dataclasses.dataclass(frozen=True)
class Rates:
    """One exercise's calibrated learning rates, per optimizer family (SGD by its effective rate).

    ``works``: (lowest, highest) rate at which the panel's designs of that family clear the threshold on
    every calibration seed.  ``least``: the lowest rate the check trains at all, where the docstring states
    such a rule (below it, no design of the panel learns in the budget); ``excluded``: families it does not
    train at all (no rate of them made a design of the panel learn in the budget)."""
    works: dict
    least: dict = dataclasses.field(default_factory=dict)
    excluded: tuple = ()     # families the check does not train at all (a rule of the docstring)
    most: dict = dataclasses.field(default_factory=dict)   # the highest rate it trains, where a rule says

    def where(self, opt: Optimizer) -> str:
        """"within", "below", "above" the range that works, or "unknown" (no calibrated range)."""
        rate, span = opt.effective_rate, self.works.get(opt.family)
        if rate is None or span is None:
            return "unknown"
        lo, hi = span
        return "below" if _below(rate, lo) else "above" if _above(rate, hi) else "within"

    def far(self, opt: Optimizer) -> bool:
        """Whether the rate is at least FAR times outside the range that works."""
        where = self.where(opt)
        if where not in ("below", "above"):
            return False
        lo, hi = self.works[opt.family]
        rate = opt.effective_rate
        return rate * FAR <= lo if where == "below" else rate >= hi * FAR

    def range_text(self, family: str) -> str:
        lo, hi = self.works[family]
        if family == "SGD":
            return _("SGD at an effective rate (rate / (1 - momentum)) of {lo:g} to {hi:g}").format(lo=lo, hi=hi)
        return _("{family} at {lo:g} to {hi:g}").format(family=family, lo=lo, hi=hi)

    def text(self, opt: Optimizer) -> str:
        """One clause on the optimizer's rate beside the range that works."""
        where = self.where(opt)
        if opt.learning_rate is None:
            return _("the optimizer's learning rate could not be read ({name})").format(name=opt.name or "?")
        if where == "unknown":
            return _("{optimizer}; the grader has no calibrated range of rates for this optimizer").format(
                optimizer=opt.text())
        if where == "within":
            return _("{optimizer}: within the rates that train the panel's models in the budget "
                     "({range})").format(optimizer=opt.text(), range=self.range_text(opt.family))
        lo, hi = self.works[opt.family]
        factor = lo / opt.effective_rate if where == "below" else opt.effective_rate / hi
        text = (_("{optimizer}: {factor:.3g}x below the rates that train the panel's models in the budget "
                  "({range})") if where == "below" else
                _("{optimizer}: {factor:.3g}x above the rates that train the panel's models in the budget "
                  "({range})"))
        return text.format(optimizer=opt.text(), factor=factor, range=self.range_text(opt.family))

    def rule_broken(self, opt: Optimizer) -> bool:
        """Whether the optimizer is one the check does not train, or below the lowest rate it trains (the
        docstring's rules)."""
        if (opt.family or opt.name) in self.excluded:
            return True
        least, most, rate = self.least.get(opt.family), self.most.get(opt.family), opt.effective_rate
        if rate is None:
            return False
        return (least is not None and _below(rate, least)) or (most is not None and _above(rate, most))

    def hint(self, opt: Optimizer) -> str | None:
        """"Raise/lower the learning rate ..." when it is outside the range that works; None within it (a hint
        never points at a setting that is already in the range it would suggest)."""
        where = self.where(opt)
        if where == "below":
            return _("Raise the learning rate: {range} trains the panel's models in the budget.").format(
                range=self.range_text(opt.family))
        if where == "above":
            return _("Lower the learning rate: {range} trains the panel's models in the budget.").format(
                range=self.range_text(opt.family))
        return None


# ------------------------------------------------------------------ what the grader saw
@dataclasses.dataclass(frozen=True)
class Seen:
    """What the grader saw of one training, in numbers.

    ``held_out``: the judged number (test or validation accuracy, or a test MSE) after the last epoch;
    ``train``: the same measure on the training data after training, the model in inference mode (None when
    the grader did not compute it); ``curve``: the judged number after each ``every`` epochs; ``losses``: the
    training loss per epoch (``every`` epochs), as fit reported it (dropout and augmentation on)."""
    held_out: float
    train: float | None
    epochs: int
    curve: tuple = ()
    losses: tuple = ()
    every: int = 1
    lower_is_better: bool = False

    @property
    def rising(self) -> bool:
        """Whether the curve was still improving over its last quarter (by a clear step)."""
        if len(self.curve) < 4:
            return False
        k = max(1, len(self.curve) // 4)
        before, last = self.curve[-1 - k], self.curve[-1]
        step = 0.01 if not self.lower_is_better else 0.0
        return (last > before + step) if not self.lower_is_better else (last < 0.9 * before)


DID_NOT_LEARN = N_("did not learn")
OVERFITS = N_("overfits")
TOO_SLOW = N_("learned too slowly for the budget")


def diagnose(seen: Seen, threshold: float, floor: float) -> str:
    """DID_NOT_LEARN, OVERFITS or TOO_SLOW for a training that missed ``threshold``; ``floor`` is what a model
    that learned nothing gets (chance accuracy, or the MSE of always predicting the mean)."""
    train = seen.held_out if seen.train is None else seen.train
    if not seen.lower_is_better:
        if train < floor + 0.25 * (threshold - floor):
            return DID_NOT_LEARN
        if train >= threshold and train - seen.held_out >= 0.1:
            return OVERFITS
        return TOO_SLOW
    if train > floor - 0.25 * (floor - threshold):
        return DID_NOT_LEARN
    if train <= threshold and seen.held_out >= 2 * train:
        return OVERFITS
    return TOO_SLOW


def _numbers(values, lower_is_better: bool) -> str:
    fmt = "{:.3g}" if lower_is_better else "{:.2f}"
    return " ".join(fmt.format(v) for v in values)


@dataclasses.dataclass(frozen=True)
class Words:
    """How an exercise names its numbers (translated by the caller): e.g. "validation accuracy", "training
    accuracy", "chance" and the floor's value."""
    held: str
    train: str
    floor: str


def saw(seen: Seen, words: Words, floor: float, *, params: int | None = None, max_params: int | None = None,
        optimizer: Optimizer | None = None, rates: Rates | None = None) -> str:
    """"what the grader saw: ..." -- the numbers behind a diagnosis, as one sentence."""
    fmt = "{:.4f}" if seen.lower_is_better else "{:.3f}"
    parts = []
    if seen.train is not None:
        parts.append(_("{train} {train_value} and {held} {held_value} after {epochs} epochs ({floor}: "
                       "{floor_value})").format(train=words.train, train_value=fmt.format(seen.train),
                                                held=words.held, held_value=fmt.format(seen.held_out),
                                                epochs=seen.epochs, floor=words.floor,
                                                floor_value=fmt.format(floor)))
    if seen.curve:
        key = (_("{held} after each epoch: {values}") if seen.every == 1 else
               _("{held} after every {every} epochs: {values}"))
        parts.append(key.format(held=words.held, every=seen.every, values=_numbers(seen.curve, seen.lower_is_better)))
    if seen.losses:
        key = (_("training loss of each epoch: {values}") if seen.every == 1 else
               _("training loss after every {every} epochs: {values}"))
        parts.append(key.format(every=seen.every, values=_numbers(seen.losses, True)))
    if params is not None and max_params is not None:
        parts.append(_("{n:,} parameters, within the budget of {budget:,}").format(n=params, budget=max_params))
    elif params is not None:
        parts.append(_("{n:,} parameters").format(n=params))
    if optimizer is not None and rates is not None:
        parts.append(rates.text(optimizer))
    return _("what the grader saw: {facts}").format(facts="; ".join(parts))


def verdict_text(kind: str, seen: Seen, words: Words, floor: float) -> str:
    """The diagnosis as a clause: what ``kind`` means in this training's numbers."""
    fmt = "{:.4f}" if seen.lower_is_better else "{:.3f}"
    train = seen.held_out if seen.train is None else seen.train
    if kind == DID_NOT_LEARN:
        return _("did not learn: the {train} is {value}, near {floor} ({floor_value})").format(
            train=words.train, value=fmt.format(train), floor=words.floor, floor_value=fmt.format(floor))
    if kind == OVERFITS:
        return _("overfits: the {train} is {train_value}, the {held} only {held_value}").format(
            train=words.train, train_value=fmt.format(train), held=words.held, held_value=fmt.format(seen.held_out))
    text = _("learned too slowly for the budget: the {train} is {value}, short of the threshold as well").format(
        train=words.train, value=fmt.format(train))
    if seen.rising:
        text += _(", and the curve was still improving at the last epoch")
    return text


# ------------------------------------------------------------------ the judge's own training (ex03, ex13)
@dataclasses.dataclass(frozen=True)
class Fitted:
    """A model the judge trained: its held-out accuracy, what the grader saw, and how the training ended."""
    accuracy: float
    seen: Seen
    exceeded: bool = False     # stopped by the time budget
    finite: bool = True        # every held-out prediction is a number


def predict(model, x, batch: int = 256):
    """The model called on ``x`` in inference mode, in batches, as ``predict`` would (without tracing a
    predict function for one use: the same probabilities)."""
    import keras
    import numpy as np
    return np.concatenate([keras.ops.convert_to_numpy(model(x[i:i + batch], training=False))
                           for i in range(0, len(x), batch)])


def fit_and_watch(model, train, held, *, epochs: int, batch_size: int, seed: int, budget_s: float,
                  steps_per_execution: int) -> Fitted:
    """Train a compiled model from its current weights as the grader does (``keras.utils.set_random_seed(seed)``,
    ``fit`` with shuffling, ``steps_per_execution`` batches per call), and watch it: the held-out accuracy
    after every epoch (the model called in inference mode: no random number is drawn, so the training is the
    same as without watching), fit's training loss of every epoch, and the training images' accuracy at the
    end.  Stops at ``budget_s`` seconds of this process's CPU time.  Exceptions of ``fit`` are the caller's to report."""
    import time

    import keras
    import numpy as np
    (x_train, y_train), (x_held, y_held) = train, held

    class Watch(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            # CPU seconds of this process, not wall time: a machine busy with other work (a batch, a test
            # suite) must not fail a model that trains in time on an idle one
            self.start, self.exceeded, self.curve, self.losses = time.process_time(), False, [], []

        def on_train_batch_end(self, batch, logs=None):
            if time.process_time() - self.start > budget_s:
                self.exceeded = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            probs = predict(self.model, x_held)
            self.curve.append(float(np.mean(np.argmax(probs, axis=-1) == y_held)) if np.all(np.isfinite(probs))
                              else float("nan"))
            loss = _number((logs or {}).get("loss"))
            self.losses.append(float("nan") if loss is None else loss)

    keras.utils.set_random_seed(seed)
    watch = Watch()
    model.steps_per_execution = steps_per_execution
    model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0, callbacks=[watch])
    probs = predict(model, x_held)
    finite = bool(np.all(np.isfinite(probs)))
    accuracy = float(np.mean(np.argmax(probs, axis=-1) == y_held)) if finite else 0.0
    train_probs = predict(model, x_train) if finite else None
    train_accuracy = (float(np.mean(np.argmax(train_probs, axis=-1) == y_train))
                      if train_probs is not None and np.all(np.isfinite(train_probs)) else None)
    seen = Seen(accuracy, train_accuracy, epochs, tuple(watch.curve), tuple(watch.losses))
    return Fitted(accuracy, seen, watch.exceeded, finite)


# ------------------------------------------------------------------ facts a hint may need (a rebuilt model)
# Kinds of layers, as Keras's classes (a subclass of one is one of them: judged by what a layer is, not by
# how its class is named).  The names are looked up in keras.layers; one a Keras release lacks is left out.
CONVOLUTIONS = ("Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
                "DepthwiseConv2D")
DROPOUTS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
            "GaussianDropout")
GLOBAL_POOLING = ("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D")
BATCH_NORMALIZATION = ("BatchNormalization",)
FLATTEN = ("Flatten",)


def kind_of(layer):
    """The Keras class of a layer: its own class for a layer the judge rebuilt; for a layer of a model the
    judge could not rebuild (a ``wire.LayerFact``), the built-in class the child measured, or None for a
    layer of the student's own."""
    import keras
    if isinstance(layer, keras.layers.Layer):
        return type(layer)
    cls = getattr(layer, "cls", None)
    if isinstance(cls, str) and getattr(layer, "builtin", False):
        found = getattr(keras.layers, cls, None)
        return found if isinstance(found, type) else None
    return None


def is_a(layer, kinds: tuple) -> bool:
    """Whether ``layer`` is one of ``kinds`` (names of keras.layers classes) or a subclass of one."""
    import keras
    classes = tuple(c for c in (getattr(keras.layers, n, None) for n in kinds) if isinstance(c, type))
    cls = kind_of(layer)
    return cls is not None and bool(classes) and issubclass(cls, classes)


def _has_weights(layer) -> bool:
    weights = getattr(layer, "weights", None)
    if isinstance(weights, (list, tuple)) and weights and not isinstance(weights[0], tuple):
        return True  # a Keras layer's variables
    return int(getattr(layer, "params", 0) or 0) > 0 or bool(weights)


def _setting(layer, key: str, default: float) -> float:
    value = getattr(layer, key, None)
    if value is None:  # a layer fact: its plain config values
        value = dict(getattr(layer, "settings", ()) or ()).get(key, default)
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def leaf_layers(model) -> list:
    """The layers of a model, nested models opened, in their order: the judge's rebuilt built-in layers, or
    for a model the judge could not rebuild, the child's facts of the layers that ran (``wire.LayerFact``)."""
    import keras
    facts = getattr(model, "facts", None)
    if facts is not None and not isinstance(model, keras.Model):
        return list(facts.layers)
    out = []
    for layer in getattr(model, "layers", []):
        if isinstance(layer, keras.Model):
            out += leaf_layers(layer)
        elif not isinstance(layer, keras.layers.InputLayer):
            out.append(layer)
    return out


def model_optimizer(model) -> Optimizer:
    """``read_optimizer`` of a model the judge rebuilt, or the child's facts of one it could not."""
    import keras
    facts = getattr(model, "facts", None)
    if facts is not None and not isinstance(model, keras.Model):
        return Optimizer(facts.optimizer, _number(facts.learning_rate))
    return read_optimizer(getattr(model, "optimizer", None))


def convolutions_without_batchnorm(layers) -> list[int]:
    """The 1-based positions (among the convolutions) of each convolution that no BatchNormalization follows
    before the next layer with weights of another kind (Conv2D-BN-ReLU, Conv2D-ReLU-BN and Conv2D-ReLU-pool-BN
    all count as followed)."""
    missing, k = [], 0
    for i, layer in enumerate(layers):
        if not is_a(layer, CONVOLUTIONS):
            continue
        k += 1
        followed = False
        for later in layers[i + 1:]:
            if is_a(later, BATCH_NORMALIZATION):
                followed = True
                break
            if is_a(later, CONVOLUTIONS) or _has_weights(later):
                break
        if not followed:
            missing.append(k)
    return missing


def batchnorm_momenta(layers) -> list[float]:
    return [_setting(layer, "momentum", 0.99) for layer in layers if is_a(layer, BATCH_NORMALIZATION)]


def dropout_rates(layers) -> list[float]:
    return [_setting(layer, "rate", 0.0) for layer in layers if is_a(layer, DROPOUTS)]


# ------------------------------------------------------------------ a model trained in the child
NOISE = 0.05            # standard deviation of the Gaussian noise added to every pixel
BRIGHTNESS = 0.05       # each image is scaled by a factor drawn from [1 - BRIGHTNESS, 1 + BRIGHTNESS]


def score_images(x: np.ndarray, seed: int) -> np.ndarray:
    """Copies of ``x`` (values in [0, 1]) with noise and a brightness change drawn from ``seed``."""
    rng = np.random.default_rng([int(seed) % 2**32, 20261207])
    scale = rng.uniform(1.0 - BRIGHTNESS, 1.0 + BRIGHTNESS, (len(x),) + (1,) * (x.ndim - 1))
    noisy = x.astype("float64") * scale + rng.normal(0.0, NOISE, x.shape)
    return np.clip(noisy, 0.0, 1.0).astype("float32")


def accuracy_in_child(model, x_train, y_train, x_test, y_test, seed: int, *, epochs: int, batch_size: int,
                      budget_s: float, steps_per_execution: int = 1, num_classes: int):
    """(the accuracy on ``score_images(x_test, seed)``, the child's ``wire.TrainingRun``) of an opaque model
    trained in the child; a FAIL for a training that ran out of its budget or predicts nothing usable."""
    x_score = score_images(x_test, seed)
    run = model.train(np.asarray(x_train, "float32"), np.asarray(y_train), x_score, epochs=int(epochs),
                      batch_size=int(batch_size), seed=int(seed), budget_s=float(budget_s),
                      steps_per_execution=int(steps_per_execution))
    if run.exceeded:
        raise Fail(_("training took longer than the {budget:g} s budget for {epochs} epochs").format(
            budget=budget_s, epochs=epochs))
    probs = run.probabilities
    if probs.shape != (len(x_test), num_classes):
        raise Fail(_("your model's predictions have shape {got}, expected {want}").format(
            got=probs.shape, want=(len(x_test), num_classes)), _("End with Dense(num_classes)."))
    if not np.all(np.isfinite(probs)):
        raise Fail(_("your model's predictions became NaN during training"),
                   _("Lower the learning rate; check the loss matches the output layer."))
    return float(np.mean(np.argmax(probs, axis=-1) == np.asarray(y_test))), run
