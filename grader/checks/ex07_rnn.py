"""Checks of ex07: a numpy recurrent cell against keras.layers.SimpleRNN.

The judge builds a real SimpleRNN, loads the weights it sends to the student,
and compares outputs to 1e-5 (``grader.judge.recurrent`` draws the cases and
runs the standard cell and forward checks).  Known wrong answers are
computed in numpy by the instructor's ``grader/answers/ex07_rnn.py`` (the
student release ships their values on the public cases) so that a failure
names the mistake.
"""
from __future__ import annotations

import numpy as np

from grader.judge import N_, Exercise, _, answers
from grader.judge.recurrent import Recurrent, sequence_mistakes

EXERCISE = Exercise("ex07", N_("A recurrent cell from scratch"), "ex07_rnn", timeout=20, memory_mb=1024,
                    summary=N_("h_t = tanh(x_t W + h_{t-1} U + b) in numpy, equal to Keras SimpleRNN"))

CELL_HINT = N_("h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias); x_t is (B, D), h_prev (B, U).")
FORWARD_HINT = N_("Loop over the time axis (axis 1 of x), feed each step's h into the next; return the last "
                  "h (B, U), or every h stacked on axis 1 (B, T, U) when return_sequences=True.")


# SimpleRNN in numpy, with the knobs that reproduce each mistake, is the instructor's code
# (grader/answers/ex07_rnn.py: numpy_rnn); the student release holds its values on the public cases
# (grader.judge.answers).  Every value a case needs is asked for before the answer is compared, whatever it is.
ANSWERS = answers.Table("ex07_rnn")


def _states(case, **knobs):
    """Every step's state (B, T, U) of the numpy SimpleRNN on the case, from its h0, with a mistake's knobs."""
    return ANSWERS("numpy_rnn", case.x, case.h0, *case.weights, **knobs)


def _cell_mistakes(case):
    return {
        _("multiplied h_prev by recurrent_kernel.T: the layout is h_prev @ recurrent_kernel, (U, U) rows = "
          "h_prev units"): _states(case, transpose=True)[:, 0],
        _("forgot the bias"): _states(case, use_bias=False)[:, 0],
        _("forgot the recurrent term h_prev @ recurrent_kernel"): _states(case, use_h=False)[:, 0],
        _("used sigmoid instead of tanh"): _states(case, act="sigmoid")[:, 0],
        _("used ReLU instead of tanh (SimpleRNN's activation is tanh)"): _states(case, act="relu")[:, 0],
        _("returned the pre-activation x W + h U + b: apply tanh"): _states(case, act="identity")[:, 0],
    }


def _forward_mistakes(case, return_sequences):
    seq = _states(case)
    pick = (lambda s: s) if return_sequences else (lambda s: s[:, -1])
    m = {
        _("multiplied h_prev by recurrent_kernel.T (the layout is h_prev @ recurrent_kernel)"):
            pick(_states(case, transpose=True)),
        _("forgot the bias"): pick(_states(case, use_bias=False)),
        _("used sigmoid instead of tanh"): pick(_states(case, act="sigmoid")),
        _("the state is not carried: every step starts again from h0 instead of the previous h"):
            pick(_states(case, carry=False)),
        _("ignored h0: started from zeros instead of the given initial state"):
            pick(ANSWERS("numpy_rnn", case.x, np.zeros_like(case.h0), *case.weights)),
        **sequence_mistakes(seq, return_sequences),
    }
    h0 = np.asarray(case.h0, np.float64)[:, None]
    if return_sequences:
        m[_("put h0 in front of the sequence: the output has one entry per input step")] = np.concatenate(
            [h0, seq], axis=1)
        m[_("left out the last step")] = np.concatenate([h0, seq[:, :-1]], axis=1)
    else:
        m[_("returned the first state h_1 instead of the last h_T")] = seq[:, 0]
        if seq.shape[1] > 1:
            m[_("returned the state before the last step (off by one)")] = seq[:, -2]
    return m


RNN = Recurrent("SimpleRNN", cell_fn="rnn_cell_forward", forward_fn="rnn_forward", forward_takes_state=True,
                cell_mistakes=_cell_mistakes, forward_mistakes=_forward_mistakes)


# The standard checks (grader.judge.recurrent): one step, then the whole sequence, against Keras.
RNN.declare_cell_check(EXERCISE, "cell_matches_simple_rnn", points=2, hint=CELL_HINT)
RNN.declare_forward_check(EXERCISE, "forward_last_state", points=2, hint=FORWARD_HINT, return_sequences=False)
RNN.declare_forward_check(EXERCISE, "forward_sequences", points=2, hint=FORWARD_HINT, return_sequences=True)
RNN.declare_cell_check(EXERCISE, "hidden_cell", points=1, hint=CELL_HINT, hidden=True)
RNN.declare_forward_check(EXERCISE, "hidden_forward", points=2, hint=FORWARD_HINT, hidden=True)
