"""Tests of the judge-side tools of ex04-ex06 (grader/judge/graph.py, structure.py, truth.py) and of facts
their checks rely on: the references' counts equal keras.applications, the
canonical layer order ignores creation order, the comparison under identical
weights tells a swapped branch from the right one, the NMS mistake simulator
agrees with TensorFlow when no mistake is switched on."""
from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import layers

from grader.judge import graph as cnn
from grader.judge import structure, truth
from grader.answers import ex04_parameter_efficiency as ref04  # the reference blocks (the instructor's side)
from grader.answers import ex05_modern_cnn as ref05  # the reference blocks (the instructor's side)
from grader.checks import ex06_vision_applications as ex06
from grader.core.errors import Fail
from solutions import ex04_parameter_efficiency as sol04
from solutions import ex05_modern_cnn as sol05


@pytest.mark.parametrize("fn, app, count", [
    (sol04.vgg16, "VGG16", 138_357_544),
    (sol05.resnet50, "ResNet50", 25_636_712),
    (sol05.densenet121, "DenseNet121", 8_062_504),
])
def test_reference_counts_equal_keras_applications(fn, app, count):
    with cnn.no_weights():
        model = fn()
    want = truth.application_summary(app, (224, 224, 3), 1000)
    assert model.count_params() == want["params"] == count
    assert [cnn.signature(n) for n in cnn.Graph(model).weighted()] == want["weighted"]


def test_alexnet_reference_count():
    with cnn.no_weights():
        assert sol04.alexnet().count_params() == 62_378_344


def test_no_weights_allocates_no_variable_values():
    from keras.src.backend.common import global_state
    before = list(global_state.get_global_attribute("uninitialized_variables") or [])
    with cnn.no_weights():
        model = keras.applications.VGG16(weights=None)
    assert model.count_params() == 138_357_544
    assert all(v._value is None for v in model.weights)  # never filled, not even after the scope
    assert list(global_state.get_global_attribute("uninitialized_variables") or []) == before


def test_patched_application_summary_equals_a_real_build():
    patched = truth.application_summary("ResNet50", (96, 96, 3), 37)
    with cnn.no_weights():
        real = structure.summary(keras.applications.ResNet50(weights=None, input_shape=(96, 96, 3), classes=37))
    for key in ("params", "weighted", "rows", "adds", "output_shape"):
        assert patched[key] == real[key], key


def _residual_shortcut_first(x, filters, stride=1):
    s = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, strides=stride, padding="same")(x)))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    return layers.ReLU()(layers.Add()([s, y]))


def test_canonical_order_ignores_creation_order():
    a = cnn.Graph(cnn.block_model(ref05.ref_residual, (8, 8, 4), 6, 2))
    b = cnn.Graph(cnn.block_model(_residual_shortcut_first, (8, 8, 4), 6, 2))
    assert [cnn.signature(n) for n in a.weighted()] == [cnn.signature(n) for n in b.weighted()]
    # creation order differs: the raw layer lists do not agree
    assert [n.cls for n in a.nodes] != [n.cls for n in b.nodes]


def _inception_pool_first(x, f1, f3r, f3, f5r, f5, pp):
    """The 1x1 and the pool branches swapped in the concatenation."""
    b1 = layers.Conv2D(f1, 1, activation="relu")(layers.MaxPooling2D(3, strides=1, padding="same")(x))
    b3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(layers.Conv2D(f3r, 1, activation="relu")(x))
    b5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(layers.Conv2D(f5r, 1, activation="relu")(x))
    bp = layers.Conv2D(pp, 1, activation="relu")(x)
    return layers.Concatenate()([b1, b3, b5, bp])


def test_identical_weights_tell_a_swapped_branch_from_the_right_one():
    args = ((6, 7, 5), 4, 3, 4, 2, 3, 4)  # f1 == pool_proj: every weight shape lines up
    ref = cnn.block_model(ref05.ref_inception, *args)
    same = cnn.block_model(ref05.ref_inception, *args)
    swapped = cnn.block_model(_inception_pool_first, *args)
    cnn.compare_behaviour(same, ref, args[0], np.random.default_rng(0), "the reference itself")
    with pytest.raises(Fail, match="differs from the expected output"):
        cnn.compare_behaviour(swapped, ref, args[0], np.random.default_rng(0), "swapped branches")


def test_bias_left_open_and_epsilon_copied():
    """A basic block without conv biases and with another BN epsilon matches the reference."""
    def no_bias(x, filters, stride=1):
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
        y = layers.ReLU()(layers.BatchNormalization(epsilon=0.1)(y))
        y = layers.BatchNormalization(epsilon=0.1)(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
        s = layers.BatchNormalization(epsilon=0.1)(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
        return layers.ReLU()(layers.Add()([y, s]))
    got = cnn.block_model(no_bias, (6, 6, 3), 5, 2)
    ref = cnn.block_model(ref05.ref_residual, (6, 6, 3), 5, 2)
    cnn.compare_behaviour(got, ref, (6, 6, 3), np.random.default_rng(1), "no bias", bias_open=("Conv2D",))
    with pytest.raises(Fail, match="layer with weights number 1"):
        cnn.compare_behaviour(got, ref, (6, 6, 3), np.random.default_rng(1), "no bias, strict")


def test_receptive_field_from_keras_is_the_span():
    assert cnn.receptive_field([(3, 1), (3, 1)]) == 5
    assert cnn.receptive_field([(11, 4), (3, 2)]) == 19
    assert cnn.receptive_field([(1, 3), (1, 3), (2, 1)]) == 10  # kernels smaller than strides leave gaps


def test_nms_simulator_without_mistakes_agrees_with_tensorflow():
    """The instructor's NMS with its mistake knobs (grader/answers/, not in the release) is TensorFlow's
    without them."""
    from grader.answers import ex06_vision_applications as nms_truths
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(3, 20))
        boxes = ex06._grid_boxes(rng, n)
        scores = rng.integers(1, 5, n) / 8.0
        k, thr = int(rng.integers(1, n + 1)), float(rng.choice([0.0, 0.25, 0.5]))
        assert nms_truths.nms_variant(boxes, scores, k, thr).tolist() == \
            ex06.true_nms(boxes, scores, k, thr).tolist()


def test_tensorflow_nms_keeps_touching_boxes_and_breaks_ties_by_index():
    touching = np.array([[0, 0, 1, 1], [0, 1, 1, 2]], "float32")
    assert ex06.true_nms(touching, [0.5, 0.9], 10, 0.0).tolist() == [1, 0]
    ties = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]], "float32")
    assert ex06.true_nms(ties, [0.5, 0.5, 0.5], 10, 0.5).tolist() == [0]


def test_size_guard_refuses_a_memory_bomb_before_running_it():
    """The judge runs rebuilt student models: a tensor far larger than the block needs is refused."""
    def bomb(x, filters, num_convs):
        return ref04.ref_vgg_block(layers.MaxPooling2D(100)(layers.UpSampling2D(100)(x)), filters, num_convs)
    ref = cnn.block_model(ref04.ref_vgg_block, (16, 16, 3), 8, 2)
    fine = cnn.block_model(ref04.ref_vgg_block, (16, 16, 3), 8, 2)
    cnn.compare_behaviour(fine, ref, (16, 16, 3), np.random.default_rng(0), "fine")
    with pytest.raises(Fail, match="far more than this block needs"):
        cnn.compare_behaviour(cnn.block_model(bomb, (16, 16, 3), 8, 2), ref, (16, 16, 3),
                              np.random.default_rng(0), "bomb")
    x = keras.Input((None, None, 3))
    fcn = keras.Model(x, layers.Conv2D(2, 3)(layers.UpSampling2D(300)(x)))
    with pytest.raises(Fail, match="far more"):
        cnn.check_sizes(cnn.Graph(cnn.with_input_shape(fcn, (12, 12, 3))), 2**20, "fcn")
