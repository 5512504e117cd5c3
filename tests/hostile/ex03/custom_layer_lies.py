"""A custom layer that lies about its weights: it says it has 10 parameters and
no kernel, but is a Dense of 2,000 units.  The judge rebuilds built-in layers
only, so it is refused before anything is built.

expect: * ERROR "custom object"
"""
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="keras")
class Small(layers.Dense):
    def count_params(self):
        return 10

    @property
    def weights(self):
        return []


def _model(input_shape, num_classes):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(8, 3, activation="relu"),
                              layers.Flatten(), Small(2_000), layers.Dense(num_classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _model(input_shape, num_classes)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return _model(input_shape, num_classes)
