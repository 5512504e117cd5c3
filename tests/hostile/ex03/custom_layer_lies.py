"""A custom layer that lies about its weights: it says it has 10 parameters and
no kernel, but is a Dense of 2,000 units (registered as if it were Keras's own).
It inherits Dense's call, so the child writes it out as the Dense it is, with
the weights Keras's own lists hold (not the ``weights`` it claims), and the
judge counts them: over the budget.  (Before the judge read subclasses, this
was refused as a custom object: an ERROR.)

expect: conv_stack_layers FAIL "over this exercise's budget"
expect: conv_stack_arguments FAIL "over this exercise's budget"
expect: hidden_conv_stack_sizes FAIL "over this exercise's budget"
expect: digits_model_rules FAIL "more than the budget of 20,000"
expect: digits_model_accuracy FAIL "not trained"
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
