"""Everything through TensorFlow's namespace: tf.keras.Sequential / tf.keras.layers, activations
as tf.keras.activations.relu and tf.keras.layers.Activation(tf.nn.relu), initializers
tf.keras.initializers.HeNormal() and tf.random_normal_initializer(0., 0.05), a tf.keras loss
object.  Both models are correct and must score full marks.

expect: * PASS
"""
import tensorflow as tf


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    he = tf.keras.initializers.HeNormal()
    model = tf.keras.Sequential(name="tf_keras_stack")
    model.add(tf.keras.layers.InputLayer(shape=input_shape))
    model.add(tf.keras.layers.Conv2D(32, 3, padding="same", activation=tf.keras.activations.relu,
                                     kernel_initializer=he))
    model.add(tf.keras.layers.MaxPool2D(2))
    model.add(tf.keras.layers.Conv2D(64, 3, padding="same", kernel_initializer=he))
    model.add(tf.keras.layers.Activation(tf.nn.relu))
    model.add(tf.keras.layers.MaxPool2D(2))
    model.add(tf.keras.layers.Conv2D(64, 3, padding="valid", activation=tf.keras.activations.relu,
                                     kernel_initializer=he))
    model.add(tf.keras.layers.Flatten())
    model.add(tf.keras.layers.Dense(64, activation=tf.nn.relu,
                                    kernel_initializer=tf.random_normal_initializer(0., 0.05)))
    model.add(tf.keras.layers.Dense(num_classes, activation=tf.keras.activations.softmax))
    return model


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.layers.Conv2D(16, 3, padding="same", kernel_initializer=tf.keras.initializers.HeNormal())(inputs)
    x = tf.keras.layers.Activation(tf.nn.relu)(x)
    x = tf.keras.layers.MaxPool2D()(x)
    x = tf.keras.layers.Conv2D(32, 3, padding="same", activation=tf.nn.relu,
                               kernel_initializer=tf.random_normal_initializer(0., 0.05))(x)
    x = tf.keras.layers.Flatten()(x)
    outputs = tf.keras.layers.Dense(num_classes, activation=tf.nn.softmax)(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
