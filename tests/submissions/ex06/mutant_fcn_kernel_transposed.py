"""convolutionalize that reshapes the Dense kernel in channels-first order
(C, H, W) and transposes it to (H, W, C): every weight lands in the wrong place.

expect: convolutionalize_same_size FAIL "reshaped as (C, H, W, units)"
expect: convolutionalize_larger FAIL "differs"
"""
import keras
from keras import layers


def convolutionalize(model):
    inputs = keras.Input(shape=(None, None, model.input_shape[-1]))
    x, flat = inputs, None
    for layer in model.layers:
        if isinstance(layer, layers.Flatten):
            flat = layer.input.shape[1:]
        elif isinstance(layer, layers.Dense):
            kernel, bias = layer.get_weights()
            if flat is not None:
                h, w, c = flat
                kernel = kernel.reshape(c, h, w, layer.units).transpose(1, 2, 0, 3)
                flat = None
            else:
                kernel = kernel[None, None]
            conv = layers.Conv2D(layer.units, kernel.shape[:2], activation=layer.activation)
            x = conv(x)
            conv.set_weights([kernel, bias])
        elif not isinstance(layer, layers.InputLayer):
            x = layer(x)
    return keras.Model(inputs, x)
