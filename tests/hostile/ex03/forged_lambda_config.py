"""A forged reply whose config holds a Lambda layer with Python bytecode (sent through
grader.core.wire.StudentModel, so the child never writes it out): deserializing it would run the
bytecode in the grader.  The judge's allow-list refuses it before Keras sees it.

expect: conv_stack_layers ERROR "Lambda"
expect: conv_stack_arguments ERROR "Lambda"
expect: hidden_conv_stack_sizes ERROR "Lambda"
expect: digits_model_rules ERROR "does not define build_digits_model"
expect: digits_model_accuracy ERROR "does not define build_digits_model"
"""
import keras

from grader.core.wire import StudentModel


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(),
                              keras.layers.Dense(num_classes, activation="softmax")])
    config = keras.saving.serialize_keras_object(model)
    config["config"]["layers"].insert(1, {
        "module": "keras.layers", "class_name": "Lambda", "registered_name": None,
        "config": {"name": "touch", "function": {"class_name": "__lambda__", "config": {
            "code": "4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMIAAAAfABTACkBTqkAKQHaAXhyAgAAAHICAAAA+gg8c3RyaW5nPtoIPGxhbWJkYT4BAAAA8wAAAAA=",
            "defaults": None, "closure": None}}}})
    return StudentModel(config, None)
