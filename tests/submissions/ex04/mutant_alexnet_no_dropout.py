"""AlexNet without its Dropout layers: the count is right, the layer table is not.

expect: hidden_alexnet FAIL "expected Dropout"

expect: alexnet_params PASS
expect: alexnet_layers FAIL "expected Dropout"
"""
import keras
from keras import layers


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(96, 11, strides=4, activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(256, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(256, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Flatten(),
        layers.Dense(4096, activation="relu"),
        layers.Dense(4096, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
