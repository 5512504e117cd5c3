"""Uses the cell, but crops the sequence to its last step first: the marked values are never seen, so it did
not learn (the test MSE above the threshold, the training MSE near that of always predicting 1.0).

expect: sequence_model_trains FAIL "did not learn"
expect: cell_step_matches_keras ERROR "does not define lstm_cell_forward"
expect: forward_last_state ERROR "does not define lstm_forward"
expect: forward_sequences ERROR "does not define lstm_forward"
expect: hidden_cell_step ERROR "does not define lstm_cell_forward"
expect: hidden_forward ERROR "does not define lstm_forward"
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

    def call(self, inputs, states):
        h, c = states
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias
        i, f, g, o = ops.split(z, 4, axis=-1)
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]


def build_sequence_model(input_shape):
    model = keras.Sequential([keras.Input(input_shape), keras.layers.Cropping1D((input_shape[0] - 1, 0)),
                              keras.layers.RNN(LSTMCell(8)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    return model
