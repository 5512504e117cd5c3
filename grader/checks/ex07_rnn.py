"""Checks of ex07: a numpy recurrent cell against keras.layers.SimpleRNN.

The judge builds a real SimpleRNN, loads the weights it sends to the student,
and compares outputs to 1e-5.  Known wrong answers are recomputed here in
numpy so that a failure names the mistake.
"""
from __future__ import annotations

import numpy as np

from grader.judge import expect
from grader.core.i18n import N_, _
from grader.core.spec import Exercise

EXERCISE = Exercise("ex07", N_("A recurrent cell from scratch"), "ex07_rnn", timeout=20, memory_mb=1024,
                    summary=N_("h_t = tanh(x_t W + h_{t-1} U + b) in numpy, equal to Keras SimpleRNN"))

CELL_HINT = N_("h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias); x_t is (B, D), h_prev (B, U).")
FORWARD_HINT = N_("Loop over the time axis (axis 1 of x), feed each step's h into the next; return the last "
                  "h (B, U), or every h stacked on axis 1 (B, T, U) when return_sequences=True.")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _case(rng, batch, steps, dim, units):
    """Inputs in [-1, 1] and moderate weights: float32 Keras stays well inside 1e-5."""
    f = np.float32
    return (rng.uniform(-1, 1, (batch, steps, dim)).astype(f), rng.uniform(-1, 1, (batch, units)).astype(f),
            rng.uniform(-0.6, 0.6, (dim, units)).astype(f), rng.uniform(-0.6, 0.6, (units, units)).astype(f),
            rng.uniform(-0.5, 0.5, (units,)).astype(f))


def keras_simple_rnn(x, h0, kernel, recurrent_kernel, bias, return_sequences):
    """The ground truth: keras.layers.SimpleRNN with these weights, started from h0."""
    import keras
    layer = keras.layers.SimpleRNN(kernel.shape[1], return_sequences=return_sequences)
    layer.build(x.shape)
    layer.set_weights([kernel, recurrent_kernel, bias])
    return np.asarray(keras.ops.convert_to_numpy(layer(x, initial_state=[h0])), dtype=np.float64)


def numpy_rnn(x, h0, kernel, recurrent_kernel, bias, *, act=np.tanh, transpose=False, use_bias=True,
              use_h=True, carry=True):
    """Every step's state, with knobs that reproduce the classic mistakes."""
    x, h0 = np.asarray(x, np.float64), np.asarray(h0, np.float64)
    u = recurrent_kernel.T if transpose else recurrent_kernel
    h, out = h0, []
    for t in range(x.shape[1]):
        prev = h if carry else h0
        z = x[:, t] @ kernel + (prev @ u if use_h else 0.0) + (bias if use_bias else 0.0)
        h = act(z)
        out.append(h)
    return np.stack(out, axis=1)


def _cell_mistakes(args):
    return {
        _("multiplied h_prev by recurrent_kernel.T: the layout is h_prev @ recurrent_kernel, (U, U) rows = "
          "h_prev units"): numpy_rnn(*args, transpose=True)[:, 0],
        _("forgot the bias"): numpy_rnn(*args, use_bias=False)[:, 0],
        _("forgot the recurrent term h_prev @ recurrent_kernel"): numpy_rnn(*args, use_h=False)[:, 0],
        _("used sigmoid instead of tanh"): numpy_rnn(*args, act=_sigmoid)[:, 0],
        _("used ReLU instead of tanh (SimpleRNN's activation is tanh)"):
            numpy_rnn(*args, act=lambda z: np.maximum(z, 0))[:, 0],
        _("returned the pre-activation x W + h U + b: apply tanh"): numpy_rnn(*args, act=lambda z: z)[:, 0],
    }


def _check_cell(t, shapes):
    for batch, dim, units in shapes:
        x, h0, w, u, b = _case(t.rng, batch, 1, dim, units)
        want = keras_simple_rnn(x, h0, w, u, b, False)
        what = f"rnn_cell_forward(x_t {x[:, 0].shape}, h_prev {h0.shape}, ...)"
        got = t.call("rnn_cell_forward", x[:, 0], h0, w, u, b)
        expect.close(got, want, what, mistakes=_cell_mistakes((x, h0, w, u, b)))


def _forward_mistakes(args, return_sequences):
    seq = numpy_rnn(*args)
    pick = (lambda s: s) if return_sequences else (lambda s: s[:, -1])
    m = {
        _("multiplied h_prev by recurrent_kernel.T (the layout is h_prev @ recurrent_kernel)"):
            pick(numpy_rnn(*args, transpose=True)),
        _("forgot the bias"): pick(numpy_rnn(*args, use_bias=False)),
        _("used sigmoid instead of tanh"): pick(numpy_rnn(*args, act=_sigmoid)),
        _("the state is not carried: every step starts again from h0 instead of the previous h"):
            pick(numpy_rnn(*args, carry=False)),
        _("ignored h0: started from zeros instead of the given initial state"):
            pick(numpy_rnn(args[0], np.zeros_like(args[1]), *args[2:])),
    }
    if return_sequences:
        m[_("returned only the last state although return_sequences=True")] = seq[:, -1]
        m[_("put h0 in front of the sequence: the output has one entry per input step")] = np.concatenate(
            [np.asarray(args[1], np.float64)[:, None], seq], axis=1)
        m[_("left out the last step")] = np.concatenate([np.asarray(args[1], np.float64)[:, None], seq[:, :-1]],
                                                        axis=1)
    else:
        m[_("returned the whole sequence although return_sequences=False")] = seq
        m[_("returned the first state h_1 instead of the last h_T")] = seq[:, 0]
        if seq.shape[1] > 1:
            m[_("returned the state before the last step (off by one)")] = seq[:, -2]
    return m


def _check_forward(t, shapes, return_sequences):
    for batch, steps, dim, units in shapes:
        args = _case(t.rng, batch, steps, dim, units)
        want = keras_simple_rnn(*args, return_sequences)
        what = f"rnn_forward(x {args[0].shape}, h0 {args[1].shape}, ..., return_sequences={return_sequences})"
        got = t.call("rnn_forward", *args, return_sequences=return_sequences)
        expect.close(got, want, what, mistakes=_forward_mistakes(args, return_sequences))


@EXERCISE.check(points=2, hint=CELL_HINT, uses=("rnn_cell_forward",))
def cell_matches_simple_rnn(t):
    _check_cell(t, [(1, 1, 1), (2, 3, 4), (5, 8, 3), (3, 2, 16)])


@EXERCISE.check(points=2, hint=FORWARD_HINT, uses=("rnn_forward",))
def forward_last_state(t):
    _check_forward(t, [(1, 1, 1, 1), (2, 5, 3, 4), (4, 12, 6, 8), (3, 20, 2, 16)], return_sequences=False)


@EXERCISE.check(points=2, hint=FORWARD_HINT, uses=("rnn_forward",))
def forward_sequences(t):
    _check_forward(t, [(1, 1, 1, 1), (2, 5, 3, 4), (4, 12, 6, 8), (3, 20, 2, 16)], return_sequences=True)


# ------------------------------------------------------------------ hidden
def _random_shapes(rng, n):
    return [(int(rng.integers(1, 7)), int(rng.integers(1, 25)), int(rng.integers(1, 9)), int(rng.integers(1, 20)))
            for _ in range(n)]


@EXERCISE.check(points=1, hint=CELL_HINT, hidden=True, uses=("rnn_cell_forward",))
def hidden_cell(t):
    _check_cell(t, [(b, d, u) for b, _, d, u in _random_shapes(t.rng, 4)])


@EXERCISE.check(points=2, hint=FORWARD_HINT, hidden=True, uses=("rnn_forward",))
def hidden_forward(t):
    for shape in _random_shapes(t.rng, 6):
        _check_forward(t, [shape], return_sequences=bool(t.rng.random() < 0.5))
