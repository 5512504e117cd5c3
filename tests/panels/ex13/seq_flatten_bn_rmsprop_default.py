"""Sequential built with add(), Conv2D-BatchNormalization-ReLU blocks of 16, 24 and 32 filters,
Flatten, Dropout(0.3); "rmsprop" at its default rate.

panel: PASS
"""
import keras
from keras import layers


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ])


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential()
    model.add(keras.Input(shape=input_shape))
    model.add(build_augmenter())
    for filters in (16, 24, 32):
        model.add(layers.Conv2D(filters, kernel_size=3, padding="same"))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
        model.add(layers.MaxPooling2D(pool_size=2))
    model.add(layers.Flatten())
    model.add(layers.Dropout(0.3))
    model.add(layers.Dense(num_classes, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
