"""Checks of ex03: the Conv2D stack layer by layer; the digits CNN's rules and its trained accuracy."""
from __future__ import annotations

import time

import keras
import numpy as np

from grader.judge import N_, Exercise, Fail, _, expect, graph, memo, model_key, structure, training

EXERCISE = Exercise("ex03", N_("Conv2D stack and a digits CNN"), "ex03_conv_stack", timeout=60, memory_mb=2048,
                    summary=N_("a Conv2D/MaxPool/Dense stack layer by layer; a <=20k-parameter CNN trained to "
                               ">=0.93"))

EPOCHS, BATCH_SIZE, THRESHOLD, MAX_PARAMS, TRAIN_BUDGET_S = 20, 32, 0.93, 20_000, 120.0
STEPS_PER_EXECUTION = 8
STACK_HINT = N_("Conv2D 32 same relu, MaxPool 2, Conv2D 64 same relu, MaxPool 2, Conv2D 64 valid relu, Flatten, "
                "Dense 64 relu, Dense num_classes softmax -- in that order, nothing missing or extra.")
NO_INPUT_HINT = N_("Start the model with keras.Input(shape=input_shape).")


def expected_stack(input_shape, num_classes) -> keras.Model:
    """The table of the syllabus, built with Keras in the judge."""
    L = keras.layers
    return keras.Sequential([
        keras.Input(shape=input_shape),
        L.Conv2D(32, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, padding="valid", activation="relu"), L.Flatten(),
        L.Dense(64, activation="relu"), L.Dense(num_classes, activation="softmax"),
    ])


def _check_stack(t, input_shape, num_classes):
    what = f"build_conv_stack({input_shape}, {num_classes})"
    model = t.call_model("build_conv_stack", input_shape, num_classes, trace_shape=input_shape)
    expect.that(bool(model.inputs), _("{what}: the model has no input shape").format(what=what), _(NO_INPUT_HINT))
    got_in = tuple(model.inputs[0].shape[1:])
    expect.equal(got_in, tuple(input_shape), _("{what}: input shape").format(what=what),
                 hint=_("Use the input_shape argument, not a hard-coded shape."))
    if not graph.judged_by_behaviour(model, expected_stack(input_shape, num_classes), input_shape, t.rng, what):
        structure.compare_layers(structure.layer_rows(model),
                                 structure.layer_rows(expected_stack(input_shape, num_classes)), what)
    expect.equal(int(model.count_params()), int(expected_stack(input_shape, num_classes).count_params()),
                 f"{what}.count_params()")


@EXERCISE.check(points=3, hint=STACK_HINT, uses=("build_conv_stack",))
def conv_stack_layers(t):
    _check_stack(t, (32, 32, 3), 10)


@EXERCISE.check(points=1, hint=N_("Use the arguments: keras.Input(shape=input_shape) and Dense(num_classes)."),
                uses=("build_conv_stack",))
def conv_stack_arguments(t):
    _check_stack(t, (28, 28, 1), 5)


@EXERCISE.check(points=1, hint=STACK_HINT, hidden=True, uses=("build_conv_stack",))
def hidden_conv_stack_sizes(t):
    side = int(t.rng.integers(12, 40))
    _check_stack(t, (side, int(t.rng.integers(12, 40)), int(t.rng.choice([1, 3, 4]))), int(t.rng.integers(2, 20)))


def _digits_model(t):
    model = t.call_model("build_digits_model", (8, 8, 1), 10, trace_shape=(8, 8, 1))
    what = "build_digits_model((8, 8, 1), 10)"
    expect.that(bool(model.inputs), _("{what}: the model has no input shape").format(what=what), _(NO_INPUT_HINT))
    return model, what


@EXERCISE.check(points=2, hint=lambda: _("At least one Conv2D, at most {max_params:,} parameters, compiled with a "
                                         "loss for integer labels; output num_classes probabilities.").format(
                    max_params=MAX_PARAMS), uses=("build_digits_model",))
def digits_model_rules(t):
    model, what = _digits_model(t)
    rows = structure.layer_rows(model)
    expect.that(any(r["class"] == "Conv2D" for r in rows), _("{what} has no Conv2D layer").format(what=what),
                _("This exercise is about convolutions: use at least one Conv2D."))
    n = int(model.count_params())
    expect.that(n <= MAX_PARAMS, _("{what} has {n:,} parameters, more than the budget of {max_params:,}").format(
                    what=what, n=n, max_params=MAX_PARAMS),
                _("Shrink the Dense layer after Flatten (or pool before it): that is where parameters pile up."))
    expect.equal(tuple(model.inputs[0].shape[1:]), (8, 8, 1), _("{what}: input shape").format(what=what))
    expect.equal(tuple(model.outputs[0].shape[1:]), (10,), _("{what}: output shape").format(what=what),
                 hint=_("End with Dense(num_classes)."))
    expect.that(getattr(model, "compiled", False) and model.loss is not None,
                _("{what} is not compiled").format(what=what),
                _("Call model.compile(optimizer=..., loss='sparse_categorical_crossentropy') before returning the "
                  "model."))


class _Budget(keras.callbacks.Callback):
    def __init__(self, seconds: float):
        super().__init__()
        # CPU seconds of this process, not wall time: a machine busy with other work (a batch, a test
        # suite) must not fail a model that trains in time on an idle one
        self.seconds, self.start, self.exceeded = seconds, time.process_time(), False

    def on_train_batch_end(self, batch, logs=None):
        if time.process_time() - self.start > self.seconds:
            self.exceeded = True
            self.model.stop_training = True


def _trained_from(model, seed, budget_s=TRAIN_BUDGET_S) -> tuple:
    """What ``train_and_score`` answers from: the model, the seed, the budget and the training settings."""
    return model_key(model), int(seed), float(budget_s), EPOCHS, BATCH_SIZE, STEPS_PER_EXECUTION


@memo(maxsize=64, key=_trained_from)
def train_and_score(model: keras.Model, seed: int, budget_s: float = TRAIN_BUDGET_S) -> float:
    """Train a compiled model from its current weights as the grader does; test accuracy.

    The same model from the same weights with the same seed is trained once per process (``memo``): a
    re-grade after an edit elsewhere (``grade --watch``, a second ``check()``) does not train it again,
    and the model is then left untrained (callers use only the accuracy)."""
    from datasets.digits import load_digits_split
    (x_train, y_train), (x_test, y_test) = load_digits_split()
    keras.utils.set_random_seed(seed)
    budget = _Budget(budget_s)
    # Eight batches per call of the compiled train step: the same updates in the same order (the ten-seed
    # calibration is the same to the last digit), with less of Keras's per-batch Python in between.
    model.steps_per_execution = STEPS_PER_EXECUTION
    try:
        model.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, shuffle=True, verbose=0,
                  callbacks=[budget])
    except Exception as e:  # noqa: BLE001 -- the student's compile settings decide what fit does
        text = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        hint = (_("Labels are integers 0-9: compile with loss='sparse_categorical_crossentropy'.")
                if "shape" in text.lower() or "categorical" in text.lower()
                else _("Train it yourself to see the error."))
        raise Fail(_("training your model failed: {error}").format(error=f"{type(e).__name__}: {text}"),
                   hint) from None
    if budget.exceeded:
        raise Fail(_("training took longer than the {budget:g} s budget for {epochs} epochs").format(
            budget=budget_s, epochs=EPOCHS), _("Use fewer or smaller layers; the digits are only 8x8."))
    # The model called on the test set in batches of 256, as predict would, without tracing a predict
    # function for one use (the same probabilities)
    probs = np.concatenate([keras.ops.convert_to_numpy(model(x_test[i:i + 256], training=False))
                            for i in range(0, len(x_test), 256)])
    if not np.all(np.isfinite(probs)):
        raise Fail(_("your model's predictions became NaN during training"),
                   _("Lower the learning rate; check the loss matches the output layer."))
    return float(np.mean(np.argmax(probs, axis=-1) == y_test))


def score_in_child(model, seed: int) -> float:
    """A model the judge could not rebuild, trained in the child as ``train_and_score`` trains one and scored
    on noisy copies of the test images (``grader.judge.training``)."""
    from datasets.digits import load_digits_split
    (x_train, y_train), (x_test, y_test) = load_digits_split()
    acc, _run = training.accuracy_in_child(model, x_train, y_train, x_test, y_test, seed, epochs=EPOCHS,
                                           batch_size=BATCH_SIZE, budget_s=TRAIN_BUDGET_S,
                                           steps_per_execution=STEPS_PER_EXECUTION, num_classes=10)
    return acc


@EXERCISE.check(points=3, timeout=60,
                hint=lambda: _("Train it yourself: {epochs} epochs, batch {batch_size}, Adam(1e-3) and a couple of "
                               "small conv layers reach about 0.97.").format(epochs=EPOCHS, batch_size=BATCH_SIZE),
                               uses=("build_digits_model",))
def digits_model_accuracy(t):
    model, what = _digits_model(t)
    n = int(model.count_params())
    expect.that(n <= MAX_PARAMS, _("{what} has {n:,} parameters, more than the budget of {max_params:,}: "
                                   "not trained").format(what=what, n=n, max_params=MAX_PARAMS),
                _("Shrink the model first (see digits_model_rules)."))
    expect.that(getattr(model, "compiled", False),
                _("{what} is not compiled, so it cannot be trained").format(what=what),
                _("Call model.compile(...) before returning the model."))
    acc = train_and_score(model, t.seed) if not graph.is_opaque(model) else score_in_child(model, t.seed)
    expect.that(acc >= THRESHOLD, _("test accuracy {acc:.3f} after {epochs} epochs is below the threshold "
                                    "{threshold}").format(acc=acc, epochs=EPOCHS, threshold=THRESHOLD),
                _("Check the learning rate and that the last layer is softmax with sparse_categorical_crossentropy "
                  "(or from_logits=True without softmax)."))
