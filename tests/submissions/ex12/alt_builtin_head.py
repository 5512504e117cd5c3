"""Built-in layers the reference never uses for the head: the Dense layer has no activation and a
layers.Softmax() layer follows it, an Identity layer marks the features, and the pooling is
GlobalAveragePooling2D(keepdims=False) spelled GlobalAvgPool2D.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    features = layers.Identity(name="features")(base(inputs, training=False))
    x = layers.GlobalAvgPool2D(keepdims=False)(features)
    x = layers.Dropout(rate=dropout)(x)
    x = layers.Dense(num_classes)(x)
    model = keras.Model(inputs, layers.Softmax()(x))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def trainable_counts(model):
    return (int(sum(keras.ops.size(w) for w in model.trainable_weights)),
            int(sum(keras.ops.size(w) for w in model.non_trainable_weights)))


def unfreeze_top(model, n):
    base = [layer for layer in model.layers if isinstance(layer, keras.Model)][0]
    base.trainable = True
    weighted = [layer for layer in base.layers if layer.weights and type(layer).__name__ != "BatchNormalization"]
    keep = weighted[-n:] if n else []
    for layer in base.layers:
        layer.trainable = layer in keep
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
