"""A convolutionalize whose model upsamples its input 300 times first: the
judge runs the rebuilt model itself, so it must refuse before allocating it.

expect: convolutionalize_same_size FAIL "far more than this block needs"
expect: convolutionalize_larger FAIL "far more than this block needs"
"""
import keras
from keras import layers


def convolutionalize(model):
    inputs = keras.Input(shape=(None, None, model.input_shape[-1]))
    x = layers.UpSampling2D(300)(inputs)
    x = layers.MaxPooling2D(300)(x)
    flat = None
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
