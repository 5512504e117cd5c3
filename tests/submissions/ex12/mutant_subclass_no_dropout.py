"""A keras.Model subclass transfer model (built on keras.Input, compiled) with the same mistake as
mutant_no_dropout: the head has no Dropout.  It must get that file's verdicts.

expect: transfer_head FAIL "no Dropout"
expect: hidden_transfer FAIL "no Dropout"
"""
import keras
from keras import layers


class TransferModel(keras.Model):
    def __init__(self, base, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.pool = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        return self.classifier(self.pool(self.base(x, training=False)))


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    model = TransferModel(base, num_classes)  # the dropout argument is never used
    model(keras.Input(shape=base.input_shape[1:]))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    return (sum(int(keras.ops.size(w)) for w in model.trainable_weights),
            sum(int(keras.ops.size(w)) for w in model.non_trainable_weights))


def unfreeze_top(model, n):
    base = model.base
    base.trainable = True
    weighted = [layer for layer in base.layers if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    keep = weighted[-n:] if n > 0 else []
    for layer in base.layers:
        layer.trainable = layer in keep
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model
