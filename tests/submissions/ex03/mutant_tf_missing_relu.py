"""TensorFlow-namespace activations (tf.nn.relu, tf.nn.softmax) with the same mistake as
mutant_missing_relu: the first convolution has no ReLU.  It must get that file's verdicts.

expect: conv_stack_layers FAIL "activation None instead of 'relu'"
expect: conv_stack_arguments FAIL "build_conv_stack("
expect: digits_model_accuracy ERROR "does not define build_digits_model"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack("
expect: conv_stack_arguments FAIL "build_conv_stack((28, 28, 1), 5): layer 1 is Conv2D(same)"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack(("
"""
import tensorflow as tf
from keras import layers

import keras


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same"),  # the ReLU is missing here
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation=tf.nn.relu),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", activation=tf.nn.relu),
        layers.Flatten(),
        layers.Dense(64, activation=tf.nn.relu),
        layers.Dense(num_classes, activation=tf.nn.softmax),
    ])
