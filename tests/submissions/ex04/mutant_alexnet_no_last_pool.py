"""AlexNet without the MaxPooling after the fifth convolution: Flatten reads
13x13x256 = 43,264 features and the first Dense layer grows to 177 million weights.

expect: alexnet_params FAIL "no MaxPooling after the fifth convolution"
expect: alexnet_layers FAIL "layer 8"
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
        layers.Flatten(),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ])
