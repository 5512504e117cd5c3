"""Checks of ex09: a numpy GRU against keras.layers.GRU (reset_after=True).

The judge builds a real GRU with the weights it sends to the student and
compares outputs to 1e-5.  The classic wrong GRUs -- Cho's update mixing,
reset_after=False semantics, gates read in the wrong order -- are computed in
numpy by the instructor's ``grader/answers/ex09_gru.py`` (the student release
ships their values on the public cases) so that a failure names the mistake.
"""
from __future__ import annotations

from grader.judge import N_, Exercise, _, answers, expect, truth
from grader.judge.recurrent import Recurrent, sequence_mistakes

EXERCISE = Exercise("ex09", N_("GRU gates"), "ex09_gru", timeout=20, memory_mb=1024,
                    summary=N_("update and reset gates in Keras's reset_after=True convention; 3(U(U+D)+2U)"))

CELL_HINT = N_("Keras (reset_after=True): z = sigmoid(x Wz + bz_in + h Uz + bz_rec), r likewise, "
               "h~ = tanh(x Wh + bh_in + r * (h Uh + bh_rec)), h_t = z * h_prev + (1 - z) * h~; "
               "columns [0:U] are z, [U:2U] r, [2U:3U] h; bias[0] is the input bias, bias[1] the recurrent one.")
FORWARD_HINT = N_("Start from zeros (B, U), apply the cell to x[:, t] for t = 0 ... T-1; stack on axis 1 for "
                  "sequences.")
COUNT_HINT = N_("Three blocks (z, r, h), each with a (D, U) input kernel, a (U, U) recurrent kernel and biases: "
                "one bias vector per block with reset_after=False, two (input and recurrent) with reset_after=True.")


# The GRU in numpy, with the knobs that reproduce each mistake, is the instructor's code
# (grader/answers/ex09_gru.py: numpy_gru); the student release holds its values on the public cases
# (grader.judge.answers).  Every value a case needs is asked for before the answer is compared, whatever it is.
ANSWERS = answers.Table("ex09_gru")


def _states(case, h0=True, **knobs):
    """Every step's state (B, T, U) of the numpy GRU on the case, from its h0 (or from zeros), with a mistake's
    knobs."""
    return ANSWERS("numpy_gru", case.x, case.h0 if h0 else None, *case.weights, **knobs)


def _mistakes(case, pick, h0=True):
    """label -> the wrong output (``pick`` selects it from every step's state), from h0 or from zeros."""
    return {
        _("update gate mixed the Cho way, h = (1 - z) * h_prev + z * h~; Keras uses h = z * h_prev + (1 - z) * h~"):
            pick(_states(case, h0, cho=True)),
        _("reset gate applied before the recurrent matmul, (r * h_prev) @ U_h (reset_after=False semantics); "
          "Keras's default is reset_after=True: r * (h_prev @ U_h + b_rec)"):
            pick(_states(case, h0, reset_before=True)),
        _("the original paper's GRU (Cho et al. 2014): reset gate before the recurrent matmul, (r * h_prev) @ U_h, "
          "and Cho's mixing h = (1 - z) * h_prev + z * h~ -- Keras (reset_after=True) uses r * (h_prev @ U_h + "
          "b_rec) and h = z * h_prev + (1 - z) * h~"): pick(_states(case, h0, cho=True, reset_before=True)),
        _("gates in the wrong order: read r from the first U columns and z from the next; Keras's order is z, r, h"):
            pick(_states(case, h0, order="rzh")),
        _("sigmoid and tanh swapped: the gates z, r use sigmoid, the candidate h~ uses tanh"):
            pick(_states(case, h0, swap=True)),
        _("ignored the recurrent bias bias[1]"): pick(_states(case, h0, recurrent_bias=False)),
        _("added the recurrent bias of h~ outside r * (...): with reset_after=True it is inside, r * (h U_h + b_rec)"):
            pick(_states(case, h0, bias_outside=True)),
    }


def _cell_mistakes(case):
    return _mistakes(case, lambda s: s[:, 0])


def _forward_mistakes(case, return_sequences):
    seq = _states(case, h0=False)
    m = {**_mistakes(case, (lambda s: s) if return_sequences else (lambda s: s[:, -1]), h0=False),
         **sequence_mistakes(seq, return_sequences)}
    if not return_sequences:
        m[_("returned the first state instead of the last")] = seq[:, 0]
    return m


GRU = Recurrent("GRU", cell_fn="gru_cell_forward", forward_fn="gru_forward", blocks=3, bias_rows=2,
                cell_mistakes=_cell_mistakes, forward_mistakes=_forward_mistakes)


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


# The standard checks (grader.judge.recurrent): one step, then the whole sequence, against Keras.
GRU.declare_cell_check(EXERCISE, "cell_matches_keras_gru", points=2, hint=CELL_HINT)
GRU.declare_forward_check(EXERCISE, "forward_last_state", points=2, hint=FORWARD_HINT, return_sequences=False)
GRU.declare_forward_check(EXERCISE, "forward_sequences", points=2, hint=FORWARD_HINT, return_sequences=True)


@EXERCISE.check(points=2, hint=COUNT_HINT, uses=("gru_param_count",))
def param_count(t):
    _check_counts(t, [(64, 32, True), (10, 3, False), (128, 300, True), (7, 7, False), (1, 1, True)])


# ------------------------------------------------------------------ hidden
GRU.declare_cell_check(EXERCISE, "hidden_cell", points=1, hint=CELL_HINT, hidden=True)
GRU.declare_forward_check(EXERCISE, "hidden_forward", points=2, hint=FORWARD_HINT, hidden=True)


@EXERCISE.check(points=1, hint=COUNT_HINT, hidden=True, uses=("gru_param_count",))
def hidden_param_count(t):
    _check_counts(t, [(int(t.rng.integers(1, 512)), int(t.rng.integers(1, 512)), bool(t.rng.random() < 0.6))
                      for _ in range(8)])
