"""ex08's truth in numpy: Keras's LSTM with its masking rule, and the knobs that reproduce each classic mistake
(``grader.checks.ex08_lstm`` names them; the default knobs are keras.layers.LSTM, tested against it in
tests/test_ex08_lstm.py)."""
from __future__ import annotations

import numpy as np

ORDER = "ifco"  # Keras: input, forget, candidate (cell), output


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_lstm(x, kernel, recurrent_kernel, bias, h0=None, c0=None, mask=None, *, order=ORDER,
               swap="", forget_prev=False, tanh_c=True, return_c=False):
    """(outputs (B, T, U), h_T, c_T) in float64, from h0 and c0 (None: zeros), with Keras's masking rule and
    knobs for the classic mistakes.

    order: how the student reads the 4U columns ("ifco" is right).
    swap: "" (right), "all" (tanh gates, sigmoid candidate and output squashing), "candidate".
    forget_prev: c_t = i * c~ (the previous cell state forgotten).
    tanh_c: h_t = o * tanh(c_t) (False: o * c_t).  return_c: outputs are c, not h.
    """
    x = np.asarray(x, np.float64)
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units)) if h0 is None else np.asarray(h0, np.float64)
    c = np.zeros((batch, units)) if c0 is None else np.asarray(c0, np.float64)
    gate = np.tanh if swap == "all" else sigmoid
    cand = sigmoid if swap in ("all", "candidate") else np.tanh
    squash = sigmoid if swap == "all" else np.tanh
    out, last = [], np.zeros((batch, units))
    for t in range(steps):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        blocks = dict(zip(order, np.split(z, 4, axis=-1)))
        c_new = (0.0 if forget_prev else gate(blocks["f"]) * c) + gate(blocks["i"]) * cand(blocks["c"])
        h_new = gate(blocks["o"]) * (squash(c_new) if tanh_c else c_new)
        o_new = c_new if return_c else h_new
        if mask is not None:
            keep = np.asarray(mask, bool)[:, t][:, None]
            h, c = np.where(keep, h_new, h), np.where(keep, c_new, c)
            last = np.where(keep, o_new, last)
        else:
            h, c, last = h_new, c_new, o_new
        out.append(last)
    return np.stack(out, axis=1), h, c


PARTS = {"outputs": lambda r: r[0], "last": lambda r: r[0][:, -1], "h": lambda r: r[1], "c": lambda r: r[2]}


def lstm_part(part, **arguments):
    """The part of ``numpy_lstm(**arguments)`` a check compares with: "outputs" (B, T, U), "last" (the outputs'
    last step), "h" or "c" (the final states) -- as float32.  A check names a mistake at 1e-4, far above
    float32's rounding, and the student release ships these values (grader/checks/ex08_lstm.answers.json):
    only the part asked for, at half the digits."""
    return np.asarray(PARTS[part](numpy_lstm(**arguments)), np.float32)
