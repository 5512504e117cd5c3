"""Only two of the three layers: no RandomRotation.

expect: augmenter_layers FAIL "missing layer"
expect: dropout_training ERROR "does not define dropout_forward"
expect: dropout_inference ERROR "does not define dropout_forward"
expect: dropout_seed ERROR "does not define dropout_forward"
expect: hidden_dropout ERROR "does not define dropout_forward"
expect: regularized_model_rules ERROR "does not define build_regularized_model"
expect: regularized_model_accuracy ERROR "does not define build_regularized_model"
expect: hidden_regularized_model_shapes ERROR "does not define build_regularized_model"
"""
import keras
from keras import layers


def build_augmenter():
    return keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
    ])
