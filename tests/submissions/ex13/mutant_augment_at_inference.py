"""The flip from an old tf.image tutorial, in a Lambda layer: it ignores training, so it flips at inference too.

expect: augmenter_layers FAIL "Lambda instead of RandomFlip"
expect: augmenter_behaviour FAIL "augmentation applied at inference"
expect: hidden_augmenter_sizes FAIL "augmentation applied at inference"
expect: dropout_training ERROR "does not define dropout_forward"
expect: dropout_inference ERROR "does not define dropout_forward"
expect: dropout_seed ERROR "does not define dropout_forward"
expect: hidden_dropout ERROR "does not define dropout_forward"
expect: regularized_model_rules ERROR "does not define build_regularized_model"
expect: regularized_model_accuracy ERROR "does not define build_regularized_model"
expect: hidden_regularized_model_shapes ERROR "does not define build_regularized_model"
"""
import keras
import tensorflow as tf
from keras import layers


def build_augmenter():
    return keras.Sequential([
        layers.Lambda(lambda images: tf.image.random_flip_left_right(images)),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomRotation(0.05),
    ])
