"""convolutionalize that is right at the original size but keeps the
classifier's fixed input shape, so it cannot slide over a larger image.

expect: convolutionalize_same_size PASS
expect: convolutionalize_larger FAIL "cannot slide over"
"""
import keras
from keras import layers


def convolutionalize(model):
    inputs = keras.Input(shape=model.input_shape[1:])
    x, flat = inputs, None
    for layer in model.layers:
        if isinstance(layer, layers.Flatten):
            flat = layer.input.shape[1:]
        elif isinstance(layer, layers.Dense):
            kernel, bias = layer.get_weights()
            kernel = kernel.reshape(*flat, layer.units) if flat is not None else kernel[None, None]
            flat = None
            conv = layers.Conv2D(layer.units, kernel.shape[:2], activation=layer.activation)
            x = conv(x)
            conv.set_weights([kernel, bias])
        elif not isinstance(layer, layers.InputLayer):
            x = layer(x)
    return keras.Model(inputs, x)
