"""Ground truth from Keras itself: shapes and parameter counts of real layers, outputs of real
convolutions, and summaries of ``keras.applications`` networks."""
from __future__ import annotations

import functools

import keras

from grader.core.stateless import no_weights
from grader.judge.cache import memo
from grader.judge.structure import summary


def conv2d_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid") -> tuple:
    """Output shape (without batch) of Conv2D; an int padding means ZeroPadding2D first."""
    shape = (None, *input_shape)
    if not isinstance(padding, str):
        shape = keras.layers.ZeroPadding2D(int(padding)).compute_output_shape(shape)
        padding = "valid"
    layer = keras.layers.Conv2D(filters, kernel_size, strides=strides, padding=padding)
    return tuple(int(d) for d in layer.compute_output_shape(shape)[1:])


def pool2d_output_shape(input_shape, pool_size, strides=None, padding="valid") -> tuple:
    layer = keras.layers.MaxPooling2D(pool_size, strides=strides, padding=padding)
    return tuple(int(d) for d in layer.compute_output_shape((None, *input_shape))[1:])


def layer_params(layer, input_shape) -> int:
    """count_params() of a built layer; variables stay uninitialised (no TF ops run)."""
    with no_weights():
        layer.build((None, *input_shape))
        return int(layer.count_params())


@memo
def conv2d_params(kernel_size, in_channels, filters, use_bias=True) -> int:
    return layer_params(keras.layers.Conv2D(filters, kernel_size, use_bias=use_bias), (9, 9, in_channels))


@memo
def dense_params(in_features, units, use_bias=True) -> int:
    """Dense's count is affine in in_features: ask Keras at 1 and 2 features and
    extend the line, instead of allocating a huge kernel."""
    p1 = layer_params(keras.layers.Dense(units, use_bias=use_bias), (1,))
    p2 = layer_params(keras.layers.Dense(units, use_bias=use_bias), (2,))
    return p1 + (in_features - 1) * (p2 - p1)


@memo
def flatten_dense_params(feature_shape, units) -> int:
    flat = keras.layers.Flatten().compute_output_shape((None, *feature_shape))
    return dense_params(int(flat[1]), units)


@memo
def conv2d_apply(x, w, b, strides=1, padding="valid"):
    """keras.layers.Conv2D with kernel w and bias b (b None: no bias) applied to x; once per process for the
    same arrays (a warm grader meets the same cases at every grade, and each call builds a layer's variables)."""
    import numpy as np
    layer = keras.layers.Conv2D(w.shape[-1], w.shape[:2], strides=strides, padding=padding,
                                use_bias=b is not None)
    layer.build(x.shape)
    layer.set_weights([w] if b is None else [w, b])
    return np.asarray(layer(x.astype("float32")))


def maxpool2d_apply(x, pool_size=2, strides=None, padding="valid"):
    import numpy as np
    return np.asarray(keras.layers.MaxPooling2D(pool_size, strides=strides, padding=padding)(x.astype("float32")))


@memo
def same_padding_of_keras(n: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """(before, after) that Keras 'same' uses, read off a real Conv2D.

    Input values 1..n along one axis and k filters, filter j picking only tap j:
    the first output of filter j is x[j - before], so the first filter that
    sees x[0] = 1 is j = before.  The total follows from the output length."""
    import numpy as np
    x = np.arange(1, n + 1, dtype="float32").reshape(1, n, 1, 1)
    w = np.zeros((kernel_size, 1, 1, kernel_size), dtype="float32")
    for j in range(kernel_size):
        w[j, 0, 0, j] = 1.0
    y = conv2d_apply(x, w, None, strides=(stride, 1), padding="same")
    before = int(np.argmax(np.isclose(y[0, 0, 0, :], 1.0)))
    total = max((y.shape[1] - 1) * stride + kernel_size - n, 0)
    return before, total - before


@functools.lru_cache(maxsize=16)
def _application(name: str, input_shape: tuple) -> dict:
    with no_weights():
        model = getattr(keras.applications, name)(weights=None, input_shape=tuple(input_shape), classes=1000)
        return summary(model)


def application_summary(name: str, input_shape: tuple, classes: int) -> dict:
    """count_params, layer rows, weighted-layer signature and wiring of
    ``keras.applications.<name>(weights=None, input_shape=..., classes=...)``.

    Building DenseNet-121 takes seconds, so the network is built once per input
    shape (with 1000 classes) and another class count only changes the final
    Dense layer, whose count comes from a real Dense layer (``dense_params``).
    """
    base = _application(name, tuple(input_shape))
    if classes == 1000:
        return base
    out = dict(base)
    cls, ((features, units), _bias) = base["weighted"][-1]
    assert cls == "Dense" and units == 1000, base["weighted"][-1]
    old, new = dense_params(features, 1000), dense_params(features, classes)
    out["params"] = base["params"] - old + new
    out["weighted"] = base["weighted"][:-1] + [("Dense", ((features, classes), (classes,)))]
    out["weighted_names"] = base["weighted_names"][:-1] + [f"Dense {classes} (softmax)"]
    out["output_shape"] = (classes,)
    rows = [dict(r) for r in base["rows"]]
    last = max(i for i, r in enumerate(rows) if r["class"] == "Dense")
    rows[last]["params"], rows[last]["output_shape"] = new, (classes,)
    out["rows"] = rows
    return out
