"""The head is a keras.layers.Layer subclass (GlobalAveragePooling2D, Dropout and a Dense layer
without activation as attributes) whose call applies tf.nn.softmax to the Dense layer's output:
the probabilities come from a TensorFlow op, not from a layer's activation.  All correct: full
marks.

expect: * PASS
"""
import keras
import tensorflow as tf
from keras import layers


class SoftmaxHead(keras.layers.Layer):
    def __init__(self, num_classes, rate, **kwargs):
        super().__init__(**kwargs)
        self.pool = layers.GlobalAveragePooling2D()
        self.dropout = layers.Dropout(rate)
        self.logits = layers.Dense(num_classes)

    def call(self, feature_map, training=None):
        x = self.dropout(self.pool(feature_map), training=training)
        return tf.nn.softmax(self.logits(x), axis=-1)


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    outputs = SoftmaxHead(num_classes, dropout)(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    count = lambda ws: sum(int(keras.ops.size(w)) for w in ws)  # noqa: E731
    return count(model.trainable_weights), count(model.non_trainable_weights)


def unfreeze_top(model, n):
    base = next(layer for layer in model.layers if isinstance(layer, keras.Model))
    base.trainable = True
    weighted = [layer for layer in base.layers if layer.weights and not isinstance(layer, layers.BatchNormalization)]
    top = weighted[len(weighted) - n:] if n > 0 else []
    for layer in base.layers:
        layer.trainable = any(layer is chosen for chosen in top)
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model
