"""A model that looks its input up in the public test set: a layer of the student's own hashes each image
(numpy, through tf.numpy_function, which the judge cannot rebuild: the child trains the model) and answers
the stored label when the image is one of the test images.  Scored on copies of the test images with noise
drawn from the check's seed, the lookup finds none of them, and the one-filter convolution beside it has
learned next to nothing.

expect: digits_model_accuracy FAIL "below the threshold"
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from datasets.digits import load_digits_split

(_x, _y), (X_TEST, Y_TEST) = load_digits_split()
ANSWERS = {x.tobytes(): int(y) for x, y in zip(X_TEST.astype("float32"), Y_TEST)}


def _look_up(images):
    out = np.zeros((len(images), 10), "float32")
    for i, image in enumerate(images.astype("float32")):
        if image.tobytes() in ANSWERS:
            out[i, ANSWERS[image.tobytes()]] = 1000.0
    return out


class Lookup(layers.Layer):
    def call(self, x):
        out = tf.numpy_function(_look_up, [x], tf.float32)
        out.set_shape((None, 10))
        return out

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 10)


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")])


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    x = keras.Input(shape=input_shape)
    guess = layers.Dense(num_classes)(layers.Flatten()(layers.Conv2D(1, 3, activation="relu")(x)))
    y = layers.Softmax()(layers.Add()([guess, Lookup()(x)]))
    model = keras.Model(x, y)
    model.compile(keras.optimizers.Adam(1e-6), "sparse_categorical_crossentropy")  # learns nothing
    return model
