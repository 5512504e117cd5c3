"""Functional API, activations as separate layers, a different digits design (from_logits).

expect: * PASS
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Conv2D(32, (3, 3), padding="same", name="c1")(inputs)
    x = layers.Activation("relu")(x)
    x = layers.MaxPool2D(pool_size=(2, 2))(x)
    x = layers.Conv2D(64, (3, 3), padding="same")(x)
    x = layers.ReLU()(x)
    x = layers.MaxPool2D()(x)
    x = layers.Conv2D(64, 3, kernel_initializer="he_normal")(x)
    x = layers.Activation("relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64)(x)
    x = layers.ReLU()(x)
    x = layers.Dense(num_classes)(x)
    outputs = layers.Softmax()(x)
    return keras.Model(inputs, outputs, name="stack")


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    logits = layers.Dense(num_classes)(x)
    model = keras.Model(inputs, logits)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model
