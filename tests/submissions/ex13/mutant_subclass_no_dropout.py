"""A keras.Model subclass (the augmenter first in call, built on keras.Input, compiled) with the
same mistake as mutant_model_no_dropout: no Dropout anywhere.  It must get that file's verdicts.

expect: regularized_model_rules FAIL "no Dropout layer"
expect: regularized_model_accuracy FAIL "no Dropout layer"
expect: hidden_regularized_model_shapes FAIL "no Dropout layer"
expect: dropout_training ERROR "does not define dropout_forward"
expect: dropout_inference ERROR "does not define dropout_forward"
expect: dropout_seed ERROR "does not define dropout_forward"
expect: hidden_dropout ERROR "does not define dropout_forward"
"""
import keras
from keras import layers


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ])


class NoDropoutCNN(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.augmenter = build_augmenter()
        self.conv1 = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D(2)
        self.conv2 = layers.Conv2D(32, 3, padding="same", activation="relu")
        self.gap = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.augmenter(x, training=training)
        x = self.conv2(self.pool(self.conv1(x)))
        return self.classifier(self.gap(x))


def build_regularized_model(input_shape, num_classes):
    model = NoDropoutCNN(num_classes)
    model(keras.Input(shape=input_shape))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
