"""Counts one bias vector per block, as for reset_after=False, whatever the flag.

expect: param_count FAIL "one bias vector per block"
expect: hidden_param_count FAIL "returned"
expect: cell_matches_keras_gru ERROR "does not define gru_cell_forward"
expect: forward_last_state ERROR "does not define gru_forward"
expect: forward_sequences ERROR "does not define gru_forward"
expect: hidden_cell ERROR "does not define gru_cell_forward"
expect: hidden_forward ERROR "does not define gru_forward"
"""


def gru_param_count(units, input_dim, reset_after=True):
    return 3 * (units * (units + input_dim) + units)
