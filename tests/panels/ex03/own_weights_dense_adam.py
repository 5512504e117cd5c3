"""A Dense layer written by hand (a keras.layers.Layer subclass that makes its own weights with add_weight,
as the Keras guide "Making new layers and models via subclassing" writes one) after two convolutions;
Adam at its default rate.  The judge cannot rebuild such a layer: the child trains the model and it is
scored on noisy copies of the test images (grader/judge/training.py) -- this design calibrates that path.

panel: PASS
"""
import keras
from keras import layers, ops


class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, x):
        return self.activation(ops.matmul(x, self.w) + self.b)


def build_digits_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    x = MyDense(32, activation="relu")(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
