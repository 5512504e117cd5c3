"""Counts four blocks, the LSTM's formula.

expect: param_count FAIL "LSTM"
expect: cell_matches_keras_gru ERROR "does not define gru_cell_forward"
expect: forward_last_state ERROR "does not define gru_forward"
expect: forward_sequences ERROR "does not define gru_forward"
expect: hidden_cell ERROR "does not define gru_cell_forward"
expect: hidden_forward ERROR "does not define gru_forward"
expect: hidden_param_count FAIL "4 blocks: that is the LSTM's count; a GRU has 3 (z, r, h)"
"""


def gru_param_count(units, input_dim, reset_after=True):
    return 4 * (units * (units + input_dim) + (2 if reset_after else 1) * units)
