"""Reference solution of ex12 (transfer learning: a frozen base, a new head, fine-tuning)."""
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
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def trainable_counts(model):
    trainable = sum(int(keras.ops.size(w)) for w in model.trainable_weights)
    frozen = sum(int(keras.ops.size(w)) for w in model.non_trainable_weights)
    return trainable, frozen


def _find_base(model):
    return next(layer for layer in model.layers if isinstance(layer, keras.Model))


def unfreeze_top(model, n):
    base = _find_base(model)
    base.trainable = True  # every layer of the base trainable again ...
    with_weights = [layer for layer in base.layers
                    if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    top = with_weights[len(with_weights) - n:] if n > 0 else []
    for layer in base.layers:  # ... then frozen again, except the top n
        layer.trainable = any(layer is chosen for chosen in top)
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
