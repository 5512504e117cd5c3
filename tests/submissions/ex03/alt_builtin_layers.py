"""Built-in Keras layers the reference never uses: activations as keras.activations functions
and a Softmax layer in the conv stack; a digits model with Rescaling, Normalization (fixed mean
and variance), SeparableConv2D, LeakyReLU and Identity -- the rules only
ask for one Conv2D and 20,000 parameters.  Both are correct and must score full marks.

expect: * PASS
"""
import keras
from keras import layers


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(32, 3, padding="same", activation=keras.activations.relu)(inputs)
    x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    x = layers.Conv2D(64, 3, padding="same")(x)
    x = layers.Activation(keras.activations.relu)(x)
    x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
    x = layers.Conv2D(64, 3, padding="valid", activation=keras.activations.relu)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation=keras.activations.relu)(x)
    x = layers.Dense(num_classes)(x)
    return keras.Model(inputs, layers.Softmax(axis=-1)(x))


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Rescaling(2.0, offset=-1.0),           # [0, 1] -> [-1, 1]
        layers.Normalization(mean=0.0, variance=0.5),  # a fixed standardisation, no adapt()
        layers.Conv2D(16, 3, padding="same"),
        layers.LeakyReLU(negative_slope=0.1),
        layers.SeparableConv2D(32, 3, padding="same"),
        layers.LeakyReLU(negative_slope=0.1),
        layers.Identity(),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
