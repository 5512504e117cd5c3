"""The child's side of judging any Keras idiom (grader/core/lowering.py), in this process: activations
named by what they compute, TensorFlow's initializers as Keras's, subclassed layers and models and
TensorFlow's functions written out as built-in layers that compute the same thing, and what makes a model
opaque.  (What the judge then does with it is tested through the grader in test_submissions.py and the
hostile corpora.)"""
from __future__ import annotations

import functools
import json

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from grader.core import guard, lowering
from grader.core.wire import StudentModel, decode_message, encode_message


# ------------------------------------------------------------------ activations by behaviour
@pytest.mark.parametrize("fn, name", [
    ("relu", "relu"), (keras.activations.relu, "relu"), (tf.nn.relu, "relu"), (tf.keras.activations.relu, "relu"),
    (lambda x: tf.maximum(x, 0.0), "relu"), (tf.nn.softmax, "softmax"), (lambda x: tf.nn.softmax(x, axis=-1), "softmax"),
    (tf.nn.sigmoid, "sigmoid"), (tf.math.tanh, "tanh"), (tf.nn.gelu, "gelu"), (tf.nn.elu, "elu"),
    (tf.nn.silu, "silu"), (tf.nn.relu6, "relu6"), (None, "linear"), (lambda x: x, "linear"),
    (layers.ReLU(), "relu"), (functools.partial(tf.nn.leaky_relu, alpha=0.2), "leaky_relu"),
])
def test_an_activation_is_named_by_what_it_computes(fn, name):
    assert lowering.identify_activation(fn) == name


@pytest.mark.parametrize("fn", [lambda x: 2.0 * x, lambda x: tf.maximum(x, 0.1 * x), lambda x: tf.nn.softmax(x, axis=0),
                                lambda x: "not a tensor"])
def test_a_function_no_keras_activation_computes_has_no_name(fn):
    assert lowering.identify_activation(fn) is None


# ------------------------------------------------------------------ initializers
def test_tensorflow_initializers_become_keras_ones_with_their_arguments():
    new, own = lowering.keras_initializer(tf.random_normal_initializer(0.0, 0.02))
    assert not own and isinstance(new, keras.initializers.RandomNormal)
    assert new.get_config()["stddev"] == pytest.approx(0.02) and new.get_config()["mean"] == 0.0
    new, own = lowering.keras_initializer(tf.keras.initializers.HeNormal())
    assert not own and isinstance(new, keras.initializers.HeNormal)


def test_an_initializer_of_the_students_own_is_marked():
    def halves(shape, dtype=None):
        return tf.fill(shape, 0.5)
    new, own = lowering.keras_initializer(halves)
    assert own and isinstance(new, keras.initializers.Initializer)


# ------------------------------------------------------------------ lowering
class ResidualUnit(layers.Layer):
    """Hands-On ML's residual unit: layers in lists, an activation function object between them."""

    def __init__(self, filters, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get("relu")
        conv = functools.partial(layers.Conv2D, kernel_size=3, padding="same", use_bias=False)
        self.main = [conv(filters, strides=strides), layers.BatchNormalization(), self.activation, conv(filters),
                     layers.BatchNormalization()]
        self.skip = [conv(filters, kernel_size=1, strides=strides), layers.BatchNormalization()] if strides > 1 else []

    def call(self, inputs):
        z, s = inputs, inputs
        for layer in self.main:
            z = layer(z)
        for layer in self.skip:
            s = layer(s)
        return tf.nn.relu(z + s)  # a TensorFlow function on the tensors


class Stack(keras.Model):
    def __init__(self, classes):
        super().__init__()
        self.conv = layers.Conv2D(4, 3, activation=tf.nn.relu, kernel_initializer=tf.random_normal_initializer(0., .1))
        self.flat, self.out = layers.Flatten(), layers.Dense(classes, activation=tf.nn.softmax)

    def call(self, x):
        return self.out(self.flat(self.conv(x)))


class MyConv(layers.Conv2D):
    """A student class that only fixes arguments: it is a Conv2D."""

    def __init__(self, filters):
        super().__init__(filters, 3, padding="same")


def _same_outputs(model, lowered, shape):
    x = np.random.default_rng(0).normal(size=(2, *shape)).astype("float32")
    a = keras.ops.convert_to_numpy(model(x, training=False))
    b = keras.ops.convert_to_numpy(lowered(x, training=False))
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def _rebuildable(lowered):
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(lowered), default=repr))
    assert guard.refusal(config) is None, guard.refusal(config)
    return config


def test_a_layer_subclass_is_written_out_as_the_built_in_layers_it_calls():
    x = keras.Input((8, 8, 4))
    model = keras.Model(x, ResidualUnit(6, strides=2)(x))
    lowered, opened, custom_init, config = lowering.lower(model)
    assert config is None and not custom_init
    assert any("ResidualUnit" in o for o in opened)
    classes = [layer["class_name"] for layer in _rebuildable(lowered)["config"]["layers"]]
    assert classes.count("Conv2D") == 3 and classes.count("BatchNormalization") == 3 and "ResidualUnit" not in classes
    assert lowered.count_params() == model.count_params()
    _same_outputs(model, lowered, (8, 8, 4))


def test_a_model_subclass_is_traced_on_the_shape_the_judge_gives():
    model = Stack(5)
    lowered, opened, custom_init, _config = lowering.lower(model, (6, 6, 1))
    config = _rebuildable(lowered)
    assert tuple(lowered.inputs[0].shape[1:]) == (6, 6, 1) and tuple(lowered.outputs[0].shape[1:]) == (5,)
    acts = [layer["config"].get("activation") for layer in config["config"]["layers"] if "activation" in
            layer["config"]]
    assert acts == ["relu", "softmax"]  # tf.nn.relu, tf.nn.softmax (softmax_v2) by behaviour
    init = config["config"]["layers"][1]["config"]["kernel_initializer"]
    assert init["class_name"] == "RandomNormal" and init["module"].startswith("keras")
    _same_outputs(model, lowered, (6, 6, 1))


def test_a_model_subclass_without_a_shape_cannot_be_traced():
    with pytest.raises(lowering.Opaque, match="input shape"):
        lowering.lower(Stack(3))


def test_a_student_class_with_a_built_in_call_is_that_built_in_layer():
    model = keras.Sequential([keras.Input((5, 5, 2)), MyConv(3), layers.Flatten(), layers.Dense(2)])
    lowered, opened, _custom, _config = lowering.lower(model)
    classes = [layer["class_name"] for layer in _rebuildable(lowered)["config"]["layers"]]
    assert classes[1] == "Conv2D" and any("subclass of Conv2D" in o for o in opened)
    _same_outputs(model, lowered, (5, 5, 2))


def test_a_lambda_is_written_out_as_the_operations_it_computes():
    model = keras.Sequential([keras.Input((4,)), layers.Lambda(lambda v: tf.nn.relu(v) * 2.0), layers.Dense(3)])
    lowered, _opened, _custom, _config = lowering.lower(model)
    classes = [layer["class_name"] for layer in _rebuildable(lowered)["config"]["layers"]]
    assert "Lambda" not in classes
    _same_outputs(model, lowered, (4,))


def test_a_model_of_built_in_layers_is_sent_as_it_is():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu")])
    lowered, opened, custom_init, config = lowering.lower(model)
    assert lowered is model and opened == [] and not custom_init and config is not None


def test_tensorflow_functions_on_symbolic_tensors_work_only_while_tracing():
    x = keras.Input((3,))
    with lowering.tf_ops():
        y = tf.nn.relu(tf.concat([x, x], axis=-1))
    assert tuple(y.shape) == (None, 6)
    with pytest.raises(ValueError, match="KerasTensor"):
        tf.nn.relu(x)  # as in plain Keras, for the student's own code


class OwnWeights(layers.Layer):
    def build(self, input_shape):
        self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gain")

    def call(self, x):
        return x * self.gain


def test_a_layer_that_makes_its_own_weights_is_opaque():
    model = keras.Sequential([keras.Input((4,)), OwnWeights(), layers.Dense(2)])
    with pytest.raises(lowering.Opaque, match="weights of its own"):
        lowering.lower(model)


def test_a_tensorflow_function_without_a_keras_twin_is_opaque_at_its_line():
    class Conv(layers.Layer):
        def build(self, shape):
            self.kernel = self.add_weight(shape=(3, 3, shape[-1], 2), name="kernel")

        def call(self, x):
            return tf.nn.conv2d(x, self.kernel, strides=1, padding="SAME")
    x = keras.Input((5, 5, 1))
    model = keras.Model(x, Conv()(x))
    reply = lowering.describe(model)
    assert reply.config is None and reply.facts.opaque_id.startswith("line {line}")
    assert "tf.nn.conv2d" in dict(reply.facts.opaque_params)["code"]
    assert reply.facts.params == 18 and reply.facts.output_shapes == ((5, 5, 2),)


def test_the_reply_is_typed_and_validated_on_arrival():
    x = keras.Input((8, 8, 4))
    reply = lowering.describe(keras.Model(x, ResidualUnit(4)(x)))
    _header, back = decode_message(encode_message({"status": "ok"}, reply))
    assert isinstance(back, StudentModel) and back.facts == reply.facts
    assert back.facts.written_as == "functional" and back.facts.params == reply.facts.params
    forged = encode_message({"status": "ok"}, reply).replace(b'"written_as": "functional"', b'"written_as": 7')
    with pytest.raises(Exception, match="unreadable"):
        decode_message(forged)


def test_an_opaque_model_runs_and_says_which_layers_ran():
    x = keras.Input((6,))
    h = OwnWeights()(x)
    model = keras.Model(x, layers.Dense(3)(layers.MultiHeadAttention(2, 4)(h[:, None, :], h[:, None, :])))
    run = lowering.run(model, [np.ones((2, 6), "float32")])
    assert [c.cls for c in run.layers] == ["OwnWeights", "MultiHeadAttention", "Dense"]  # MHA as one call
    assert run.layers[1].params == sum(int(np.prod(w)) for w in run.layers[1].weights)
    indices = [i for c in run.layers for i in c.weight_indices]
    assert sorted(indices) == list(range(len(model.weights)))
