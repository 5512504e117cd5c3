"""Declares a single state of U units: an LSTM cell carries two (h and c).

expect: keras_cell_structure FAIL "only one state"
"""
import keras


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
