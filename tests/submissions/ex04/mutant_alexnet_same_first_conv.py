"""AlexNet whose first 11x11/4 convolution pads "same": 57x57 maps instead of
55x55.  At 227x227 the pooling brings it back to 6x6x256, so the parameter
count is right -- only the layer table shows the mistake.

expect: alexnet_layers FAIL "layer 1"
expect: alexnet_params PASS
expect: hidden_alexnet FAIL "layer 1"
"""
import keras
from keras import layers


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(96, 11, strides=4, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(256, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(256, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Flatten(),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ])
