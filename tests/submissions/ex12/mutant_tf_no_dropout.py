"""TensorFlow-namespace spelling (tf.keras.layers, Dense(num_classes, activation=tf.nn.softmax))
with the same mistake as mutant_no_dropout: the head has no Dropout.  It must get that file's
verdicts.

expect: transfer_head FAIL "no Dropout"
expect: hidden_transfer FAIL "no Dropout"
"""
import tensorflow as tf


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = tf.keras.Input(shape=base.input_shape[1:])
    x = tf.keras.layers.GlobalAveragePooling2D()(base(inputs, training=False))
    outputs = tf.keras.layers.Dense(num_classes, activation=tf.nn.softmax)(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    return (int(sum(tf.size(w) for w in model.trainable_weights)),
            int(sum(tf.size(w) for w in model.non_trainable_weights)))


def unfreeze_top(model, n):
    base = [layer for layer in model.layers if isinstance(layer, tf.keras.Model)][0]
    base.trainable = True
    weighted = [layer for layer in base.layers
                if layer.weights and not isinstance(layer, tf.keras.layers.BatchNormalization)]
    keep = weighted[-n:] if n > 0 else []
    for layer in base.layers:
        layer.trainable = layer in keep
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model
