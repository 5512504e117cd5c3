"""A keras.Model subclass (activations applied with tf.nn.relu / tf.nn.softmax in call) with the
same mistake as mutant_missing_relu: call skips the ReLU after the first convolution.  It must
get that file's verdicts.

expect: conv_stack_layers FAIL "activation None instead of 'relu'"
expect: conv_stack_arguments FAIL "build_conv_stack("
expect: digits_model_accuracy ERROR "does not define build_digits_model"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack("
expect: conv_stack_arguments FAIL "build_conv_stack((28, 28, 1), 5): layer 1 is Conv2D(same)"
expect: hidden_conv_stack_sizes FAIL "build_conv_stack(("
"""
import keras
import tensorflow as tf
from keras import layers


class Stack(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.c1 = layers.Conv2D(32, 3, padding="same")
        self.p1 = layers.MaxPooling2D(2)
        self.c2 = layers.Conv2D(64, 3, padding="same")
        self.p2 = layers.MaxPooling2D(2)
        self.c3 = layers.Conv2D(64, 3, padding="valid")
        self.flat = layers.Flatten()
        self.d1 = layers.Dense(64)
        self.d2 = layers.Dense(num_classes)

    def call(self, x):
        x = self.p1(self.c1(x))  # should be self.p1(tf.nn.relu(self.c1(x)))
        x = self.p2(tf.nn.relu(self.c2(x)))
        x = tf.nn.relu(self.c3(x))
        x = tf.nn.relu(self.d1(self.flat(x)))
        return tf.nn.softmax(self.d2(x))


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    model = Stack(num_classes)
    model(keras.Input(shape=input_shape))
    return model
