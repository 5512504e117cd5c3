"""build_transfer_model returns a keras.Model subclass (the frozen base, GlobalAveragePooling2D,
Dropout and the softmax Dense layer as attributes; call runs the base with training=False), built
by calling it once on keras.Input of the base's input shape, then compiled; unfreeze_top finds the
base through the model's attribute.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


class TransferModel(keras.Model):
    def __init__(self, base, num_classes, dropout=0.2, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.pool = layers.GlobalAveragePooling2D()
        self.drop = layers.Dropout(dropout)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, images, training=None):
        features = self.base(images, training=False)
        return self.classifier(self.drop(self.pool(features), training=training))


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    model = TransferModel(base, num_classes, dropout)
    model(keras.Input(shape=base.input_shape[1:]))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def trainable_counts(model):
    return (sum(int(keras.ops.size(w)) for w in model.trainable_weights),
            sum(int(keras.ops.size(w)) for w in model.non_trainable_weights))


def unfreeze_top(model, n):
    base = model.base
    base.trainable = True
    weighted = [layer for layer in base.layers
                if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    top = set(id(layer) for layer in (weighted[-n:] if n > 0 else []))
    for layer in base.layers:
        layer.trainable = id(layer) in top
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
