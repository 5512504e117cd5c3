"""TensorFlow-namespace spelling: tf.keras.Sequential, tf.keras.layers.RandomFlip /
RandomTranslation / RandomRotation, Conv2D(kernel_initializer=tf.keras.initializers.HeNormal()),
tf.keras.layers.Activation(tf.nn.relu), Dense(num_classes, activation=tf.nn.softmax,
kernel_initializer=tf.random_normal_initializer(0., 0.05)), tf.keras.optimizers.Adam.  Correct,
within 50,000 parameters: full marks, the trained accuracy included.

expect: * PASS
"""
import numpy as np
import tensorflow as tf

L = tf.keras.layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return tf.keras.Sequential([
        L.RandomFlip("horizontal"),
        L.RandomTranslation(height_factor=0.1, width_factor=0.1),
        L.RandomRotation(factor=0.05),
    ])


def build_regularized_model(input_shape, num_classes):
    model = tf.keras.Sequential([tf.keras.Input(shape=input_shape), build_augmenter()])
    for filters in (16, 32, 64):
        model.add(L.Conv2D(filters, 3, padding="same", use_bias=False,
                           kernel_initializer=tf.keras.initializers.HeNormal()))
        model.add(L.BatchNormalization(momentum=0.9))
        model.add(L.Activation(tf.nn.relu))
        model.add(L.MaxPool2D(2))
    model.add(L.Flatten())
    model.add(L.Dropout(0.2))
    model.add(L.Dense(num_classes, activation=tf.nn.softmax,
                      kernel_initializer=tf.random_normal_initializer(0., 0.05)))
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=5e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
