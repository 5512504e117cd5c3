"""Gives the cell a second (recurrent) bias vector, PyTorch style: 4U parameters too many.

expect: keras_cell_structure FAIL "second bias vector"
expect: cell_step_matches_keras ERROR "does not define lstm_cell_forward"
expect: forward_last_state ERROR "does not define lstm_forward"
expect: forward_sequences ERROR "does not define lstm_forward"
expect: hidden_cell_step ERROR "does not define lstm_cell_forward"
expect: hidden_forward ERROR "does not define lstm_forward"
expect: hidden_keras_cell FAIL "a second bias vector: Keras's LSTM has one bias of 4U"
expect: sequence_model_trains ERROR "does not define build_sequence_model"
"""
import keras
from keras import ops


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight(shape=(input_shape[-1], 4 * u), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(u, 4 * u), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(4 * u,), initializer="zeros", name="bias")
        self.recurrent_bias = self.add_weight(shape=(4 * u,), initializer="zeros", name="recurrent_bias")

    def call(self, inputs, states):
        h, c = states
        z = ops.matmul(inputs, self.kernel) + self.bias + ops.matmul(h, self.recurrent_kernel) + self.recurrent_bias
        i, f, g, o = ops.split(z, 4, axis=-1)
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]
