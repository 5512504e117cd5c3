"""The judge compares what a model computes, never how it is spelled (issue #25, the syllabus's "may write
it any equivalent way").

1. No check or judge tool compares an activation, an initializer or a class by its name (a static scan of
   grader/checks and grader/judge: the pattern the project's before-stop hook warns about).  Classes of the
   judge's own rebuilt models are compared with ``isinstance``, activations by the name the child derived
   from what the function computes (``grader.core.lowering.identify_activation``).
2. The same conv stack spelled a dozen ways -- activations as strings, Keras functions, TensorFlow
   functions, lambdas and separate layers; TensorFlow and Keras initializers; Sequential, functional and
   subclassed -- gets the same verdict, and a wrong activation gets the same FAIL whatever its spelling.
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the hook's pattern: a name compared where behaviour decides
NAME_COMPARISON = re.compile(r"""(activation|initializer|class_name|__name__)['"]?\]? *(==|!=|in) """)


def test_no_check_or_judge_tool_compares_a_name_where_behaviour_decides():
    found = []
    for folder in ("grader/checks", "grader/judge"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if NAME_COMPARISON.search(line) and not line.lstrip().startswith("#"):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_the_scan_finds_a_name_comparison():  # the scan above can fail
    assert NAME_COMPARISON.search('if cfg["activation"] == "relu":')
    assert NAME_COMPARISON.search("if type(layer).__name__ in classes:")
    assert not NAME_COMPARISON.search("if isinstance(layer, keras.layers.Dense):")


HEADER = """
import functools
import keras
import tensorflow as tf
from keras import layers
"""

# (name, code of build_conv_stack's layers between keras.Input and the end), the activations spelled apart
STACK = """
def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, 3, padding="same", {relu}), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", {relu}), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="valid", {relu}), layers.Flatten(),
        layers.Dense(64, {relu}), layers.Dense(num_classes, {softmax})])
"""
SPELLINGS = {
    "strings": ('activation="relu"', 'activation="softmax"'),
    "keras_functions": ("activation=keras.activations.relu", "activation=keras.activations.softmax"),
    "tf_nn": ("activation=tf.nn.relu", "activation=tf.nn.softmax"),
    "tf_keras": ("activation=tf.keras.activations.relu", "activation=tf.keras.activations.softmax"),
    "lambdas": ("activation=lambda x: tf.nn.relu(x)", "activation=lambda x: tf.exp(x) / tf.reduce_sum(tf.exp(x), "
                "axis=-1, keepdims=True)"),
    "partials": ("activation=functools.partial(keras.activations.relu)", "activation=functools.partial("
                 "tf.nn.softmax, axis=-1)"),
    "initializers": ("activation=tf.nn.relu, kernel_initializer=tf.random_normal_initializer(0., 0.02), "
                     "bias_initializer=tf.keras.initializers.Constant(0.1)",
                     'activation="softmax", kernel_initializer=tf.keras.initializers.HeNormal()'),
}
SEPARATE = """
def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    x = inputs = keras.Input(shape=input_shape)
    x = layers.Activation(tf.nn.relu)(layers.Conv2D(32, 3, padding="same")(x))
    x = layers.MaxPooling2D(2)(x)
    x = layers.ReLU()(layers.Conv2D(64, 3, padding="same")(x))
    x = layers.MaxPooling2D(2)(x)
    x = keras.ops.relu(layers.Conv2D(64, 3, padding="valid")(x))
    x = layers.Flatten()(x)
    x = layers.Activation("relu")(layers.Dense(64)(x))
    return keras.Model(inputs, layers.Softmax()(layers.Dense(num_classes)(x)))
"""
SUBCLASSED = """
class Stack(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.convs = [layers.Conv2D(32, 3, padding="same"), layers.Conv2D(64, 3, padding="same"),
                      layers.Conv2D(64, 3)]
        self.pool, self.flat = layers.MaxPooling2D(2), layers.Flatten()
        self.hidden, self.out = layers.Dense(64), layers.Dense(num_classes)

    def call(self, x):
        x = self.pool(tf.nn.relu(self.convs[0](x)))
        x = self.pool(tf.nn.relu(self.convs[1](x)))
        x = self.flat(tf.nn.relu(self.convs[2](x)))
        return tf.nn.softmax(self.out(tf.nn.relu(self.hidden(x))))


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return Stack(num_classes)
"""
CASES = {name: STACK.format(relu=relu, softmax=softmax) for name, (relu, softmax) in SPELLINGS.items()}
CASES["separate_layers"] = SEPARATE
CASES["subclassed_with_tf_nn_calls"] = SUBCLASSED


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_conv_stack_passes_however_its_activations_are_spelled(grade, tmp_path, name):
    path = tmp_path / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(CASES[name]))
    report = grade("ex03", path, only=["conv_stack_layers", "conv_stack_arguments"])
    assert [(c.name, c.status.value) for c in report.checks] == [("conv_stack_layers", "PASS"),
                                                                  ("conv_stack_arguments", "PASS")], \
        [(c.name, c.message) for c in report.checks]


@pytest.mark.parametrize("sigmoid", ["activation=tf.nn.sigmoid", 'activation="sigmoid"',
                                     "activation=lambda x: 1 / (1 + tf.exp(-x))"])
def test_a_wrong_activation_fails_the_same_way_whatever_its_spelling(grade, tmp_path, sigmoid):
    path = tmp_path / "wrong.py"
    path.write_text(HEADER + textwrap.dedent(STACK.format(relu=sigmoid, softmax='activation="softmax"')))
    (check,) = grade("ex03", path, only=["conv_stack_layers"]).checks
    assert check.status.value == "FAIL"
    assert "activation 'sigmoid' instead of 'relu'" in check.message, check.message
