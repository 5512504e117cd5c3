"""Checks of ex05: inception, residual and dense blocks by the wiring of their
graph and by their outputs under identical weights; ResNet-50 and DenseNet-121
against keras.applications (counts, layers with weights, wiring; never run)."""
from __future__ import annotations

import math
import weakref

from keras import layers

from .. import cnn_truth as cnn
from .. import expect
from ..spec import Exercise
from ..structure import compare_layers

EXERCISE = Exercise("ex05", "Modern CNN blocks: GoogLeNet, ResNet, DenseNet", "ex05_modern_cnn",
                    timeout=20, memory_mb=2048, recipes="grader.recipes.ex05_modern_cnn",
                    summary="inception, residual, bottleneck, dense and transition blocks; ResNet-50, DenseNet-121")

BIG = 60
EPS = 1.001e-5  # the reference's BN epsilon is replaced by the student's when weights are shared


# ------------------------------------------------------------ references (plain Keras, judge side)
def ref_inception(x, f1, f3r, f3, f5r, f5, pp):
    b1 = layers.Conv2D(f1, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(layers.Conv2D(f3r, 1, activation="relu")(x))
    b5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(layers.Conv2D(f5r, 1, activation="relu")(x))
    bp = layers.Conv2D(pp, 1, activation="relu")(layers.MaxPooling2D(3, strides=1, padding="same")(x))
    return layers.Concatenate()([b1, b3, b5, bp])


def _bn(x):
    return layers.BatchNormalization(epsilon=EPS)(x)


def ref_residual(x, filters, stride=1):
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 3, strides=stride, padding="same")(x)))
    y = _bn(layers.Conv2D(filters, 3, padding="same")(y))
    s = x
    if stride != 1 or x.shape[-1] != filters:
        s = _bn(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def ref_bottleneck_residual(x, filters, stride=1):
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(_bn(layers.Conv2D(filters, 3, padding="same")(y)))
    y = _bn(layers.Conv2D(4 * filters, 1)(y))
    s = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        s = _bn(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def ref_dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(layers.ReLU()(_bn(x)))
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(layers.ReLU()(_bn(y)))
        x = layers.Concatenate()([x, y])
    return x


def ref_transition(x, compression=0.5):
    y = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False)(layers.ReLU()(_bn(x)))
    return layers.AveragePooling2D(2, strides=2)(y)


_model = cnn.block_model


def _what(fn, input_shape, *args):
    return f"{fn}(keras.Input({tuple(input_shape)}), {', '.join(map(repr, args))})"


def _behaviour(t, fn, ref_fn, input_shape, *args, bias_open=()):
    got = cnn.build(t, fn, input_shape, *args)
    cnn.compare_behaviour(got, _model(ref_fn, input_shape, *args), input_shape, t.rng,
                          _what(fn, input_shape, *args), bias_open=bias_open)


def _out_shape(g, want, what, extra=""):
    got = tuple(g[g.outputs[0]].shape[1:])
    if len(g.outputs) != 1:
        expect.fail(f"{what} returned {len(g.outputs)} tensors, expected one")
    if got != tuple(want):
        expect.fail(f"{what} has output shape {got}, expected {tuple(want)}{extra}")


# ------------------------------------------------------------ inception
BRANCH_NAMES = ("1x1", "3x3", "5x5", "pool")


def _branch_name(k: list[str]) -> str:
    if k and k[0].startswith("maxpool"):
        return "pool"
    convs = [w for w in k if w.startswith("conv")]
    return convs[-1][4:].split("/")[0] if convs else "+".join(k) or "identity"


def check_inception_structure(t, input_shape, *args):
    what = _what("inception_block", input_shape, *args)
    g = cnn.Graph(cnn.build(t, "inception_block", input_shape, *args))
    f1, f3r, f3, f5r, f5, pp = args
    h, w, _ = input_shape
    end = g[g.skip_back(g.outputs[0])]
    relu_after = cnn.activation(end) == "relu" and cnn.is_standalone_activation(end)
    concat = g[g.skip_back(end.inputs[0])] if relu_after else end
    if concat.cls != "Concatenate":
        found = "adds the branches (Add) instead of concatenating them" if concat.cls == "Add" or g.count("Add") \
            else f"ends with {cnn.describe(concat)}, not a Concatenate of the four branches"
        expect.fail(f"{what} {found}", "layers.Concatenate()([b1, b3, b5, bp]) joins them on the channel axis.")
    if cnn.concat_axis(concat) not in (-1, 3):
        expect.fail(f"{what} concatenates on axis {cnn.concat_axis(concat)}; the branches go side by side on "
                    f"the channel axis (-1)")
    if len(concat.inputs) != 4:
        expect.fail(f"{what} concatenates {len(concat.inputs)} tensors, expected the 4 branches (1x1, 3x3, 5x5, pool)")
    got = []
    for i in concat.inputs:
        path, start = g.branch(i)
        k = cnn.kinds(path) + (["relu"] if relu_after else [])
        if start != g.inputs[0]:
            where = "is a tensor another branch uses too" if start == i else \
                f"starts after {cnn.describe(g[start])}"
            expect.fail(f"{what}: the branch ending in {cnn.describe(g[i])} {where}, not the block input; "
                        f"every branch reads x itself")
        got.append(k)
    want = [["conv1x1", "relu"], ["conv1x1", "relu", "conv3x3", "relu"], ["conv1x1", "relu", "conv5x5", "relu"],
            ["maxpool3x3/1", "conv1x1", "relu"]]
    names = [_branch_name(k) for k in got]
    if sorted(map(tuple, got)) == sorted(map(tuple, want)) and got != want:
        expect.fail(f"{what} concatenates the branches in the order {', '.join(names)}; "
                    f"expected 1x1, 3x3, 5x5, pool")
    for i, (k, wk) in enumerate(zip(got, want)):
        if k != wk:
            expect.fail(f"{what}: branch {i + 1} ({BRANCH_NAMES[i]}) is {'-'.join(k) or 'x itself'}; "
                        f"expected {'-'.join(wk)}")
    _out_shape(g, (h, w, f1 + f3 + f5 + pp), what)
    for i, (c, name) in enumerate(zip((f1, f3, f5, pp), ("f1", "f3", "f5", "pool_proj"))):
        if g[concat.inputs[i]].channels != c:
            expect.fail(f"{what}: branch {i + 1} ({BRANCH_NAMES[i]}) has {g[concat.inputs[i]].channels} channels, "
                        f"expected {name} = {c}")
    want_params = int(_model(ref_inception, input_shape, *args).count_params())
    got_params = sum(int(n.op.count_params()) for n in g.weighted())
    expect.equal(got_params, want_params, f"the parameter count of {what}")


INCEPTION_HINT = ("b1 = 1x1(x); b3 = 3x3(1x1(x)); b5 = 5x5(1x1(x)); bp = 1x1(MaxPool 3x3/1 same(x)); every conv "
                  "ReLU; Concatenate()([b1, b3, b5, bp]).")


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT)
def inception_structure(t):
    check_inception_structure(t, (14, 14, 32), 16, 12, 24, 4, 8, 8)
    check_inception_structure(t, (7, 9, 20), 10, 6, 12, 3, 5, 4)


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT)
def inception_behaviour(t):
    _behaviour(t, "inception_block", ref_inception, (8, 8, 12), 6, 4, 8, 2, 4, 3)
    _behaviour(t, "inception_block", ref_inception, (6, 7, 10), 4, 4, 4, 4, 4, 4)


# ------------------------------------------------------------ residual blocks
BASIC = ["conv3x3{s}", "bn", "relu", "conv3x3", "bn"]
BOTTLE = ["conv1x1{s}", "bn", "relu", "conv3x3", "bn", "relu", "conv1x1", "bn"]


def check_residual_structure(t, fn, input_shape, filters, stride, main, expansion):
    what = _what(fn, input_shape, filters, stride)
    g = cnn.Graph(cnn.build(t, fn, input_shape, filters, stride))
    h, w, c = input_shape
    out_c = expansion * filters
    end = g[g.skip_back(g.outputs[0])]
    if end.cls == "Add":
        expect.fail(f"{what} ends with the addition: the ReLU comes after adding the shortcut, "
                    f"out = ReLU(F(x) + shortcut)")
    if not (cnn.is_standalone_activation(end) and cnn.activation(end) == "relu"):
        expect.fail(f"{what} ends with {cnn.describe(end)}, expected ReLU(F(x) + shortcut)")
    add = g[g.skip_back(end.inputs[0])]
    if add.cls != "Add":
        if g.count("Add"):
            expect.fail(f"{what}: the final ReLU is applied to {cnn.describe(add)}, not to the Add of the "
                        f"shortcut and the main path")
        expect.fail(f"{what} has no Add: there is no skip connection (the block must output "
                    f"ReLU(F(x) + x))" + (" -- it concatenates instead" if g.count("Concatenate") else ""))
    if len(add.inputs) != 2:
        expect.fail(f"{what}: the Add has {len(add.inputs)} inputs, expected 2 (main path and shortcut)")
    branches = [g.branch(i) for i in add.inputs]
    branches.sort(key=lambda b: -sum(n.cls == "Conv2D" for n in b[0]))
    (main_path, main_start), (short_path, short_start) = branches
    if short_start != main_start:
        expect.fail(f"{what}: the shortcut and the main path start from different tensors "
                    f"({cnn.describe(g[short_start])} and {cnn.describe(g[main_start])}); both read the block input x")
    if main_start != g.inputs[0]:
        expect.fail(f"{what}: the Add does not take the block's input: the shortcut starts at "
                    f"{cnn.describe(g[main_start])} inside the block, not at x")
    needs_projection = stride != 1 or c != out_c
    sk = cnn.kinds(short_path)
    if needs_projection:
        want = [f"conv1x1" + (f"/{stride}" if stride > 1 else ""), "bn"]
        if sk != want:
            expect.fail(f"{what}: the shape changes ({(h, w, c)} -> stride {stride}, {out_c} channels), so the "
                        f"shortcut is Conv2D({out_c}, 1x1, strides={stride}) - BN; yours is "
                        f"{'-'.join(sk) or 'x itself'}")
    elif sk:
        if any(k.startswith("conv") for k in sk) and "relu" not in sk:
            expect.fail(f"{what}: the shapes match (stride 1, {c} == {out_c} channels), so the shortcut is the "
                        f"identity, not a projection ({'-'.join(sk)})")
        expect.fail(f"{what}: the shortcut passes through {'-'.join(sk)}; the Add must take the block's input x "
                    f"itself")
    mk = cnn.kinds(main_path)
    want_main = [k.format(s=f"/{stride}" if stride > 1 else "") for k in main]
    if mk != want_main:
        expect.fail(f"{what}: the main path is {'-'.join(mk)}; expected {'-'.join(want_main)}")
    _out_shape(g, (math.ceil(h / stride), math.ceil(w / stride), out_c), what)


RESIDUAL_HINT = ("y = BN(conv3x3(ReLU(BN(conv3x3/stride(x))))); s = x, or BN(conv1x1/stride(x)) when the shape "
                 "changes; return ReLU(Add()([y, s])).")
BOTTLENECK_HINT = ("y = BN(conv1x1 4F(ReLU(BN(conv3x3(ReLU(BN(conv1x1/stride(x)))))))); s = x or BN(conv1x1 4F/stride(x)); "
                   "ReLU(Add()([y, s])).")


@EXERCISE.check(points=1.5, hint=RESIDUAL_HINT)
def residual_structure(t):
    check_residual_structure(t, "residual_block", (8, 8, 16), 16, 1, BASIC, 1)
    check_residual_structure(t, "residual_block", (8, 8, 16), 32, 2, BASIC, 1)
    check_residual_structure(t, "residual_block", (7, 9, 8), 12, 1, BASIC, 1)


@EXERCISE.check(points=1.5, hint=RESIDUAL_HINT)
def residual_behaviour(t):
    _behaviour(t, "residual_block", ref_residual, (8, 8, 6), 6, 1, bias_open=("Conv2D",))
    _behaviour(t, "residual_block", ref_residual, (9, 7, 4), 8, 2, bias_open=("Conv2D",))


@EXERCISE.check(points=1.5, hint=BOTTLENECK_HINT)
def bottleneck_residual_structure(t):
    check_residual_structure(t, "bottleneck_residual_block", (8, 8, 64), 16, 1, BOTTLE, 4)
    check_residual_structure(t, "bottleneck_residual_block", (8, 8, 32), 16, 2, BOTTLE, 4)
    check_residual_structure(t, "bottleneck_residual_block", (6, 6, 16), 8, 1, BOTTLE, 4)


@EXERCISE.check(points=1.5, hint=BOTTLENECK_HINT)
def bottleneck_residual_behaviour(t):
    _behaviour(t, "bottleneck_residual_block", ref_bottleneck_residual, (6, 6, 16), 4, 1)
    _behaviour(t, "bottleneck_residual_block", ref_bottleneck_residual, (7, 8, 8), 3, 2)


# ------------------------------------------------------------ dense blocks
DENSE_LAYER = ["bn", "relu", "conv1x1", "bn", "relu", "conv3x3"]


def check_dense_structure(t, input_shape, num_layers, growth):
    what = _what("dense_block", input_shape, num_layers, growth)
    g = cnn.Graph(cnn.build(t, "dense_block", input_shape, num_layers, growth))
    h, w, c = input_shape
    want_c = c + num_layers * growth
    got_c = g[g.outputs[0]].channels
    if got_c != want_c:
        add = " -- it adds the new features to the old ones (Add) instead of concatenating them" \
            if g.count("Add") and not g.count("Concatenate") else ""
        expect.fail(f"{what} has {got_c} channels, expected C + num_layers * growth_rate = {want_c}{add}")
    x = g.inputs[0]
    leaves = g.concat_leaves(g.outputs[0])
    if x not in leaves:
        expect.fail(f"{what}: the output does not contain the block's input -- the earlier features must be "
                    f"kept: concatenate x with each new layer's output")
    if leaves[0] != x:
        expect.fail(f"{what}: the block input's channels must come first: Concatenate()([x, new]), "
                    f"not [new, x]")
    new = leaves[1:]
    if len(new) != num_layers:
        expect.fail(f"{what}: the output concatenates {len(new)} new feature maps to the input, expected "
                    f"{num_layers} (one per layer)")

    def name(i):
        return "the block input" if i == x else f"layer {new.index(i) + 1}'s output" if i in new \
            else cnn.describe(g[i])

    for j, leaf in enumerate(new):
        path, start = g.branch(leaf, stop=new, include_first=True)
        sees = g.concat_leaves(start)
        if sees != [x] + new[:j]:
            expect.fail(f"{what}: layer {j + 1} reads {' + '.join(name(i) for i in sees)}; a dense layer reads the "
                        f"concatenation of the block input and all {j} earlier layers' outputs")
        k = cnn.kinds(path)
        if k != DENSE_LAYER:
            expect.fail(f"{what}: layer {j + 1} is {'-'.join(k)}; expected {'-'.join(DENSE_LAYER)}")
    _out_shape(g, (h, w, want_c), what)


DENSE_HINT = ("for each layer: y = conv3x3 k(ReLU(BN(conv1x1 4k(ReLU(BN(x)))))), no biases; "
              "x = Concatenate()([x, y]).")


@EXERCISE.check(points=1.5, hint=DENSE_HINT)
def dense_block_structure(t):
    check_dense_structure(t, (8, 8, 16), 4, 8)
    check_dense_structure(t, (5, 6, 7), 3, 5)


@EXERCISE.check(points=1.5, hint=DENSE_HINT)
def dense_block_behaviour(t):
    _behaviour(t, "dense_block", ref_dense_block, (6, 6, 8), 3, 4)
    _behaviour(t, "dense_block", ref_dense_block, (5, 7, 5), 2, 6)


def check_transition(t, input_shape, compression):
    what = _what("transition_block", input_shape, compression)
    model = cnn.build(t, "transition_block", input_shape, compression)
    c = input_shape[-1]
    want_f = int(c * compression)
    convs = cnn.Graph(model).find("Conv2D")
    if len(convs) == 1:
        expect.equal(int(convs[0].config()["filters"]), want_f, f"the 1x1 convolution's filters in {what}",
                     {"rounded C * compression instead of flooring it": round(c * compression),
                      "rounded C * compression up instead of flooring it": math.ceil(c * compression)},
                     hint="floor(C * compression): int(C * compression) for positive numbers.")
    compare_layers(_rows(model), _rows(_model(ref_transition, input_shape, compression)), what,
                   ("class", "output_shape", "params", "activation"))
    cnn.compare_behaviour(model, _model(ref_transition, input_shape, compression), input_shape, t.rng, what)


def _rows(model):
    return [{k: v for k, v in r.items() if k != "_node"} for r in cnn.rows(cnn.Graph(model), drop=cnn.SILENT)]


TRANSITION_HINT = "BN, ReLU, Conv2D(int(C * compression), 1, use_bias=False), AveragePooling2D(2, strides=2)."


@EXERCISE.check(points=1.5, hint=TRANSITION_HINT)
def transition(t):
    check_transition(t, (8, 8, 16), 0.5)
    check_transition(t, (9, 7, 15), 0.5)
    check_transition(t, (6, 6, 10), 0.75)


# ------------------------------------------------------------ full networks
_MODELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def student_summary(t, fn: str, *args) -> dict:
    """The student's fn(*args), built without weights in the child and read here; once per file."""
    cache = _MODELS.setdefault(t.sandbox, {})
    key = (fn, repr(args))
    if key not in cache:
        cache[key] = cnn.summary(cnn.model_from_child(t, fn, *args))
    return cache[key]


def _bias_total(app: dict) -> int:
    return sum(shapes[1][0] for cls, shapes in app["weighted"] if cls == "Conv2D" and len(shapes) == 2)


def _conv_filters_total(app: dict) -> int:
    return sum(shapes[0][-1] for cls, shapes in app["weighted"] if cls == "Conv2D")


def check_params(t, fn, app_name, input_shape, num_classes):
    got = student_summary(t, fn, input_shape, num_classes)
    app = cnn.application_summary(app_name, tuple(input_shape), num_classes)
    mistakes = {}
    if _bias_total(app):
        mistakes["the convolutions have no biases (keras.applications' ResNet keeps them)"] = \
            app["params"] - _bias_total(app)
    else:
        mistakes["the convolutions have biases (DenseNet's have none)"] = app["params"] + _conv_filters_total(app)
    expect.equal(got["params"], app["params"], f"{fn}({input_shape}, {num_classes}).count_params()", mistakes,
                 hint=f"keras.applications.{app_name}(weights=None).count_params() is the target.")


def check_layers(t, fn, app_name, input_shape, num_classes, merge):
    got = student_summary(t, fn, input_shape, num_classes)
    app = cnn.application_summary(app_name, tuple(input_shape), num_classes)
    what = f"{fn}({input_shape}, {num_classes})"
    for i, (g, w) in enumerate(zip(got["weighted"], app["weighted"]), start=1):
        if g != w:
            expect.fail(f"{what}: layer with weights number {i} is {got['weighted_names'][i - 1]} {_shapes(g)}; "
                        f"{app_name} has {app['weighted_names'][i - 1]} {_shapes(w)}")
    if len(got["weighted"]) != len(app["weighted"]):
        expect.fail(f"{what} has {len(got['weighted'])} layers with weights, {app_name} has {len(app['weighted'])}"
                    + (f"; the first missing one is {app['weighted_names'][len(got['weighted'])]}"
                       if len(got["weighted"]) < len(app["weighted"]) else ""))
    if merge == "Add":
        if len(got["adds"]) != len(app["adds"]):
            expect.fail(f"{what} has {len(got['adds'])} Add layers, {app_name} has {len(app['adds'])} "
                        f"(one per residual block): a block without its skip connection is a plain network")
        if got.get("bad_residual"):
            expect.fail(f"{what}: {got['bad_residual']}")
    else:
        want = app["concats"]
        if got["concats"] != want:
            expect.fail(f"{what} has {got['concats']} Concatenate layers, {app_name} has {want} (one per dense "
                        f"layer)" + (" -- it adds instead of concatenating" if got["counts"].get("Add") else ""))
    if got["output_shape"] != app["output_shape"]:
        expect.fail(f"{what} outputs {got['output_shape']}, expected {app['output_shape']}")
    rows_g = [r for r in got["rows"] if r["class"] == "Dense"]
    rows_w = [r for r in app["rows"] if r["class"] == "Dense"]
    if [r["activation"] for r in rows_g] != [r["activation"] for r in rows_w]:
        expect.fail(f"{what}: the classifier's activation is {rows_g[-1]['activation'] if rows_g else None}, "
                    f"expected softmax")


def _shapes(sig) -> str:
    return "(weights " + ", ".join(str(s) for s in sig[1]) + ")"


RESNET_HINT = ("Stem 7x7/2 conv 64 + BN + ReLU + 3x3/2 max pool; stages (64, 3), (128, 4), (256, 6), (512, 3) "
               "of bottleneck_residual_block, stride 2 in the first block of stages 2-4; GAP; Dense softmax.")
DENSENET_HINT = ("Stem 7x7/2 conv 64 (no bias) + BN + ReLU + 3x3/2 max pool; dense blocks 6, 12, 24, 16 "
                 "(growth 32) with a transition (0.5) between; BN, ReLU, GAP, Dense softmax.")


@EXERCISE.check(points=1.5, hint=RESNET_HINT, timeout=BIG)
def resnet50_params(t):
    check_params(t, "resnet50", "ResNet50", (224, 224, 3), 1000)


@EXERCISE.check(points=1.5, hint=RESNET_HINT, timeout=BIG)
def resnet50_layers(t):
    check_layers(t, "resnet50", "ResNet50", (224, 224, 3), 1000, "Add")


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, timeout=BIG)
def densenet121_params(t):
    check_params(t, "densenet121", "DenseNet121", (224, 224, 3), 1000)


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, timeout=BIG)
def densenet121_layers(t):
    check_layers(t, "densenet121", "DenseNet121", (224, 224, 3), 1000, "Concatenate")


# ------------------------------------------------------------ hidden
def _shape(rng, lo=4, hi=12, c=(4, 24)):
    return (int(rng.integers(lo, hi)), int(rng.integers(lo, hi)), int(rng.integers(*c)))


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT, hidden=True)
def hidden_inception(t):
    shape = _shape(t.rng)
    args = tuple(int(v) for v in t.rng.integers(1, 12, size=6))
    check_inception_structure(t, shape, *args)
    _behaviour(t, "inception_block", ref_inception, shape, *args)


@EXERCISE.check(points=2, hint=RESIDUAL_HINT + " " + BOTTLENECK_HINT, hidden=True)
def hidden_residual(t):
    rng = t.rng
    shape = _shape(rng)
    filters, stride = int(rng.choice([shape[2], int(rng.integers(2, 16))])), int(rng.integers(1, 3))
    check_residual_structure(t, "residual_block", shape, filters, stride, BASIC, 1)
    _behaviour(t, "residual_block", ref_residual, shape, filters, stride, bias_open=("Conv2D",))
    shape = _shape(rng, c=(4, 32))
    filters, stride = int(rng.choice([max(1, shape[2] // 4), int(rng.integers(1, 8))])), int(rng.integers(1, 3))
    shape = (shape[0], shape[1], 4 * filters) if rng.random() < 0.5 else shape
    check_residual_structure(t, "bottleneck_residual_block", shape, filters, stride, BOTTLE, 4)
    _behaviour(t, "bottleneck_residual_block", ref_bottleneck_residual, shape, filters, stride)


@EXERCISE.check(points=2, hint=DENSE_HINT + " " + TRANSITION_HINT, hidden=True)
def hidden_dense(t):
    rng = t.rng
    shape = _shape(rng)
    args = (int(rng.integers(1, 5)), int(rng.integers(2, 9)))
    check_dense_structure(t, shape, *args)
    _behaviour(t, "dense_block", ref_dense_block, shape, *args)
    check_transition(t, _shape(rng, c=(4, 40)), float(rng.choice([0.5, 0.25, 0.6, 0.75])))


# A few input sizes only: keras.applications' DenseNet-121 takes seconds to
# build, and the reference is built once per input size (see application_summary).
HIDDEN_SHAPES = [(96, 96, 3), (128, 160, 3), (160, 128, 3), (64, 96, 3)]


def _hidden_net_args(rng):
    return HIDDEN_SHAPES[int(rng.integers(len(HIDDEN_SHAPES)))], int(rng.integers(2, 1001))


@EXERCISE.check(points=1.5, hint=RESNET_HINT, hidden=True, timeout=BIG)
def hidden_resnet50(t):
    shape, classes = _hidden_net_args(t.rng)
    check_params(t, "resnet50", "ResNet50", shape, classes)
    check_layers(t, "resnet50", "ResNet50", shape, classes, "Add")


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, hidden=True, timeout=BIG)
def hidden_densenet121(t):
    shape, classes = _hidden_net_args(t.rng)
    check_params(t, "densenet121", "DenseNet121", shape, classes)
    check_layers(t, "densenet121", "DenseNet121", shape, classes, "Concatenate")
