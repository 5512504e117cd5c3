"""Declares a single state of U units: an LSTM cell carries two (h and c).

expect: keras_cell_structure FAIL "only one state"
expect: cell_step_matches_keras ERROR "does not define lstm_cell_forward"
expect: forward_last_state ERROR "does not define lstm_forward"
expect: forward_sequences ERROR "does not define lstm_forward"
expect: hidden_cell_step ERROR "does not define lstm_cell_forward"
expect: hidden_forward ERROR "does not define lstm_forward"
expect: hidden_keras_cell FAIL "only one state: an LSTM carries two, h and c"
expect: keras_cell_matches_lstm FAIL "keras.layers.RNN("
expect: sequence_model_trains ERROR "does not define build_sequence_model"
"""
import keras


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
