"""Forgets base.trainable = False: fit trains the whole base.

expect: transfer_base_frozen FAIL "the base is not frozen"
expect: transfer_fit_keeps_base FAIL "the base is not frozen"
expect: hidden_transfer FAIL "the base is not frozen"
"""

import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    inputs = keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    return (sum(int(keras.ops.size(w)) for w in model.trainable_weights),
            sum(int(keras.ops.size(w)) for w in model.non_trainable_weights))


def _base(model):
    return [layer for layer in model.layers if isinstance(layer, keras.Model)][0]


def unfreeze_top(model, n):
    base = _base(model)
    base.trainable = True
    weighted = [layer for layer in base.layers if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    keep = weighted[-n:]
    for layer in base.layers:
        layer.trainable = layer in keep
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model
