"""Everything right but the head's learning rate, Adam at 1e-6: the head does not learn in the budget, and
the message says what the grader saw -- did not learn, the training accuracy near chance too, the rate far
below the range that works -- with a hint to raise it.

expect: transfer_accuracy FAIL "did not learn"
expect: * PASS
"""
import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    model = keras.Sequential([
        keras.Input(shape=tuple(base.inputs[0].shape[1:])),
        base,
        layers.GlobalAveragePooling2D(),
        layers.Dropout(dropout),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.optimizer.learning_rate = 1e-6
    return model


def trainable_counts(model):
    total = model.count_params()
    trainable = sum(int(keras.ops.size(v)) for v in model.trainable_weights)
    return trainable, total - trainable


def unfreeze_top(model, n):
    base = model.layers[0]
    base.trainable = True
    candidates = [i for i, layer in enumerate(base.layers)
                  if layer.weights and type(layer).__name__ != "BatchNormalization"]
    chosen = set(candidates[-n:]) if n else set()
    for i, layer in enumerate(base.layers):
        layer.trainable = i in chosen
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
