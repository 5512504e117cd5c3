"""ex09's truth in numpy: Keras's GRU (reset_after=True), with the knobs that reproduce each classic mistake
(``grader.checks.ex09_gru`` names them; the default knobs are keras.layers.GRU, and ``reset_before`` its
reset_after=False, tested against Keras in tests/test_ex09_gru.py)."""
from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_gru(x, h0, kernel, recurrent_kernel, bias, *, cho=False, reset_before=False, order="zrh",
              swap=False, recurrent_bias=True, bias_outside=False):
    """Every step's state (B, T, U) in float64, from ``h0`` (None: zeros), with knobs that reproduce the
    classic mistakes.

    order: how the 3U columns are read (the correct "zrh"; "rzh" reads r first).
    cho: h = (1 - z) * h_prev + z * h~ (Cho et al.'s mixing; Keras uses z * h_prev + (1 - z) * h~).
    reset_before: h~ = tanh(x Wh + bh_in + (r * h_prev) Uh + bh_rec) (reset_after=False semantics).
    swap: tanh for the gates, sigmoid for the candidate.  recurrent_bias=False: bias[1] ignored.
    bias_outside: h~ = tanh(x Wh + bh_in + bh_rec + r * (h_prev Uh)).
    """
    x = np.asarray(x, np.float64)
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units)) if h0 is None else np.asarray(h0, np.float64)
    gate, cand = (np.tanh, sigmoid) if swap else (sigmoid, np.tanh)

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
