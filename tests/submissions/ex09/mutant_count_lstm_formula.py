"""Counts four blocks, the LSTM's formula.

expect: param_count FAIL "LSTM"
"""


def gru_param_count(units, input_dim, reset_after=True):
    return 4 * (units * (units + input_dim) + (2 if reset_after else 1) * units)
