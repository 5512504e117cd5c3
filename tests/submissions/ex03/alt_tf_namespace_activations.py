"""TensorFlow-namespace callables as activations: every ReLU is activation=tf.nn.relu and the
classifiers end in activation=tf.nn.softmax (the TensorFlow tutorials' spelling); both models are
correct and must score full marks, the trained digits model included.

expect: * PASS
"""
import keras
import tensorflow as tf
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, (3, 3), padding="same", activation=tf.nn.relu),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), padding="same", activation=tf.nn.relu),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation=tf.nn.relu),
        layers.Flatten(),
        layers.Dense(64, activation=tf.nn.relu),
        layers.Dense(num_classes, activation=tf.nn.softmax),
    ])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(16, 3, padding="same", activation=tf.nn.relu),
        layers.Conv2D(24, 3, padding="same", activation=tf.nn.relu),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(num_classes, activation=tf.nn.softmax),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
