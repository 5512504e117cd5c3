"""Within the rules (Flatten, Dropout 0.3, Adam at 5e-3), but one filter, pooled 6x6 before Flatten: 36
numbers cannot tell the shapes apart, and the message says so -- learned too slowly for the budget, the
training accuracy (0.40) short of the threshold too, 83 parameters, the rate within the range that works (so
the hint does not point at it: it says to use more filters).

expect: regularized_model_accuracy FAIL "learned too slowly for the budget"
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
        layers.Conv2D(1, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
        layers.MaxPooling2D(6),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(5e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
