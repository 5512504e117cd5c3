"""The cell, Dropout(0.25), a Dense(16, relu) layer, Dense(1); Adam(1e-2).

panel: PASS
"""
import keras
from keras import ops


class LSTMCell(keras.layers.Layer):
    """Keras layout; the forget gate starts open (bias 1), as Jozefowicz et al. (2015) advise."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        units = self.units

        def forget_open(shape, dtype=None):
            return ops.concatenate([ops.zeros((units,)), ops.ones((units,)), ops.zeros((2 * units,))])
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], 4 * units))
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel", shape=(units, 4 * units),
                                                initializer="orthogonal")
        self.bias = self.add_weight(name="bias", shape=(4 * units,), initializer=forget_open)

    def call(self, inputs, states):
        h, c = states[0], states[1]
        gates = ops.split(ops.dot(inputs, self.kernel) + ops.dot(h, self.recurrent_kernel) + self.bias, 4, axis=-1)
        i, f, o = ops.sigmoid(gates[0]), ops.sigmoid(gates[1]), ops.sigmoid(gates[3])
        c = f * c + i * ops.tanh(gates[2])
        h = o * ops.tanh(c)
        return h, [h, c]


def build_sequence_model(input_shape):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        keras.layers.RNN(LSTMCell(32)),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss="mean_squared_error")
    return model
