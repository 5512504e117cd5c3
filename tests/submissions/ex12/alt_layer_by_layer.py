"""Freezes the base layer by layer (BatchNormalization included) instead of base.trainable = False;
the functional API with the head written inline; unfreeze_top walks the base from the top.

expect: * PASS
"""
import keras


def build_transfer_model(base, num_classes, dropout=0.2):
    for layer in base.layers:
        layer.trainable = False
    image = keras.Input(base.input_shape[1:])
    pooled = keras.layers.GlobalAveragePooling2D()(base(image, training=False))
    probs = keras.layers.Dense(num_classes, activation="softmax")(keras.layers.Dropout(rate=dropout)(pooled))
    net = keras.Model(inputs=image, outputs=probs)
    net.compile(keras.optimizers.Adam(learning_rate=0.01), keras.losses.SparseCategoricalCrossentropy())
    return net


def trainable_counts(model):
    import numpy as np
    count = lambda ws: int(sum(np.prod(w.shape) for w in ws))  # noqa: E731
    return count(model.trainable_weights), count(model.non_trainable_weights)


def unfreeze_top(model, n):
    base = next(layer for layer in model.layers if hasattr(layer, "layers"))
    left = n
    for layer in reversed(base.layers):
        wanted = left > 0 and bool(layer.weights) and not isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = wanted
        if wanted:
            left -= 1
    model.compile(keras.optimizers.Adam(learning_rate=1e-5), keras.losses.SparseCategoricalCrossentropy())
    return model
