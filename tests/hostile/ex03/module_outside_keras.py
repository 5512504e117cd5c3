"""A forged config whose layer names a module outside keras (os.system), which a
careless deserializer would import and call.

expect: * ERROR "outside keras"
"""
import keras
from grader.core.wire import StudentModel


def _forged(input_shape):
    small = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten(), keras.layers.Dense(10)])
    config = keras.saving.serialize_keras_object(small)
    config["config"]["layers"][1] = {"module": "os", "class_name": "system", "registered_name": None,
                                     "config": {"command": "touch /tmp/pwned-by-ex03"}}
    return StudentModel(config, None)


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return _forged(input_shape)


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    return _forged(input_shape)
