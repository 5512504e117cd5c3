"""TensorFlow-namespace spelling (tf.keras.Sequential, activation=tf.nn.relu, tf.nn.softmax)
with the same mistake as mutant_model_no_dropout: no Dropout anywhere.  It must get that file's
verdicts.

expect: regularized_model_rules FAIL "no Dropout layer"
expect: regularized_model_accuracy FAIL "no Dropout layer"
expect: hidden_regularized_model_shapes FAIL "no Dropout layer"
expect: dropout_training ERROR "does not define dropout_forward"
expect: dropout_inference ERROR "does not define dropout_forward"
expect: dropout_seed ERROR "does not define dropout_forward"
expect: hidden_dropout ERROR "does not define dropout_forward"
"""
import tensorflow as tf

L = tf.keras.layers


def build_augmenter():
    return tf.keras.Sequential([
        L.RandomFlip("horizontal"),
        L.RandomTranslation(0.1, 0.1),
        L.RandomRotation(0.05),
    ])


def build_regularized_model(input_shape, num_classes):
    model = tf.keras.Sequential([
        tf.keras.Input(shape=input_shape),
        build_augmenter(),
        L.Conv2D(16, 3, padding="same", activation=tf.nn.relu),
        L.MaxPooling2D(2),
        L.Conv2D(32, 3, padding="same", activation=tf.nn.relu),
        L.GlobalAveragePooling2D(),
        L.Dense(num_classes, activation=tf.nn.softmax),
    ])
    model.compile(tf.keras.optimizers.Adam(), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
