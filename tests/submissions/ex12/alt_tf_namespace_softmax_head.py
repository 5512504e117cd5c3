"""TensorFlow-namespace spelling: the head is tf.keras.layers.GlobalAveragePooling2D, Dropout and
Dense(num_classes, activation=tf.nn.softmax) (TensorFlow's tutorials write it so), compiled with
tf.keras.optimizers.Adam and a tf.keras loss object; unfreeze_top recompiles with
tf.keras.optimizers.Adam(1e-5).  All correct: full marks.

expect: * PASS
"""
import tensorflow as tf


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = tf.keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    x = tf.keras.layers.Dropout(dropout)(x)
    outputs = tf.keras.layers.Dense(num_classes, activation=tf.nn.softmax)(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-2),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model


def trainable_counts(model):
    def count(variables):
        return int(sum(tf.size(v).numpy() for v in variables))
    return count(model.trainable_weights), count(model.non_trainable_weights)


def unfreeze_top(model, n):
    base = [layer for layer in model.layers if isinstance(layer, tf.keras.Model)][0]
    base.trainable = True
    candidates = [layer for layer in base.layers
                  if layer.weights and not isinstance(layer, tf.keras.layers.BatchNormalization)]
    chosen = candidates[-n:] if n > 0 else []
    for layer in base.layers:
        layer.trainable = layer in chosen
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-5),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
