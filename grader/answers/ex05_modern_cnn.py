"""ex05's reference blocks: an inception block, residual and bottleneck residual blocks, a dense block and a
transition block in plain Keras (``grader.checks.ex05_modern_cnn`` compares the student's with them by wiring
and by outputs under identical weights).  ``block_config`` is what the checks ask for: a block's Keras config
on an input shape."""
from __future__ import annotations

import keras
from keras import layers

from grader.core.stateless import no_weights

EPS = 1.001e-5  # the reference's BN epsilon is replaced by the student's when weights are shared


def ref_inception(x, f1, f3r, f3, f5r, f5, pp):
    b1 = layers.Conv2D(f1, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(layers.Conv2D(f3r, 1, activation="relu")(x))
    b5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(layers.Conv2D(f5r, 1, activation="relu")(x))
    bp = layers.Conv2D(pp, 1, activation="relu")(layers.MaxPooling2D(3, strides=1, padding="same")(x))
    return layers.Concatenate()([b1, b3, b5, bp])


def _bn(x):
    return layers.BatchNormalization(epsilon=EPS)(x)


def ref_residual(x, filters, stride=1):
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 3, strides=stride, padding="same")(x)))
    y = _bn(layers.Conv2D(filters, 3, padding="same")(y))
    s = x
    if stride != 1 or x.shape[-1] != filters:
        s = _bn(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def ref_bottleneck_residual(x, filters, stride=1):
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 3, padding="same")(y)))
    y = _bn(layers.Conv2D(4 * filters, 1)(y))
    s = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        s = _bn(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def ref_dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(layers.ReLU()(_bn(x)))
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(layers.ReLU()(_bn(y)))
        x = layers.Concatenate()([x, y])
    return x


def ref_transition(x, compression=0.5):
    y = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False)(layers.ReLU()(_bn(x)))
    return layers.AveragePooling2D(2, strides=2)(y)


REFERENCES = {f.__name__: f for f in (ref_inception, ref_residual, ref_bottleneck_residual, ref_dense_block,
                                      ref_transition)}


def block_config(reference: str, input_shape, *args) -> dict:
    """The config of keras.Model(x, reference(x, *args)) on x = keras.Input(input_shape), built without weights."""
    with no_weights():
        x = keras.Input(shape=tuple(input_shape))
        model = keras.Model(x, REFERENCES[reference](x, *args))
    return keras.saving.serialize_keras_object(model)
