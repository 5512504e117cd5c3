"""A wide Dense layer after Flatten: far over the 50,000-parameter budget.

expect: regularized_model_rules FAIL "more than the budget of 50,000"
expect: regularized_model_accuracy FAIL "more than the budget of 50,000"
expect: hidden_regularized_model_shapes FAIL "more than the budget of 50,000"
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
        build_augmenter(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
