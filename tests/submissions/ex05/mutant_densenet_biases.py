"""DenseNet-121 with the Keras default use_bias=True on every convolution.

expect: densenet121_params FAIL "have biases"
expect: densenet121_layers FAIL "layer with weights number 1"
"""
import keras
from keras import layers


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(64, 7, strides=2, padding="same")(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    for i, n in enumerate([6, 12, 24, 16]):
        for _ in range(n):
            y = layers.Conv2D(128, 1)(layers.ReLU()(layers.BatchNormalization()(x)))
            y = layers.Conv2D(32, 3, padding="same")(layers.ReLU()(layers.BatchNormalization()(y)))
            x = layers.Concatenate()([x, y])
        if i < 3:
            x = layers.Conv2D(x.shape[-1] // 2, 1)(layers.ReLU()(layers.BatchNormalization()(x)))
            x = layers.AveragePooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(layers.ReLU()(layers.BatchNormalization()(x)))
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
