"""Counts one bias vector per block, as for reset_after=False, whatever the flag.

expect: param_count FAIL "one bias vector per block"
expect: hidden_param_count FAIL "returned"
"""


def gru_param_count(units, input_dim, reset_after=True):
    return 3 * (units * (units + input_dim) + units)
