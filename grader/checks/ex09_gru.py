"""Checks of ex09: a numpy GRU against keras.layers.GRU (reset_after=True).

The judge builds a real GRU with the weights it sends to the student and
compares outputs to 1e-5.  The classic wrong GRUs -- Cho's update mixing,
reset_after=False semantics, gates read in the wrong order -- are recomputed
here in numpy so that a failure names the mistake.
"""
from __future__ import annotations

import numpy as np

from grader.judge import expect, truth
from grader.core.i18n import N_, _
from grader.core.spec import Exercise

EXERCISE = Exercise("ex09", N_("GRU gates"), "ex09_gru", timeout=20, memory_mb=1024,
                    summary=N_("update and reset gates in Keras's reset_after=True convention; 3(U(U+D)+2U)"))

CELL_HINT = N_("Keras (reset_after=True): z = sigmoid(x Wz + bz_in + h Uz + bz_rec), r likewise, "
               "h~ = tanh(x Wh + bh_in + r * (h Uh + bh_rec)), h_t = z * h_prev + (1 - z) * h~; "
               "columns [0:U] are z, [U:2U] r, [2U:3U] h; bias[0] is the input bias, bias[1] the recurrent one.")
FORWARD_HINT = N_("Start from zeros (B, U), apply the cell to x[:, t] for t = 0 ... T-1; stack on axis 1 for "
                  "sequences.")
COUNT_HINT = N_("Three blocks (z, r, h), each with a (D, U) input kernel, a (U, U) recurrent kernel and biases: "
                "one bias vector per block with reset_after=False, two (input and recurrent) with reset_after=True.")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _case(rng, batch, steps, dim, units):
    f = np.float32
    return (rng.uniform(-1, 1, (batch, steps, dim)).astype(f), rng.uniform(-1, 1, (batch, units)).astype(f),
            rng.uniform(-0.6, 0.6, (dim, 3 * units)).astype(f), rng.uniform(-0.6, 0.6, (units, 3 * units)).astype(f),
            rng.uniform(-0.5, 0.5, (2, 3 * units)).astype(f))


def keras_gru(x, h0, kernel, recurrent_kernel, bias, return_sequences):
    """The ground truth: keras.layers.GRU (reset_after=True, the default) with these weights."""
    import keras
    layer = keras.layers.GRU(recurrent_kernel.shape[0], return_sequences=return_sequences)
    layer.build(x.shape)
    layer.set_weights([kernel, recurrent_kernel, bias])
    out = layer(x) if h0 is None else layer(x, initial_state=[h0])
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)


def numpy_gru(x, h0, kernel, recurrent_kernel, bias, *, cho=False, reset_before=False, order="zrh",
              swap=False, recurrent_bias=True, bias_outside=False):
    """Every step's state, with knobs that reproduce the classic mistakes.

    order: how the 3U columns are read (the correct "zrh"; "rzh" reads r first).
    cho: h = (1 - z) * h_prev + z * h~ (Cho et al.'s mixing; Keras uses z * h_prev + (1 - z) * h~).
    reset_before: h~ = tanh(x Wh + bh_in + (r * h_prev) Uh + bh_rec) (reset_after=False semantics).
    """
    x = np.asarray(x, np.float64)
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units)) if h0 is None else np.asarray(h0, np.float64)
    gate, cand = (np.tanh, _sigmoid) if swap else (_sigmoid, np.tanh)

    def cols(a, name):
        k = order.index(name)
        return a[..., k * units:(k + 1) * units]

    b_in, b_rec = bias[0], (bias[1] if recurrent_bias else np.zeros_like(bias[1]))
    out = []
    for t in range(x.shape[1]):
        xp = x[:, t] @ kernel + b_in
        hp = h @ recurrent_kernel + b_rec
        z = gate(cols(xp, "z") + cols(hp, "z"))
        r = gate(cols(xp, "r") + cols(hp, "r"))
        if reset_before:
            hh = cand(cols(xp, "h") + (r * h) @ cols(recurrent_kernel, "h") + cols(b_rec, "h"))
        elif bias_outside:
            hh = cand(cols(xp, "h") + cols(b_rec, "h") + r * (h @ cols(recurrent_kernel, "h")))
        else:
            hh = cand(cols(xp, "h") + r * cols(hp, "h"))
        h = (1 - z) * h + z * hh if cho else z * h + (1 - z) * hh
        out.append(h)
    return np.stack(out, axis=1)


def _mistakes(args, pick):
    return {
        _("update gate mixed the Cho way, h = (1 - z) * h_prev + z * h~; Keras uses h = z * h_prev + (1 - z) * h~"):
            pick(numpy_gru(*args, cho=True)),
        _("reset gate applied before the recurrent matmul, (r * h_prev) @ U_h (reset_after=False semantics); "
          "Keras's default is reset_after=True: r * (h_prev @ U_h + b_rec)"): pick(numpy_gru(*args, reset_before=True)),
        _("the original paper's GRU (Cho et al. 2014): reset gate before the recurrent matmul, (r * h_prev) @ U_h, "
          "and Cho's mixing h = (1 - z) * h_prev + z * h~ -- Keras (reset_after=True) uses r * (h_prev @ U_h + "
          "b_rec) and h = z * h_prev + (1 - z) * h~"): pick(numpy_gru(*args, cho=True, reset_before=True)),
        _("gates in the wrong order: read r from the first U columns and z from the next; Keras's order is z, r, h"):
            pick(numpy_gru(*args, order="rzh")),
        _("sigmoid and tanh swapped: the gates z, r use sigmoid, the candidate h~ uses tanh"):
            pick(numpy_gru(*args, swap=True)),
        _("ignored the recurrent bias bias[1]"): pick(numpy_gru(*args, recurrent_bias=False)),
        _("added the recurrent bias of h~ outside r * (...): with reset_after=True it is inside, r * (h U_h + b_rec)"):
            pick(numpy_gru(*args, bias_outside=True)),
    }


def _check_cell(t, shapes):
    for batch, dim, units in shapes:
        x, h0, w, u, b = _case(t.rng, batch, 1, dim, units)
        want = keras_gru(x, h0, w, u, b, False)
        what = f"gru_cell_forward(x_t {x[:, 0].shape}, h_prev {h0.shape}, ...)"
        got = t.call("gru_cell_forward", x[:, 0], h0, w, u, b)
        expect.close(got, want, what, mistakes=_mistakes((x, h0, w, u, b), lambda s: s[:, 0]))


def _check_forward(t, shapes, return_sequences):
    for batch, steps, dim, units in shapes:
        x, _h0, w, u, b = _case(t.rng, batch, steps, dim, units)
        want = keras_gru(x, None, w, u, b, return_sequences)
        what = f"gru_forward(x {x.shape}, ..., return_sequences={return_sequences})"
        got = t.call("gru_forward", x, w, u, b, return_sequences=return_sequences)
        seq = numpy_gru(x, None, w, u, b)
        pick = (lambda s: s) if return_sequences else (lambda s: s[:, -1])
        m = _mistakes((x, None, w, u, b), pick)
        if return_sequences:
            m[_("returned only the last state although return_sequences=True")] = seq[:, -1]
        else:
            m[_("returned the whole sequence although return_sequences=False")] = seq
            m[_("returned the first state instead of the last")] = seq[:, 0]
        expect.close(got, want, what, mistakes=m)


def _check_counts(t, cases):
    import keras
    for units, dim, reset_after in cases:
        want = truth.layer_params(keras.layers.GRU(units, reset_after=reset_after), (5, dim))
        what = f"gru_param_count({units}, {dim}, reset_after={reset_after})"
        got = expect.integer(t.call("gru_param_count", units, dim, reset_after=reset_after), what)
        core = units * (units + dim)
        m = {}
        if reset_after:
            m[_("counted one bias vector per block: with reset_after=True the bias is (2, 3U), "
                "an input and a recurrent bias")] = 3 * (core + units)
        else:
            m[_("counted two bias vectors per block: with reset_after=False the bias is (3U,)")] = \
                3 * (core + 2 * units)
        m[_("4 blocks: that is the LSTM's count; a GRU has 3 (z, r, h)")] = \
            4 * (core + (2 if reset_after else 1) * units)
        m[_("forgot the recurrent kernel (U, U) of each block")] = \
            3 * (units * dim + (2 if reset_after else 1) * units)
        m[_("forgot the biases")] = 3 * core
        expect.equal(got, want, what, m)


@EXERCISE.check(points=2, hint=CELL_HINT, uses=("gru_cell_forward",))
def cell_matches_keras_gru(t):
    _check_cell(t, [(1, 1, 1), (2, 3, 4), (5, 8, 3), (3, 2, 16)])


@EXERCISE.check(points=2, hint=FORWARD_HINT, uses=("gru_forward",))
def forward_last_state(t):
    _check_forward(t, [(1, 1, 1, 1), (2, 5, 3, 4), (4, 12, 6, 8), (3, 20, 2, 16)], return_sequences=False)


@EXERCISE.check(points=2, hint=FORWARD_HINT, uses=("gru_forward",))
def forward_sequences(t):
    _check_forward(t, [(1, 1, 1, 1), (2, 5, 3, 4), (4, 12, 6, 8), (3, 20, 2, 16)], return_sequences=True)


@EXERCISE.check(points=2, hint=COUNT_HINT, uses=("gru_param_count",))
def param_count(t):
    _check_counts(t, [(64, 32, True), (10, 3, False), (128, 300, True), (7, 7, False), (1, 1, True)])


# ------------------------------------------------------------------ hidden
def _random_shapes(rng, n):
    return [(int(rng.integers(1, 7)), int(rng.integers(1, 25)), int(rng.integers(1, 9)), int(rng.integers(1, 20)))
            for _ in range(n)]


@EXERCISE.check(points=1, hint=CELL_HINT, hidden=True, uses=("gru_cell_forward",))
def hidden_cell(t):
    _check_cell(t, [(b, d, u) for b, _, d, u in _random_shapes(t.rng, 4)])


@EXERCISE.check(points=2, hint=FORWARD_HINT, hidden=True, uses=("gru_forward",))
def hidden_forward(t):
    for shape in _random_shapes(t.rng, 6):
        _check_forward(t, [shape], return_sequences=bool(t.rng.random() < 0.5))


@EXERCISE.check(points=1, hint=COUNT_HINT, hidden=True, uses=("gru_param_count",))
def hidden_param_count(t):
    _check_counts(t, [(int(t.rng.integers(1, 512)), int(t.rng.integers(1, 512)), bool(t.rng.random() < 0.6))
                      for _ in range(8)])
