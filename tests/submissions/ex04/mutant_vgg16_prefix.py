"""VGG16 that stops after the second Dense 4096: every layer it has matches,
but the classifier is missing -- a prefix match must fail.

expect: vgg16_layers FAIL "are missing"
expect: vgg16_params FAIL "returned 134260544"
"""
import keras
from keras import layers


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, n in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(n):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(4096, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(4096, activation="relu")(x))
