"""Sequential, Conv2D-BatchNormalization-ReLU blocks (16, 32, 32 filters), Flatten, Dropout(0.3);
Adam(1e-2), above the docstring's Adam rates (1e-3 to 5e-3).

panel: FAIL "by the rule of the docstring"
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
    model = keras.Sequential([keras.Input(shape=input_shape), build_augmenter()])
    for filters in (16, 32, 32):
        model.add(layers.Conv2D(filters, 3, padding="same"))
        model.add(layers.BatchNormalization())
        model.add(layers.ReLU())
        model.add(layers.MaxPooling2D())
    model.add(layers.Flatten())
    model.add(layers.Dropout(0.3))
    model.add(layers.Dense(num_classes, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
