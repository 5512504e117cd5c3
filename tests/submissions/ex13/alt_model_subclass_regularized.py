"""build_regularized_model returns a keras.Model subclass: the augmenter (build_augmenter()) is
its first attribute and the first thing call applies (passing training on), then the
reference's three Conv2D-BatchNormalization-ReLU-MaxPooling2D blocks, Flatten, Dropout(0.2) and
a softmax Dense layer; built by calling it once on keras.Input(shape=input_shape), compiled with
Adam(5e-3).  Correct, within 50,000 parameters: full marks, the trained accuracy included.

expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def dropout_forward(x, rate, training, seed):
    x = np.asarray(x)
    if not training or rate == 0:
        return x
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0).astype(x.dtype)


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ])


class RegularizedCNN(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.augmenter = build_augmenter()
        self.blocks = []
        for filters in (16, 32, 64):
            self.blocks.append([layers.Conv2D(filters, 3, padding="same", use_bias=False),
                                layers.BatchNormalization(momentum=0.9),
                                layers.ReLU(),
                                layers.MaxPooling2D(2)])
        self.flatten = layers.Flatten()
        self.dropout = layers.Dropout(0.2)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.augmenter(x, training=training)
        for conv, norm, relu, pool in self.blocks:
            x = pool(relu(norm(conv(x), training=training)))
        x = self.dropout(self.flatten(x), training=training)
        return self.classifier(x)


def build_regularized_model(input_shape, num_classes):
    model = RegularizedCNN(num_classes)
    model(keras.Input(shape=input_shape))
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
