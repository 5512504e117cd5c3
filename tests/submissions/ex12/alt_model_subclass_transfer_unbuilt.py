"""build_transfer_model returns a keras.Model subclass that is compiled but never built: its
Dense layer gets its weights at the first call (fit).  unfreeze_top finds the base as the
keras.Model among model.layers.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers


class FrozenBaseClassifier(keras.Model):
    def __init__(self, base, num_classes, rate, **kwargs):
        super().__init__(**kwargs)
        base.trainable = False
        self.backbone = base
        self.gap = layers.GlobalAveragePooling2D()
        self.dropout = layers.Dropout(rate)
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.backbone(x, training=False)
        x = self.gap(x)
        x = self.dropout(x, training=training)
        return self.out(x)


def build_transfer_model(base, num_classes, dropout=0.2):
    model = FrozenBaseClassifier(base, num_classes, dropout)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    trainable = sum(int(keras.ops.size(w)) for w in model.trainable_weights)
    non_trainable = sum(int(keras.ops.size(w)) for w in model.non_trainable_weights)
    return trainable, non_trainable


def unfreeze_top(model, n):
    (base,) = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    base.trainable = True
    for layer in base.layers:
        layer.trainable = False
    weighted = [layer for layer in base.layers
                if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    for layer in weighted[len(weighted) - n:] if n > 0 else []:
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-5), loss="sparse_categorical_crossentropy")
    return model
