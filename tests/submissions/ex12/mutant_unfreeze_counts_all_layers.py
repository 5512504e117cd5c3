"""unfreeze_top counts every layer, with weights or not (base.layers[-n:]).

expect: unfreeze_top_layers FAIL "counted layers without weights"
expect: fine_tune_keeps_bn_statistics FAIL "did not change during the fine-tuning fit"
expect: hidden_unfreeze_top FAIL "counted layers without weights"
"""

import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
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
    keep = [layer for layer in base.layers[-n:] if layer in weighted]
    for layer in base.layers:
        layer.trainable = layer in keep
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model