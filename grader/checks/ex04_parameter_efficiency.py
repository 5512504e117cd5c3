"""Checks of ex04: receptive fields and counts against Keras, VGG/bottleneck
blocks layer by layer and under identical weights, AlexNet and VGG16 by their
layer tables and parameter counts (built without weights, never run)."""
from __future__ import annotations

import json

import keras

from grader.judge import N_, Exercise, _, answers, expect, graph, memo, structure, truth

EXERCISE = Exercise("ex04", N_("Parameter efficiency: 3x3 stacks, 1x1 convolutions, AlexNet, VGG16"),
                    "ex04_parameter_efficiency", timeout=20, memory_mb=3072,
                    max_params=300_000_000, max_tensor=250_000_000,  # VGG16 and AlexNet variants, built weightless
                    recipes="grader.recipes.ex04_parameter_efficiency",
                    child_weights=False,  # blocks are compared under weights the judge gives both sides
                    summary=N_("receptive fields, stacked-conv counts, VGG and bottleneck blocks, AlexNet, VGG16"))

FIELDS = ("class", "output_shape", "params", "activation")
BIG = 60  # seconds for checks that build a full-size network


# ------------------------------------------------------------ references (plain Keras, judge side)
# The references -- the VGG and bottleneck blocks, AlexNet, and the AlexNet and VGG16 variants that make a
# known mistake -- are the instructor's code (grader/answers/ex04_parameter_efficiency.py): the checks get a
# block's or AlexNet's Keras config on the case's input, and the variants' parameter counts
# (grader.judge.answers), which the student release ships for the public cases instead of the code.  VGG16
# itself is keras.applications.VGG16 (Keras's own, ``truth.application_summary``).
ANSWERS = answers.Table("ex04_parameter_efficiency")
VGG_BLOCK, BOTTLENECK = "vgg_block", "bottleneck"  # the reference blocks, by name


def _block_model(reference: str, input_shape, *args):
    """The reference block ``reference`` on keras.Input(input_shape), as a keras.Model without weights."""
    config = ANSWERS("block_config", reference, tuple(input_shape), *args)
    return graph.weightless_model(config)


def _config_text(config: dict) -> str:
    return json.dumps(config, sort_keys=True, default=repr)


@memo(key=_config_text, maxsize=8)
def _alexnet_reference(config: dict) -> dict:
    """Rows and count of the reference AlexNet read off its config, once per process for the same config."""
    with graph.no_weights():
        ref = keras.saving.deserialize_keras_object(config)
        return {"rows": _rows(ref, drop={"ZeroPadding2D"}), "params": int(ref.count_params())}


ALEXNET_MISTAKES = {  # labels marked with N_ and translated by expect when named
    N_("the first convolution uses 'same' padding (AlexNet's is 'valid')"): dict(conv1_padding="same"),
    N_("no MaxPooling after the fifth convolution (Flatten reads the unpooled map, 13x13x256 at 227x227)"):
        dict(last_pool=False),
    N_("the convolutions and Dense layers have no biases"): dict(use_bias=False),
}


def alexnet_truth(input_shape: tuple, num_classes: int) -> dict:
    """Rows and count of the reference AlexNet, and the counts of known mistakes (all asked for, whatever the
    submission: the student release holds what its public checks asked for on the reference solution)."""
    shape = tuple(input_shape)
    out = dict(_alexnet_reference(ANSWERS("alexnet_config", shape, num_classes)), mistakes={})
    for label, kw in ALEXNET_MISTAKES.items():
        count = ANSWERS("alexnet_params", shape, num_classes, **kw)
        if count is not None:  # None: the variant does not fit this input size
            out["mistakes"][label] = count
    return out


VGG16_MISTAKES = {  # labels marked with N_ and translated by expect when named
    N_("GlobalAveragePooling2D instead of Flatten before the Dense layers"): dict(head="gap"),
    N_("no MaxPooling after the last block"): dict(last_pool=False),
}


def vgg16_truth(input_shape: tuple, num_classes: int) -> dict:
    app = truth.application_summary("VGG16", input_shape, num_classes)
    return {"rows": app["rows"], "params": app["params"],
            "mistakes": {label: ANSWERS("vgg16_params", tuple(input_shape), num_classes, **kw)
                         for label, kw in VGG16_MISTAKES.items()}}


def _rows(model, drop=graph.SILENT):
    return structure.layer_rows(model, drop=drop)


# ------------------------------------------------------------ the student's full-size models, once per file
def student_model(t, fn: str, *args):
    """The student's ``fn(*args)`` rebuilt here without weights; once per submission (``t.once``),
    so the checks of its layers and of its count build it once."""
    return t.once(("model", fn, repr(args)), lambda: graph.model_from_child(t, fn, *args, trace_shape=args[0]))


# ------------------------------------------------------------ arithmetic
def _rf_mistakes(stack):
    ignore_strides = 1 + sum(k - 1 for k, _ in stack)
    own, jump = 1, 1
    for k, s in stack:
        jump *= s
        own += (k - 1) * jump
    plain, jump = 0, 1
    for k, s in stack:
        plain += (k - 1) * jump
        jump *= s
    return {_("ignored the strides (each earlier stride multiplies a layer's step)"): ignore_strides,
            _("multiplied each layer by its own stride too (only the strides *before* it count)"): own,
            _("forgot the 1 + (a single pixel has a receptive field of 1)"): plain,
            _("added up the kernel sizes"): sum(k for k, _s in stack)}


def _check_rf(t, stacks):
    for stack in stacks:
        want = graph.receptive_field(stack)
        what = f"receptive_field({stack})"
        got = expect.integer(t.call("receptive_field", [tuple(p) for p in stack]), what)
        expect.equal(got, want, what, _rf_mistakes(stack))


RF_HINT = N_("RF = 1 + sum((k_i - 1) * s_1 * ... * s_(i-1)): a layer's step is the product of the strides below "
             "it.")


@EXERCISE.check(points=1, hint=RF_HINT, uses=("receptive_field",))
def receptive_fields(t):
    alex = [(11, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 1), (3, 1), (3, 2)]
    _check_rf(t, [[(3, 1), (3, 1)], [(3, 1)] * 3, [(5, 1)], [(11, 4), (3, 2)], [(3, 1), (2, 2), (3, 1), (2, 2)],
                  alex])


def _check_stacked(t, cases):
    for c, k, d in cases:
        want = d * truth.conv2d_params(k, c, c)
        what = f"stacked_conv_params({c}, {k}, {d})"
        got = expect.integer(t.call("stacked_conv_params", c, k, d), what)
        wrong = {_("forgot the biases (one per filter in every layer)"): d * k * k * c * c,
                 _("counted one layer only: multiply by depth"): truth.conv2d_params(k, c, c),
                 _("forgot that each filter spans all input channels"): d * (k * k + 1) * c,
                 _("counted one bias per layer instead of one per filter"): d * (k * k * c * c + 1)}
        expect.equal(got, want, what, {m: v for m, v in wrong.items() if v != want})


STACK_HINT = N_("Each layer: (k * k * C + 1) * C (every filter spans all C inputs, plus a bias); times depth.")


@EXERCISE.check(points=1, hint=STACK_HINT, uses=("stacked_conv_params",))
def stacked_params(t):
    _check_stacked(t, [(64, 3, 2), (64, 5, 1), (128, 3, 3), (128, 7, 1), (32, 1, 2)])


# ------------------------------------------------------------ blocks
def _check_block_layers(t, fn, ref_fn, input_shape, *args):
    got = graph.build(t, fn, input_shape, *args)
    want = _block_model(ref_fn, input_shape, *args)
    what = f"{fn}(keras.Input({tuple(input_shape)}), {', '.join(map(repr, args))})"
    if not graph.judged_by_behaviour(got, want, input_shape, t.rng, what):
        structure.compare_layers(_rows(got), _rows(want), what, FIELDS)


def _check_block_behaviour(t, fn, ref_fn, input_shape, *args):
    got = graph.build(t, fn, input_shape, *args)
    want = _block_model(ref_fn, input_shape, *args)
    what = f"{fn}(keras.Input({tuple(input_shape)}), {', '.join(map(repr, args))})"
    graph.compare_behaviour(got, want, input_shape, t.rng, what)


VGG_HINT = N_("num_convs x Conv2D(filters, 3, padding='same', activation='relu'), then MaxPooling2D(2): "
              "the size halves only at the pooling.")
SAME_WEIGHTS_HINT = N_("Same weights must give the same output as the reference.")


@EXERCISE.check(points=1.5, hint=VGG_HINT, uses=("vgg_block",))
def vgg_block_layers(t):
    _check_block_layers(t, "vgg_block", VGG_BLOCK, (32, 32, 3), 64, 2)
    _check_block_layers(t, "vgg_block", VGG_BLOCK, (20, 14, 16), 8, 3)


@EXERCISE.check(points=1, hint=lambda: _(VGG_HINT) + " " + _(SAME_WEIGHTS_HINT), uses=("vgg_block",))
def vgg_block_behaviour(t):
    _check_block_behaviour(t, "vgg_block", VGG_BLOCK, (12, 10, 5), 6, 2)
    _check_block_behaviour(t, "vgg_block", VGG_BLOCK, (9, 8, 3), 4, 1)


BOTTLENECK_HINT = N_("Conv2D(reduce_filters, 1, activation='relu') first, then Conv2D(out_filters, kernel_size, "
                     "padding='same', activation='relu').")


@EXERCISE.check(points=1, hint=BOTTLENECK_HINT, uses=("bottleneck",))
def bottleneck_layers(t):
    _check_block_layers(t, "bottleneck", BOTTLENECK, (14, 14, 64), 16, 32)
    _check_block_layers(t, "bottleneck", BOTTLENECK, (10, 12, 48), 8, 24, 5)


@EXERCISE.check(points=1, hint=BOTTLENECK_HINT, uses=("bottleneck",))
def bottleneck_behaviour(t):
    _check_block_behaviour(t, "bottleneck", BOTTLENECK, (8, 9, 12), 4, 6)
    _check_block_behaviour(t, "bottleneck", BOTTLENECK, (7, 7, 10), 3, 5, 5)


# ------------------------------------------------------------ full-size networks
def _check_alexnet_layers(t, input_shape, num_classes):
    model = student_model(t, "alexnet", input_shape, num_classes)
    ref = alexnet_truth(tuple(input_shape), num_classes)
    structure.compare_layers(_rows(model, drop={"ZeroPadding2D"}), ref["rows"], f"alexnet({input_shape}, {num_classes})",
                             FIELDS)


def _check_alexnet_params(t, input_shape, num_classes):
    model = student_model(t, "alexnet", input_shape, num_classes)
    ref = alexnet_truth(tuple(input_shape), num_classes)
    expect.equal(int(model.count_params()), ref["params"],
                 f"alexnet({input_shape}, {num_classes}).count_params()", ref["mistakes"])


ALEX_HINT = N_("Follow the table in the docstring: 11x11/4 'valid', then 3x3/2 pooling after conv 1, 2 and 5; "
               "most parameters are in the first Dense layer (6*6*256 inputs).")


@EXERCISE.check(points=2, hint=ALEX_HINT, timeout=BIG, uses=("alexnet",))
def alexnet_layers(t):
    _check_alexnet_layers(t, (227, 227, 3), 1000)


@EXERCISE.check(points=1, hint=ALEX_HINT, timeout=BIG, uses=("alexnet",))
def alexnet_params(t):
    _check_alexnet_params(t, (227, 227, 3), 1000)


def _check_vgg16(t, input_shape, num_classes, layers_too=True):
    model = student_model(t, "vgg16", input_shape, num_classes)
    ref = vgg16_truth(tuple(input_shape), num_classes)
    what = f"vgg16({input_shape}, {num_classes})"
    expect.equal(int(model.count_params()), ref["params"], f"{what}.count_params()", ref["mistakes"],
                 hint=_("keras.applications.{app}(weights=None).count_params() is the target.").format(app="VGG16"))
    if layers_too:
        structure.compare_layers(_rows(model), ref["rows"], what, FIELDS)


VGG16_HINT = N_("Five vgg_blocks (64x2, 128x2, 256x3, 512x3, 512x3), Flatten, Dense 4096 relu x2, "
                "Dense num_classes softmax; compare with keras.applications.VGG16(weights=None).summary().")


@EXERCISE.check(points=1.5, hint=VGG16_HINT, timeout=BIG, uses=("vgg16",))
def vgg16_params(t):
    _check_vgg16(t, (224, 224, 3), 1000, layers_too=False)


@EXERCISE.check(points=1.5, hint=VGG16_HINT, timeout=BIG, uses=("vgg16",))
def vgg16_layers(t):
    model = student_model(t, "vgg16", (224, 224, 3), 1000)
    ref = vgg16_truth((224, 224, 3), 1000)
    structure.compare_layers(_rows(model), ref["rows"], "vgg16((224, 224, 3), 1000)", FIELDS)


# ------------------------------------------------------------ hidden
@EXERCISE.check(points=1, hint=lambda: _(RF_HINT) + " " + _(STACK_HINT), hidden=True,
                uses=("receptive_field", "stacked_conv_params"))
def hidden_arithmetic(t):
    rng = t.rng
    stacks = []
    for _ in range(8):
        n = int(rng.integers(1, 7))
        stacks.append([(int(rng.integers(1, 8)), int(rng.integers(1, 4))) for _ in range(n)])
    _check_rf(t, stacks)
    _check_stacked(t, [(int(rng.integers(1, 300)), int(rng.choice([1, 3, 5, 7])), int(rng.integers(1, 6)))
                       for _ in range(8)])


@EXERCISE.check(points=1.5, hint=lambda: _(VGG_HINT) + " " + _(BOTTLENECK_HINT), hidden=True,
                uses=("vgg_block", "bottleneck"))
def hidden_blocks(t):
    rng = t.rng
    shape = (int(rng.integers(6, 20)), int(rng.integers(6, 20)), int(rng.integers(1, 9)))
    args = (int(rng.integers(2, 12)), int(rng.integers(1, 4)))
    _check_block_layers(t, "vgg_block", VGG_BLOCK, shape, *args)
    _check_block_behaviour(t, "vgg_block", VGG_BLOCK, shape, *args)
    shape = (int(rng.integers(5, 14)), int(rng.integers(5, 14)), int(rng.integers(4, 32)))
    args = (int(rng.integers(1, 8)), int(rng.integers(2, 16)), int(rng.choice([1, 3, 5])))
    _check_block_layers(t, "bottleneck", BOTTLENECK, shape, *args)
    _check_block_behaviour(t, "bottleneck", BOTTLENECK, shape, *args)


@EXERCISE.check(points=1.5, hint=ALEX_HINT, hidden=True, timeout=BIG, uses=("alexnet",))
def hidden_alexnet(t):
    side = int(t.rng.integers(99, 260))
    shape, classes = (side, side + int(t.rng.integers(0, 40)), 3), int(t.rng.integers(2, 1001))
    _check_alexnet_params(t, shape, classes)
    _check_alexnet_layers(t, shape, classes)


@EXERCISE.check(points=1.5, hint=VGG16_HINT, hidden=True, timeout=BIG, uses=("vgg16",))
def hidden_vgg16(t):
    shape = (int(t.rng.integers(32, 129)), int(t.rng.integers(32, 129)), 3)
    _check_vgg16(t, shape, int(t.rng.integers(2, 1001)))
