"""ex04's references in plain Keras: the VGG and bottleneck blocks, AlexNet, and the AlexNet and VGG16 variants
that make a known mistake (``grader.checks.ex04_parameter_efficiency``).  What the checks ask for: a block's
Keras config on an input shape (``block_config``), the reference AlexNet's config (``alexnet_config``: the
checks read its layer rows and count off it), and the count of a variant (``alexnet_params``,
``vgg16_params``).  Everything is built without weights and never run; the answers are remembered per
process (a warm grader meets the same network in every submission)."""
from __future__ import annotations

import functools

import keras
from keras import layers

from grader.core.stateless import no_weights


def ref_vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(pool_size=2)(x)


def ref_bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = layers.Conv2D(reduce_filters, 1, activation="relu")(x)
    return layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")(x)


REFERENCES = {"vgg_block": ref_vgg_block, "bottleneck": ref_bottleneck}


@functools.lru_cache(maxsize=64)
def block_config(reference: str, input_shape: tuple, *args) -> dict:
    """The config of keras.Model(x, reference(x, *args)) on x = keras.Input(input_shape), built without weights
    (``reference``: "vgg_block" or "bottleneck")."""
    with no_weights():
        x = keras.Input(shape=tuple(input_shape))
        model = keras.Model(x, REFERENCES[reference](x, *args))
    return keras.saving.serialize_keras_object(model)


def alexnet(input_shape, num_classes, conv1_padding="valid", last_pool=True, use_bias=True):
    """The reference AlexNet; the keywords make the known mistakes."""
    conv = functools.partial(layers.Conv2D, activation="relu", use_bias=use_bias)
    stack = [keras.Input(shape=tuple(input_shape)),
             conv(96, 11, strides=4, padding=conv1_padding), layers.MaxPooling2D(3, 2),
             conv(256, 5, padding="same"), layers.MaxPooling2D(3, 2),
             conv(384, 3, padding="same"), conv(384, 3, padding="same"), conv(256, 3, padding="same")]
    stack += [layers.MaxPooling2D(3, 2)] if last_pool else []
    stack += [layers.Flatten(), layers.Dense(4096, activation="relu"), layers.Dropout(0.5),
              layers.Dense(4096, activation="relu"), layers.Dropout(0.5),
              layers.Dense(num_classes, activation="softmax")]
    return keras.Sequential(stack)


@functools.lru_cache(maxsize=8)
def alexnet_config(input_shape: tuple, num_classes: int) -> dict:
    """The Keras config of the reference AlexNet, built without weights."""
    with no_weights():
        return keras.saving.serialize_keras_object(alexnet(input_shape, num_classes))


@functools.lru_cache(maxsize=32)
def alexnet_params(input_shape: tuple, num_classes: int, **mistake) -> "int | None":
    """count_params() of AlexNet with a known mistake (``alexnet``'s keywords); None when that variant does not
    fit this input size."""
    try:
        with no_weights():
            return int(alexnet(input_shape, num_classes, **mistake).count_params())
    except ValueError:
        return None


def vgg16_variant(input_shape, num_classes, head="flatten", last_pool=True):
    """VGG16 with a known mistake: another head ("gap": GlobalAveragePooling2D), no pooling after the last block."""
    x = inp = keras.Input(shape=tuple(input_shape))
    for i, (f, n) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]):
        for _ in range(n):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        if i < 4 or last_pool:
            x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x) if head == "flatten" else layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    return keras.Model(inp, layers.Dense(num_classes, activation="softmax")(x))


@functools.lru_cache(maxsize=32)
def vgg16_params(input_shape: tuple, num_classes: int, **mistake) -> int:
    """count_params() of VGG16 with a known mistake (``vgg16_variant``'s keywords)."""
    with no_weights():
        return int(vgg16_variant(input_shape, num_classes, **mistake).count_params())
