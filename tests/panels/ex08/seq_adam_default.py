"""Sequential, 32 units, Adam() at its default rate (1e-3).

panel: FAIL "by the rule of the docstring"
"""
import keras
from keras import ops


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        d, u = input_shape[-1], self.units
        self.kernel = self.add_weight(shape=(d, 4 * u), initializer="glorot_uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(u, 4 * u), initializer="orthogonal",
                                                name="recurrent_kernel")
        self.bias = self.add_weight(shape=(4 * u,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h_prev, c_prev = states
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel) + self.bias
        u = self.units
        i = ops.sigmoid(z[:, :u])
        f = ops.sigmoid(z[:, u:2 * u])
        g = ops.tanh(z[:, 2 * u:3 * u])
        o = ops.sigmoid(z[:, 3 * u:])
        c = f * c_prev + i * g
        h = o * ops.tanh(c)
        return h, [h, c]


def build_sequence_model(input_shape):
    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.RNN(LSTMCell(32)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model
