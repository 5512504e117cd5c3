"""Checks of ex08: LSTM gates in numpy, a Keras LSTM cell, and a trained model.

The numpy functions are compared with a real ``keras.layers.LSTM`` given the
same weights; the known wrong answers that name a mistake are computed in
numpy by the instructor's ``grader/answers/ex08_lstm.py`` (the student
release ships their values on the public cases).  The student's
``LSTMCell`` cannot be rebuilt in the judge, so a recipe
(``grader.recipes.ex08_lstm``) runs it inside ``keras.layers.RNN`` in the
child with weights and inputs the judge chose, and returns plain data.
``build_sequence_model`` is trained in the child on the adding problem; the
judge scores its predictions against labels the child never sees.
"""
from __future__ import annotations

import itertools

import numpy as np

from grader.judge import N_, Exercise, Fail, _, answers, expect, training
from grader.judge.recurrent import Recurrent, sequence_mistakes

EXERCISE = Exercise("ex08", N_("LSTM gates"), "ex08_lstm", timeout=20, memory_mb=2048,
                    recipes="grader.recipes.ex08_lstm",
                    summary=N_("forget/input/candidate/output gates in numpy, a Keras LSTMCell, a trained model"))

GATE_HINT = N_("z = x @ kernel + h_prev @ recurrent_kernel + bias, split in 4 blocks of U columns in the order "
               "i, f, c, o; c_t = sigmoid(f) * c_prev + sigmoid(i) * tanh(c~); h_t = sigmoid(o) * tanh(c_t).")
FORWARD_HINT = N_("Start from zero h and c (B, U); apply the cell to x[:, t] for t = 0 ... T-1; return the last h, "
                  "or every h stacked on axis 1 when return_sequences=True (never c).")
CELL_HINT = N_("In __init__: self.units = units; self.state_size = [units, units]. In build(input_shape): "
               "add_weight(name='kernel', shape=(D, 4U)), 'recurrent_kernel' (U, 4U), 'bias' (4U,). "
               "In call(inputs, states): h, c = states; ...; return h_t, [h_t, c_t].")


def _gate_and_cell_hint() -> str:
    return _(GATE_HINT) + " " + _(CELL_HINT)

# The training task: the adding problem (datasets.sequences.adding_problem).
TASK_LENGTH = 30
N_TRAIN, N_TEST = 5000, 1000
TRAIN_SEED, TEST_SEED = 8, 9
EPOCHS, BATCH_SIZE = 10, 64
THRESHOLD_MSE = 0.02
TRAIN_TIMEOUT = 150.0
N_TRAIN_SCORED = 1000   # the training sequences the judge predicts for the training MSE of a diagnosis
# Calibrated on the panel (tests/panels/ex08, make test-slow): the rates at which every design of the panel
# reaches the threshold on every seed, and the docstring's rules: Adam-like at 3e-3 or more (SGD, RMSprop at
# 1e-3 and 3e-3, and Adam at 1e-3 learn nothing in 10 epochs), and no BatchNormalization (between the cell
# and Dense(1) it reached the threshold on some seeds and not on others).
RATES = training.Rates(works={"Adam": (3e-3, 1e-2)}, least={"Adam": 3e-3}, excluded=("SGD", "RMSprop"))
RATE_RULE = N_("an optimizer or learning rate outside the rule (Adam at 3e-3 or more)")
BN_RULE = N_("a BatchNormalization layer, which the rule excludes")

ORDER = "ifco"  # Keras: input, forget, candidate (cell), output


# The LSTM in numpy, with Keras's masking rule and the knobs that reproduce each mistake, is the instructor's
# code (grader/answers/ex08_lstm.py: numpy_lstm); the student release holds its values on the public cases
# (grader.judge.answers).  Every value a case needs is asked for before the answer is compared, whatever it is.
ANSWERS = answers.Table("ex08_lstm")


def _numpy_lstm(part, **knobs):
    """One part of the numpy LSTM's result, in float32 (``lstm_part``: "outputs" (B, T, U), "last" (their last
    step), "h" or "c" (the final states)), on a case's numbers (``_knobs``) with a mistake's knobs."""
    return ANSWERS("lstm_part", part, **knobs)


def _wrong_orders():
    return ["".join(p) for p in itertools.permutations(ORDER) if "".join(p) != ORDER]


def _order_label(order):
    return _("gates in the wrong order: you read the 4 blocks as {order}; "
             "Keras's order is i, f, c, o (input, forget, candidate, output)").format(order=", ".join(order))


def _variants():
    """label -> the numpy LSTM's knobs of each classic mistake (grader/answers/ex08_lstm.py)."""
    v = {_order_label(o): {"order": o} for o in _wrong_orders()}
    v[_("sigmoid and tanh swapped: gates i, f, o use sigmoid; the candidate and tanh(c_t) use tanh")] = \
        {"swap": "all"}
    v[_("sigmoid and tanh swapped for the candidate c~: it uses tanh, the gates sigmoid")] = {"swap": "candidate"}
    v[_("forgot the previous cell state: c_t = f * c_prev + i * c~, you dropped f * c_prev")] = \
        {"forget_prev": True}
    v[_("forgot the tanh on the cell state: h_t = o * tanh(c_t), not o * c_t")] = {"tanh_c": False}
    return v


def _mistakes(part, **case):
    """label -> the wrong answer (``part`` of the numpy LSTM's result), for every classic mistake."""
    return {label: _numpy_lstm(part, **case, **knobs) for label, knobs in _variants().items()}


def _knobs(case, **more):
    """The numpy LSTM's arguments for a case (from zero states unless ``more`` gives h0, c0, mask)."""
    return dict(x=case.x, kernel=case.kernel, recurrent_kernel=case.recurrent_kernel, bias=case.bias, **more)


def _forward_mistakes(case, return_sequences):
    knobs = _knobs(case)
    m = _mistakes("outputs" if return_sequences else "h", **knobs)
    seq = _numpy_lstm("outputs", **knobs)
    m[_("returned the cell state c instead of the hidden state h")] = \
        _numpy_lstm("outputs", **knobs, return_c=True) if return_sequences else _numpy_lstm("c", **knobs)
    m.update(sequence_mistakes(seq, return_sequences))
    if not return_sequences:
        m[_("returned (h, c) instead of h alone")] = np.stack([_numpy_lstm("h", **knobs), _numpy_lstm("c", **knobs)])
    return m


# ------------------------------------------------------------------ numpy cell and forward
class _LSTM(Recurrent):
    def check_cell(self, t, shapes):
        """One step returns the pair (h_t, c_t): c_t is compared first, its mistakes named."""
        for batch, dim, units in shapes:
            case = self.case(t.rng, batch, 1, dim, units)
            _out, h_want, c_want = self.keras(case, initial_state=case.states, return_state=True)
            x_t, (h0, c0) = case.x[:, 0], case.states
            knobs = _knobs(case, h0=h0, c0=c0)
            c_mistakes, h_mistakes = _mistakes("c", **knobs), _mistakes("h", **knobs)
            what = f"lstm_cell_forward(x_t {x_t.shape}, h_prev {h0.shape}, c_prev {c0.shape}, ...)"
            got = t.call("lstm_cell_forward", x_t, h0, c0, *case.weights)
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                length = _(" of length {n}").format(n=len(got)) if isinstance(got, (tuple, list)) else ""
                raise Fail(_("{what} returned {type}{length}, expected a pair (h_t, c_t)").format(
                    what=what, type=type(got).__name__, length=length), hint=_("return h_t, c_t"))
            expect.close(got[1], c_want, what + ", c_t", mistakes=c_mistakes)
            expect.close(got[0], h_want, what + ", h_t", mistakes=h_mistakes)


LSTM = _LSTM("LSTM", cell_fn="lstm_cell_forward", forward_fn="lstm_forward", forward_mistakes=_forward_mistakes,
             blocks=4, states=2, max_steps=19, max_units=16)


# The standard checks (grader.judge.recurrent): one step, then the whole sequence, against Keras.
LSTM.declare_cell_check(EXERCISE, "cell_step_matches_keras", points=2, hint=GATE_HINT)
LSTM.declare_forward_check(EXERCISE, "forward_last_state", points=1, hint=FORWARD_HINT, return_sequences=False)
LSTM.declare_forward_check(EXERCISE, "forward_sequences", points=1, hint=FORWARD_HINT, return_sequences=True)


# ------------------------------------------------------------------ the Keras cell
def _probe(t, units, dim, **kwargs):
    info = t.recipe("lstm_cell_run", units, dim, fn="LSTMCell", **kwargs)
    weights = info.get("weights") if isinstance(info, dict) else None
    if not isinstance(weights, list) or not all(isinstance(w, (list, tuple)) and len(w) == 2 and
                                                isinstance(w[1], (list, tuple)) for w in weights):
        raise Fail(_("the grader could not read what LSTMCell did"))  # only a forged reply looks like this
    return info


def _check_structure(t, units, dim):
    info = _probe(t, units, dim)
    what = _("LSTMCell({units}) on {dim} input features").format(units=units, dim=dim)
    state = info.get("state_size")
    if state != [units, units]:
        label = ""
        if state == units or state == [units]:
            label = " -- " + _("only one state: an LSTM carries two, h and c")
        elif state == [units, 4 * units] or state == [4 * units, units] or state == 4 * units:
            label = " -- " + _("the states are U wide; 4U is the width of the stacked gates")
        raise Fail(_("{what}: state_size is {state}, expected [{units}, {units}] (h and c)").format(
            what=what, state=repr(state), units=units) + label, _(CELL_HINT))
    want = {"kernel": (dim, 4 * units), "recurrent_kernel": (units, 4 * units), "bias": (4 * units,)}
    got = {name: tuple(shape) for name, shape in info.get("weights", [])}
    listing = ", ".join(f"{n} {s}" for n, s in info.get("weights", [])) or _("none")
    for name, shape in want.items():
        if name not in got:
            raise Fail(_("{what}: no weight named {name} (its weights: {listing}); expected kernel {kernel}, "
                         "recurrent_kernel {recurrent_kernel}, bias {bias}").format(
                what=what, name=repr(name), listing=listing, kernel=want["kernel"],
                recurrent_kernel=want["recurrent_kernel"], bias=want["bias"]), _(CELL_HINT))
        if got[name] != shape:
            extra = " -- " + _("one block per gate: 4U columns") if shape[-1] == 4 * units and \
                got[name][-1:] == (units,) else ""
            raise Fail(_("{what}: {name} has shape {got}, expected {want}").format(
                what=what, name=name, got=got[name], want=shape) + extra, _(CELL_HINT))
    params = 4 * (units * (units + dim) + units)
    if info.get("params") != params:
        raise Fail(_("{what} has {got} parameters, expected 4 * (U * (U + D) + U) = {want} "
                     "(its weights: {listing})").format(what=what, got=info.get("params"), want=params,
                                                        listing=listing)
                   + (" -- " + _("a second bias vector: Keras's LSTM has one bias of 4U")
                      if info.get("params") == params + 4 * units else ""), _(CELL_HINT))


def _check_keras_cell(t, configs):
    for batch, steps, dim, units, return_sequences, masked in configs:
        case = LSTM.case(t.rng, batch, steps, dim, units)
        weights = {"kernel": case.kernel, "recurrent_kernel": case.recurrent_kernel, "bias": case.bias}
        mask = None
        if masked:
            lengths = t.rng.integers(1, steps + 1, size=batch)
            mask = np.arange(steps)[None, :] < lengths[:, None]  # right padding, every row keeps its first step
        want = LSTM.keras(case, return_sequences=return_sequences, mask=mask, return_state=True)[0]
        part = "outputs" if return_sequences else "last"
        knobs = _knobs(case, mask=mask)
        m = _mistakes(part, **knobs)
        m[_("the cell's output is c instead of h")] = _numpy_lstm(part, **knobs, return_c=True)
        info = _probe(t, units, dim, weights=weights, x=case.x, mask=mask, return_sequences=return_sequences)
        what = (_("keras.layers.RNN(LSTMCell({units}), return_sequences={return_sequences}) on x {shape}").format(
                    units=units, return_sequences=return_sequences, shape=case.x.shape)
                + (_(" with a mask") if masked else ""))
        if info.get("output") is None:
            listing = ", ".join(f"{n} {tuple(s)}" for n, s in info.get("weights", [])) or _("none")
            raise Fail(_("{what}: the grader cannot load Keras LSTM weights into your cell: its weights are "
                         "{listing}; expected kernel {kernel}, recurrent_kernel {recurrent_kernel}, bias {bias}")
                       .format(what=what, listing=listing, kernel=case.kernel.shape,
                               recurrent_kernel=case.recurrent_kernel.shape, bias=case.bias.shape),
                       _(CELL_HINT))
        expect.close(info["output"], want, what, mistakes=m)


@EXERCISE.check(points=1, hint=CELL_HINT, uses=("LSTMCell",))
def keras_cell_structure(t):
    for units, dim in [(4, 3), (7, 1), (1, 5)]:
        _check_structure(t, units, dim)


@EXERCISE.check(points=2, hint=_gate_and_cell_hint, uses=("LSTMCell",))
def keras_cell_matches_lstm(t):
    _check_keras_cell(t, [(2, 5, 3, 4, False, False), (3, 8, 2, 6, True, False),
                          (4, 7, 5, 3, True, True), (1, 1, 1, 1, False, False), (3, 10, 4, 8, False, True)])


# ------------------------------------------------------------------ training
def sequence_task():
    """The bundled task: (x_train, y_train, x_test, y_test) of the adding problem."""
    from datasets.sequences import adding_problem
    x_train, y_train = adding_problem(N_TRAIN, TASK_LENGTH, seed=TRAIN_SEED)
    x_test, y_test = adding_problem(N_TEST, TASK_LENGTH, seed=TEST_SEED)
    return x_train, y_train, x_test, y_test


def judge_predictions(info, x_test) -> np.ndarray:
    """The judge's own predictions on ``x_test``, from the trained model the child sent as built-in
    layers (each LSTMCell as ``keras.layers.LSTMCell`` with its trained weights), computed here on the
    CPU.  Predictions computed in the child are never used: from x_test alone a child could compute
    the adding problem's answers without training anything."""
    import copy

    from grader.judge import StudentModel, rebuild
    sent = info.get("model")
    if isinstance(sent, StudentModel):  # Keras pops keys from a config it deserializes: rebuild from a copy
        sent = StudentModel(copy.deepcopy(sent.config), sent.weights, sent.facts)
    twin = rebuild(sent, "build_sequence_model")
    return np.asarray(twin.predict(np.asarray(x_test, dtype=np.float32), batch_size=500, verbose=0),
                      dtype=np.float64)


def prediction_mse(info, y_test) -> float:
    """The mean squared error of the predictions the child sent back (fails on unusable replies)."""
    what = "build_sequence_model"
    if not isinstance(info, dict) or info.get("kind") != "Model":
        kind = info.get("kind") if isinstance(info, dict) else "?"
        raise Fail(_("{what}(...) returned a {kind}, expected a keras.Model").format(what=what, kind=kind),
                   hint=_("Return the model object (keras.Sequential or keras.Model)."))
    if not info.get("uses_cell"):
        raise Fail(_("{what}: the model does not use your LSTMCell; it needs a keras.layers.RNN(LSTMCell(units)) "
                     "layer (keras.layers.LSTM does not count)").format(what=what),
                   hint=_("keras.layers.RNN(LSTMCell(32)) on the input, then Dense(1)."))
    if not info.get("compiled"):
        raise Fail(_("{what}: the model is not compiled").format(what=what),
                   hint=_("Call model.compile(optimizer=..., loss='mse') before returning it."))
    pred = info.get("predictions")
    if not isinstance(pred, np.ndarray) or pred.size != y_test.size:
        shape = getattr(pred, "shape", None)
        raise Fail(_("{what}: the model's predictions on {n} test sequences have shape {shape}, "
                     "expected ({n}, 1): one number per sequence").format(what=what, n=len(y_test), shape=shape),
                   hint=_("End the model with Dense(1) and no return_sequences on the last recurrent layer."))
    pred = pred.reshape(-1).astype(np.float64)
    if not np.all(np.isfinite(pred)):
        raise Fail(_("{what}: the trained model predicts NaN or inf").format(what=what),
                   hint=_("Lower the learning rate."))
    return float(np.mean((pred - y_test.reshape(-1)) ** 2))


def start_training(t):
    """The child trains the student's model (in a child of its own while the other checks run)."""
    x_train, y_train, x_test, _y_test = sequence_task()
    return t.recipe_later("train_sequence_model", x_train, y_train, x_test, EPOCHS, BATCH_SIZE,
                          fn="build_sequence_model")


def _optimizer(info) -> training.Optimizer:
    lr = info.get("learning_rate")
    return training.Optimizer(info.get("optimizer"), None if lr is None else float(lr),
                              float(info.get("momentum") or 0.0))


def _has_batchnorm(config) -> bool:
    if isinstance(config, dict):
        return config.get("class_name") == "BatchNormalization" or any(_has_batchnorm(v) for v in config.values())
    if isinstance(config, list):
        return any(_has_batchnorm(v) for v in config)
    return False


def check_rule(info) -> None:
    """The docstring's rules on the optimizer and on BatchNormalization, before anything is scored (the child
    trained the model anyway: the request left before the judge could read it)."""
    if not (isinstance(info, dict) and info.get("kind") == "Model" and info.get("uses_cell") and
            info.get("compiled")):
        return
    opt = _optimizer(info)
    if RATES.rule_broken(opt):
        expect.fail(_("build_sequence_model: {optimizer} -- not scored, by the rule of the docstring: Adam (or "
                      "AdamW, Nadam, Adamax) at a learning rate of 3e-3 or more; with SGD or RMSprop, or below "
                      "3e-3, no design of the calibration panel learns the adding problem in {epochs} "
                      "epochs").format(optimizer=opt.text(), epochs=EPOCHS),
                    _("compile(optimizer=keras.optimizers.Adam(1e-2), loss='mse')"), RATE_RULE)
    sent = info.get("model")
    if _has_batchnorm(getattr(sent, "config", None)):
        expect.fail(_("build_sequence_model: the model has a BatchNormalization layer -- not scored, by the rule of "
                      "the docstring: with it, the calibration panel's model reached the threshold on some seeds "
                      "and not on others"),
                    _("RNN(LSTMCell(units)) then Dense(1), with Dropout or a hidden Dense layer between if you "
                      "like."), BN_RULE)


def sequence_hint(kind: str, info) -> str:
    """The hint that follows from the diagnosis, pointing only at settings outside the ranges it suggests."""
    opt = _optimizer(info)
    rate = RATES.hint(opt)
    if rate:
        return rate
    if kind == training.OVERFITS:
        return _("Fewer units, or Dropout before Dense(1): the model learns the training sequences by heart.")
    return _("Train it yourself on datasets.sequences.adding_problem with the grader's budget and watch the loss: "
             "it falls below 0.05 within a few epochs once the cell keeps the marked numbers.")


def training_mse(info) -> float | None:
    """The judge's own MSE of the trained model on the first training sequences (None without a model)."""
    if not isinstance(info, dict) or info.get("model") is None:
        return None
    x_train, y_train, _x_test, _y_test = sequence_task()
    pred = judge_predictions(info, x_train[:N_TRAIN_SCORED]).reshape(-1)
    return float(np.mean((pred - y_train[:N_TRAIN_SCORED].reshape(-1)) ** 2)) if np.all(np.isfinite(pred)) else None


@EXERCISE.check(points=3, timeout=TRAIN_TIMEOUT,
                hint=N_("Adam with learning rate 1e-2 and 32 units reach a test MSE of about 0.001 in 10 epochs "
                        "(Adam from 3e-3 to 1e-2 works)."),
                        uses=("build_sequence_model",), early=start_training)
def sequence_model_trains(t):
    from datasets.sequences import ADDING_BASELINE_MSE
    info = t.early()
    _x_train, _y_train, x_test, y_test = sequence_task()
    if isinstance(info, dict) and info.get("uses_cell") and info.get("compiled"):
        check_rule(info)
        info = {**info, "predictions": judge_predictions(info, x_test)}
    mse = prediction_mse(info, y_test)
    if mse > THRESHOLD_MSE:
        losses = tuple(v for v in info.get("losses") or [] if v is not None)
        seen = training.Seen(mse, training_mse(info), EPOCHS, losses=losses, lower_is_better=True)
        kind = training.diagnose(seen, THRESHOLD_MSE, ADDING_BASELINE_MSE)
        words = training.Words(_("test MSE"), _("training MSE"), _("the MSE of always predicting 1.0"))
        message = (_("after {epochs} epochs (batch size {batch_size}) on the adding problem (length {length}) "
                     "the test MSE is {mse:.4f}, above the threshold {threshold}").format(
                        epochs=EPOCHS, batch_size=BATCH_SIZE, length=TASK_LENGTH, mse=mse, threshold=THRESHOLD_MSE)
                   + " -- " + training.verdict_text(kind, seen, words, ADDING_BASELINE_MSE) + ". "
                   + training.saw(seen, words, ADDING_BASELINE_MSE, params=info.get("params"),
                                  optimizer=_optimizer(info), rates=RATES))
        expect.fail(message, sequence_hint(kind, info), kind)


# ------------------------------------------------------------------ hidden
LSTM.declare_cell_check(EXERCISE, "hidden_cell_step", points=1, hint=GATE_HINT, hidden=True)
LSTM.declare_forward_check(EXERCISE, "hidden_forward", points=1, hint=FORWARD_HINT, hidden=True)


@EXERCISE.check(points=1, hint=_gate_and_cell_hint, hidden=True, uses=("LSTMCell",))
def hidden_keras_cell(t):
    configs = [(*s, bool(t.rng.random() < 0.5), bool(t.rng.random() < 0.5)) for s in LSTM.random_shapes(t.rng, 4)]
    _check_structure(t, configs[0][3], configs[0][2])
    _check_keras_cell(t, configs)
