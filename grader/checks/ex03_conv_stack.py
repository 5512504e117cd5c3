"""Checks of ex03: the Conv2D stack layer by layer; the digits CNN's rules and its trained accuracy."""
from __future__ import annotations

import keras

from grader.judge import N_, Exercise, Fail, _, answers, expect, graph, memo, model_key, structure, training

EXERCISE = Exercise("ex03", N_("Conv2D stack and a digits CNN"), "ex03_conv_stack", timeout=60, memory_mb=2048,
                    summary=N_("a Conv2D/MaxPool/Dense stack layer by layer; a <=20k-parameter CNN trained to "
                               ">=0.93"))

EPOCHS, BATCH_SIZE, THRESHOLD, MAX_PARAMS, TRAIN_BUDGET_S = 20, 32, 0.93, 20_000, 120.0
STEPS_PER_EXECUTION = 8
CHANCE = 0.1
# Calibrated on the panel (tests/panels/ex03, make test-slow): the rates at which every design of the panel
# clears the threshold on every seed, and the docstring's rule: SGD is not trained (plain or with momentum,
# at 0.01 to 0.1, the panel's models with global pooling need 30 to 40 epochs here).
RATES = training.Rates(works={"Adam": (1e-3, 1e-2), "RMSprop": (1e-3, 3e-3)}, excluded=("SGD",))
RATE_RULE = N_("SGD, which the rule of the docstring excludes")
# And global pooling without BatchNormalization after every convolution: the panel's model so reached 0.933 to
# 0.961 with Adam (a margin of 0.003 on its worst seed) and 0.15 to 0.87 with SGD; with BatchNormalization,
# 0.978 or more.
POOLING_RULE = N_("global pooling without BatchNormalization, which the rule of the docstring excludes")
STACK_HINT = N_("Conv2D 32 same relu, MaxPool 2, Conv2D 64 same relu, MaxPool 2, Conv2D 64 valid relu, Flatten, "
                "Dense 64 relu, Dense num_classes softmax -- in that order, nothing missing or extra.")
NO_INPUT_HINT = N_("Start the model with keras.Input(shape=input_shape).")


# The syllabus's network -- the answer to build_conv_stack -- is the instructor's code
# (grader/answers/ex03_conv_stack.py): the checks get its Keras config on the case's input shape
# (grader.judge.answers), which the student release ships for the public cases instead of the code.
ANSWERS = answers.Table("ex03_conv_stack")


def reference_stack(input_shape, num_classes) -> keras.Model:
    """The syllabus's network on keras.Input(input_shape), as a keras.Model without weights."""
    config = ANSWERS("stack_config", tuple(int(d) for d in input_shape), int(num_classes))
    return graph.weightless_model(config)


def _check_stack(t, input_shape, num_classes):
    what = f"build_conv_stack({input_shape}, {num_classes})"
    with graph.no_weights():  # its layers and counts are read, never run: the rebuild is the weightless dry run
        model = t.call_model("build_conv_stack", input_shape, num_classes, trace_shape=input_shape)
    expect.that(bool(model.inputs), _("{what}: the model has no input shape").format(what=what), _(NO_INPUT_HINT))
    got_in = tuple(model.inputs[0].shape[1:])
    expect.equal(got_in, tuple(input_shape), _("{what}: input shape").format(what=what),
                 hint=_("Use the input_shape argument, not a hard-coded shape."))
    want = reference_stack(input_shape, num_classes)
    if not graph.judged_by_behaviour(model, want, input_shape, t.rng, what):
        structure.compare_layers(structure.layer_rows(model), structure.layer_rows(want), what)
    expect.equal(int(model.count_params()), int(want.count_params()), f"{what}.count_params()")


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


def _trained_from(model, seed, budget_s=None) -> tuple:
    """What ``train_and_score`` answers from: the model, the seed, the budget and the training settings."""
    return (model_key(model), int(seed), float(TRAIN_BUDGET_S if budget_s is None else budget_s), EPOCHS,
            BATCH_SIZE, STEPS_PER_EXECUTION)


@memo(maxsize=64, key=_trained_from)
def train_and_score(model: keras.Model, seed: int, budget_s: float | None = None) -> training.Fitted:
    """Train a compiled model from its current weights as the grader does; its test accuracy and what the
    grader saw while it trained (``training.fit_and_watch``: the test accuracy after each epoch, fit's loss,
    the training images' accuracy at the end).

    The same model from the same weights with the same seed is trained once per process (``memo``): a
    re-grade after an edit elsewhere (``grade --watch``, a second ``check()``) does not train it again,
    and the model is then left untrained (callers use only what is returned)."""
    from datasets.digits import load_digits_split
    budget_s = TRAIN_BUDGET_S if budget_s is None else budget_s
    train, test = load_digits_split()
    # Eight batches per call of the compiled train step: the same updates in the same order (the ten-seed
    # calibration is the same to the last digit), with less of Keras's per-batch Python in between.
    try:
        fitted = training.fit_and_watch(model, train, test, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=seed,
                                        budget_s=budget_s, steps_per_execution=STEPS_PER_EXECUTION)
    except Exception as e:  # noqa: BLE001 -- the student's compile settings decide what fit does
        text = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        hint = (_("Labels are integers 0-9: compile with loss='sparse_categorical_crossentropy'.")
                if "shape" in text.lower() or "categorical" in text.lower()
                else _("Train it yourself to see the error."))
        raise Fail(_("training your model failed: {error}").format(error=f"{type(e).__name__}: {text}"),
                   hint) from None
    if fitted.exceeded:
        raise Fail(_("training took longer than the {budget:g} s budget for {epochs} epochs").format(
            budget=budget_s, epochs=EPOCHS), _("Use fewer or smaller layers; the digits are only 8x8."))
    if not fitted.finite:
        raise Fail(_("your model's predictions became NaN during training"),
                   _("Lower the learning rate; check the loss matches the output layer."))
    return fitted


def output_mismatch(model) -> str | None:
    """A hint when the last layer and the loss disagree about probabilities (softmax with from_logits=True,
    or logits with a loss that expects probabilities); None when they agree."""
    rows = structure.layer_rows(model)
    softmax = bool(rows) and rows[-1].get("activation") == "softmax"
    from_logits = bool(getattr(model.loss, "from_logits", False))
    if softmax and from_logits:
        return _("Your last layer is softmax and the loss says from_logits=True: drop one of the two.")
    if not softmax and not from_logits:
        return _("Your last layer gives no probabilities (no softmax) and the loss expects them: end with "
                 "activation='softmax', or compile the loss with from_logits=True.")
    return None


def digits_hint(kind: str, model, opt: training.Optimizer) -> str:
    """The hint that follows from the diagnosis, pointing only at settings outside the ranges it suggests."""
    layers = training.leaf_layers(model)
    rate = RATES.hint(opt)
    if rate:
        return rate
    if kind == training.DID_NOT_LEARN:
        return output_mismatch(model) or _(
            "Train it yourself with the grader's budget (datasets.digits.load_digits_split(), {epochs} epochs, "
            "batch size {batch_size}) and watch the loss: it should fall from the first epoch.").format(
                epochs=EPOCHS, batch_size=BATCH_SIZE)
    if kind == training.OVERFITS:
        if not any(0.2 <= r <= 0.5 for r in training.dropout_rates(layers)):
            return _("Add Dropout (0.2 to 0.5) before the last Dense layer: the model learns the training "
                     "images by heart.")
        return _("Use fewer parameters (a MaxPooling2D before Flatten, fewer filters): the model learns the "
                 "training images by heart.")
    if any(training.is_a(x, training.GLOBAL_POOLING) for x in layers) and \
            not any(training.is_a(x, training.FLATTEN) for x in layers):
        return _("Global pooling of maps this small learns slowly: Flatten (after one MaxPooling2D) keeps where "
                 "each stroke is and learns the digits in the budget.")
    if not any(training.is_a(x, training.BATCH_NORMALIZATION) for x in layers):
        return _("BatchNormalization after each convolution makes the model learn faster.")
    return _("Train it yourself with the grader's budget and watch the test accuracy per epoch: a wider layer "
             "or a higher rate within the range that works learns faster.")


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
    opt = training.model_optimizer(model)
    if RATES.rule_broken(opt):
        expect.fail(_("{what}: {optimizer} -- not trained, by the rule of the docstring: compile with Adam (or "
                      "AdamW, Nadam, Adamax) or RMSprop; with SGD, plain or with momentum, the models of the "
                      "calibration panel need 30 to 40 epochs here, and the grader trains {epochs}").format(
                          what=what, optimizer=opt.text(), epochs=EPOCHS),
                    _("optimizer=keras.optimizers.Adam(1e-3) (or 'adam'), or RMSprop (1e-3 to 3e-3)."), RATE_RULE)
    layers = training.leaf_layers(model)
    if any(training.is_a(layer, training.GLOBAL_POOLING) for layer in layers) and \
            training.convolutions_without_batchnorm(layers):
        expect.fail(_("{what}: global pooling, and convolution {which} has no BatchNormalization after it -- not "
                      "trained, by the rule of the docstring: a model that pools globally has BatchNormalization "
                      "after every convolution; without it the calibration panel's model reached the threshold by "
                      "a hair or not at all in {epochs} epochs").format(
                          what=what, which=", ".join(map(str, training.convolutions_without_batchnorm(layers))),
                          epochs=EPOCHS),
                    _("Flatten instead of global pooling, or BatchNormalization after each Conv2D."), POOLING_RULE)
    if graph.is_opaque(model):
        acc = score_in_child(model, t.seed)
        expect.that(acc >= THRESHOLD, _("test accuracy {acc:.3f} after {epochs} epochs is below the threshold "
                                        "{threshold}").format(acc=acc, epochs=EPOCHS, threshold=THRESHOLD),
                    _("Check the learning rate and that the last layer is softmax with "
                      "sparse_categorical_crossentropy (or from_logits=True without softmax)."))
        return
    fitted = train_and_score(model, t.seed)
    if fitted.accuracy < THRESHOLD:
        seen = fitted.seen
        kind = training.diagnose(seen, THRESHOLD, CHANCE)
        words = training.Words(_("test accuracy"), _("training accuracy"), _("chance"))
        message = (_("test accuracy {acc:.3f} after {epochs} epochs is below the threshold {threshold}").format(
                       acc=fitted.accuracy, epochs=EPOCHS, threshold=THRESHOLD)
                   + " -- " + training.verdict_text(kind, seen, words, CHANCE) + ". "
                   + training.saw(seen, words, CHANCE, params=n, max_params=MAX_PARAMS, optimizer=opt,
                                  rates=RATES))
        expect.fail(message, digits_hint(kind, model, opt), kind)
