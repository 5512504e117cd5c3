"""Augments the feature maps of the first convolution instead of the images.

expect: regularized_model_rules FAIL "the augmenter is not the first part of the model"
expect: regularized_model_accuracy FAIL "the augmenter is not the first part of the model"
expect: hidden_regularized_model_shapes FAIL "the augmenter is not the first part of the model"
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


def build_regularized_model(input_shape, num_classes):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        build_augmenter(),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
