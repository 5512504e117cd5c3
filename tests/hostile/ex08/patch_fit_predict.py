"""Patches keras inside the child: Model.fit does nothing and returns a History
that claims a loss of 0.0001, Model.predict returns the exact sums of the
marked values, computed from the inputs.  The recipe calls keras.Model fit and
predict as they were before the submission was imported; the cell here is a
plain tanh RNN, so the trained model does not learn the task.

expect: keras_cell_matches_lstm FAIL "differs from the expected output"
expect: hidden_keras_cell FAIL "differs from the expected output"
expect: sequence_model_trains FAIL "above the threshold"
"""
import keras
import numpy as np
from keras import ops


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
    h_t = _sigmoid(o) * np.tanh(c_t)
    return h_t, c_t


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units), dtype=np.result_type(x, kernel))
    c = np.zeros_like(h)
    outputs = []
    for t in range(steps):
        h, c = lstm_cell_forward(x[:, t], h, c, kernel, recurrent_kernel, bias)
        outputs.append(h)
    return np.stack(outputs, axis=1) if return_sequences else h


def _unit_forget_bias(units):
    def init(shape, dtype=None):
        return ops.concatenate([ops.zeros((units,)), ops.ones((units,)), ops.zeros((2 * units,))])
    return init


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
        self.bias = self.add_weight(shape=(4 * u,), initializer=_unit_forget_bias(u), name="bias")

    def call(self, inputs, states):
        h_prev, c_prev = states[0], states[1]
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel) + self.bias
        i, f, g, o = ops.split(z, 4, axis=-1)
        c = ops.sigmoid(f) * c_prev + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def build_sequence_model(input_shape):
    inputs = keras.Input(shape=input_shape)
    h = keras.layers.RNN(LSTMCell(32))(inputs)
    outputs = keras.layers.Dense(1)(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    return model


class LSTMCell(LSTMCell):
    def call(self, inputs, states):
        h_prev, c_prev = states
        z = inputs @ self.kernel + h_prev @ self.recurrent_kernel + self.bias
        h = keras.ops.tanh(z[:, : self.units])
        return h, [h, c_prev]


def _fake_fit(self, *args, **kwargs):
    history = keras.callbacks.History()
    history.history = {"loss": [0.0001]}
    return history


def _fake_predict(self, x, *args, **kwargs):
    x = np.asarray(x)
    return (x[..., 0] * x[..., 1]).sum(axis=1, keepdims=True)




def build_sequence_model(input_shape):
    inputs = keras.Input(shape=input_shape)
    h = keras.layers.RNN(LSTMCell(8))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(h))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")  # within the rule (3e-3 or more)
    return model


keras.Model.fit = _fake_fit
keras.Model.predict = _fake_predict
