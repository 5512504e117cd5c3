"""A functional model whose head is a keras.layers.Layer subclass; Adam() at its default rate.

panel: PASS
"""
import keras
from keras import layers


class Head(keras.layers.Layer):
    def __init__(self, num_classes, dropout, **kwargs):
        super().__init__(**kwargs)
        self.pool = layers.GlobalAveragePooling2D()
        self.dropout = layers.Dropout(dropout)
        self.dense = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        return self.dense(self.dropout(self.pool(x), training=training))


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = Head(num_classes, dropout)(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy")
    return model
