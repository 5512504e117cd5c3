"""Checks of ex05: inception, residual and dense blocks by the wiring of their
graph and by their outputs under identical weights; ResNet-50 and DenseNet-121
against keras.applications (counts, layers with weights, wiring; never run)."""
from __future__ import annotations

import math

import keras

from grader.judge import N_, Exercise, _, answers, expect, graph, structure, truth

EXERCISE = Exercise("ex05", N_("Modern CNN blocks: GoogLeNet, ResNet, DenseNet"), "ex05_modern_cnn",
                    timeout=20, memory_mb=2048, recipes="grader.recipes.ex05_modern_cnn",
                    max_params=40_000_000,  # ResNet-50 and DenseNet-121 (built weightless)
                    child_weights=False,  # the judge gives student and reference blocks the same weights
                    summary=N_("inception, residual, bottleneck, dense and transition blocks; ResNet-50, "
                               "DenseNet-121"))

BIG = 60


# ------------------------------------------------------------ references (plain Keras, judge side)
# The reference blocks are the instructor's code (grader/answers/ex05_modern_cnn.py): the checks name them, and
# get each one's config on the case's input (grader.judge.answers), which the student release ships for the
# public cases instead of the code.
ANSWERS = answers.Table("ex05_modern_cnn")
ref_inception, ref_residual, ref_bottleneck_residual, ref_dense_block, ref_transition = (
    "ref_inception", "ref_residual", "ref_bottleneck_residual", "ref_dense_block", "ref_transition")


def _model(reference: str, input_shape, *args):
    """The reference block ``reference`` on keras.Input(input_shape), as a keras.Model without weights."""
    config = ANSWERS("block_config", reference, tuple(input_shape), *args)
    return graph.weightless_model(config)


def _what(fn, input_shape, *args):
    return f"{fn}(keras.Input({tuple(input_shape)}), {', '.join(map(repr, args))})"


def _behaviour(t, fn, ref_fn, input_shape, *args, bias_open=()):
    got = graph.build(t, fn, input_shape, *args)
    graph.compare_behaviour(got, _model(ref_fn, input_shape, *args), input_shape, t.rng,
                          _what(fn, input_shape, *args), bias_open=bias_open)


def _out_shape(g, want, what, extra=""):
    got = tuple(g[g.outputs[0]].shape[1:])
    if len(g.outputs) != 1:
        expect.fail(_("{what} returned {n} tensors, expected one").format(what=what, n=len(g.outputs)))
    if got != tuple(want):
        expect.fail(_("{what} has output shape {got}, expected {want}").format(what=what, got=got, want=tuple(want))
                    + extra)


# ------------------------------------------------------------ inception
BRANCH_NAMES = ("1x1", "3x3", "5x5", "pool")


def _branch_name(k: list[str]) -> str:
    if k and k[0].startswith("maxpool"):
        return "pool"
    convs = [w for w in k if w.startswith("conv")]
    return convs[-1][4:].split("/")[0] if convs else "+".join(k) or "identity"


def check_inception_structure(t, input_shape, *args):
    what = _what("inception_block", input_shape, *args)
    model = graph.build(t, "inception_block", input_shape, *args)
    if graph.judged_by_behaviour(model, _model(ref_inception, input_shape, *args), input_shape, t.rng, what):
        return
    g = graph.Graph(model)
    f1, f3r, f3, f5r, f5, pp = args
    h, w, _c = input_shape
    end = g[g.skip_back(g.outputs[0])]
    relu_after = graph.activation(end) == "relu" and graph.is_standalone_activation(end)
    concat = g[g.skip_back(end.inputs[0])] if relu_after else end
    if concat.cls != "Concatenate":
        found = _("{what} adds the branches (Add) instead of concatenating them").format(what=what) \
            if concat.cls == "Add" or g.count("Add") \
            else _("{what} ends with {layer}, not a Concatenate of the four branches").format(
                what=what, layer=graph.describe(concat))
        expect.fail(found, _("layers.Concatenate()([b1, b3, b5, bp]) joins them on the channel axis."))
    if graph.concat_axis(concat) not in (-1, 3):
        expect.fail(_("{what} concatenates on axis {axis}; the branches go side by side on the channel axis (-1)")
                    .format(what=what, axis=graph.concat_axis(concat)))
    if len(concat.inputs) != 4:
        expect.fail(_("{what} concatenates {n} tensors, expected the 4 branches (1x1, 3x3, 5x5, pool)").format(
            what=what, n=len(concat.inputs)))
    got = []
    for i in concat.inputs:
        path, start = g.branch(i)
        k = graph.kinds(path) + (["relu"] if relu_after else [])
        if start != g.inputs[0]:
            if start == i:
                expect.fail(_("{what}: the branch ending in {layer} is a tensor another branch uses too, not the "
                              "block input; every branch reads x itself").format(what=what, layer=graph.describe(g[i])))
            expect.fail(_("{what}: the branch ending in {layer} starts after {start}, not the block input; "
                          "every branch reads x itself").format(what=what, layer=graph.describe(g[i]),
                                                                start=graph.describe(g[start])))
        got.append(k)
    want = [["conv1x1", "relu"], ["conv1x1", "relu", "conv3x3", "relu"], ["conv1x1", "relu", "conv5x5", "relu"],
            ["maxpool3x3/1", "conv1x1", "relu"]]
    names = [_branch_name(k) for k in got]
    if sorted(map(tuple, got)) == sorted(map(tuple, want)) and got != want:
        expect.fail(_("{what} concatenates the branches in the order {order}; expected 1x1, 3x3, 5x5, pool").format(
            what=what, order=", ".join(names)))
    for i, (k, wk) in enumerate(zip(got, want)):
        if k != wk:
            expect.fail(_("{what}: branch {i} ({name}) is {got}; expected {want}").format(
                what=what, i=i + 1, name=BRANCH_NAMES[i], got="-".join(k) or _("x itself"), want="-".join(wk)))
    _out_shape(g, (h, w, f1 + f3 + f5 + pp), what)
    for i, (c, name) in enumerate(zip((f1, f3, f5, pp), ("f1", "f3", "f5", "pool_proj"))):
        if g[concat.inputs[i]].channels != c:
            expect.fail(_("{what}: branch {i} ({branch}) has {got} channels, expected {name} = {want}").format(
                what=what, i=i + 1, branch=BRANCH_NAMES[i], got=g[concat.inputs[i]].channels, name=name, want=c))
    want_params = int(_model(ref_inception, input_shape, *args).count_params())
    got_params = sum(int(n.op.count_params()) for n in g.weighted())
    expect.equal(got_params, want_params, _("the parameter count of {what}").format(what=what))


INCEPTION_HINT = N_("b1 = 1x1(x); b3 = 3x3(1x1(x)); b5 = 5x5(1x1(x)); bp = 1x1(MaxPool 3x3/1 same(x)); every conv "
                    "ReLU; Concatenate()([b1, b3, b5, bp]).")


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT, uses=("inception_block",))
def inception_structure(t):
    check_inception_structure(t, (14, 14, 32), 16, 12, 24, 4, 8, 8)
    check_inception_structure(t, (7, 9, 20), 10, 6, 12, 3, 5, 4)


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT, uses=("inception_block",))
def inception_behaviour(t):
    _behaviour(t, "inception_block", ref_inception, (8, 8, 12), 6, 4, 8, 2, 4, 3)
    _behaviour(t, "inception_block", ref_inception, (6, 7, 10), 4, 4, 4, 4, 4, 4)


# ------------------------------------------------------------ residual blocks
BASIC = ["conv3x3{s}", "bn", "relu", "conv3x3", "bn"]
BOTTLE = ["conv1x1{s}", "bn", "relu", "conv3x3", "bn", "relu", "conv1x1", "bn"]


def check_residual_structure(t, fn, input_shape, filters, stride, main, expansion):
    what = _what(fn, input_shape, filters, stride)
    model = graph.build(t, fn, input_shape, filters, stride)
    reference = ref_residual if expansion == 1 else ref_bottleneck_residual
    if graph.judged_by_behaviour(model, _model(reference, input_shape, filters, stride), input_shape, t.rng, what,
                                 bias_open=("Conv2D",) if expansion == 1 else ()):
        return
    g = graph.Graph(model)
    h, w, c = input_shape
    out_c = expansion * filters
    end = g[g.skip_back(g.outputs[0])]
    if end.cls == "Add":
        expect.fail(_("{what} ends with the addition: the ReLU comes after adding the shortcut, "
                      "out = ReLU(F(x) + shortcut)").format(what=what))
    if not (graph.is_standalone_activation(end) and graph.activation(end) == "relu"):
        expect.fail(_("{what} ends with {layer}, expected ReLU(F(x) + shortcut)").format(
            what=what, layer=graph.describe(end)))
    add = g[g.skip_back(end.inputs[0])]
    if add.cls != "Add":
        if g.count("Add"):
            expect.fail(_("{what}: the final ReLU is applied to {layer}, not to the Add of the shortcut and the "
                          "main path").format(what=what, layer=graph.describe(add)))
        expect.fail(_("{what} has no Add: there is no skip connection (the block must output "
                      "ReLU(F(x) + x))").format(what=what)
                    + (" -- " + _("it concatenates instead") if g.count("Concatenate") else ""))
    if len(add.inputs) != 2:
        expect.fail(_("{what}: the Add has {n} inputs, expected 2 (main path and shortcut)").format(
            what=what, n=len(add.inputs)))
    branches = [g.branch(i) for i in add.inputs]
    branches.sort(key=lambda b: -sum(n.cls == "Conv2D" for n in b[0]))
    (main_path, main_start), (short_path, short_start) = branches
    if short_start != main_start:
        expect.fail(_("{what}: the shortcut and the main path start from different tensors ({shortcut} and "
                      "{main}); both read the block input x").format(
            what=what, shortcut=graph.describe(g[short_start]), main=graph.describe(g[main_start])))
    if main_start != g.inputs[0]:
        expect.fail(_("{what}: the Add does not take the block's input: the shortcut starts at {layer} inside the "
                      "block, not at x").format(what=what, layer=graph.describe(g[main_start])))
    needs_projection = stride != 1 or c != out_c
    sk = graph.kinds(short_path)
    if needs_projection:
        want = [f"conv1x1" + (f"/{stride}" if stride > 1 else ""), "bn"]
        if sk != want:
            expect.fail(_("{what}: the shape changes ({shape} -> stride {stride}, {out_c} channels), so the "
                          "shortcut is Conv2D({out_c}, 1x1, strides={stride}) - BN; yours is {got}").format(
                what=what, shape=(h, w, c), stride=stride, out_c=out_c, got="-".join(sk) or _("x itself")))
    elif sk:
        if any(k.startswith("conv") for k in sk) and "relu" not in sk:
            expect.fail(_("{what}: the shapes match (stride 1, {c} == {out_c} channels), so the shortcut is the "
                          "identity, not a projection ({got})").format(what=what, c=c, out_c=out_c, got="-".join(sk)))
        expect.fail(_("{what}: the shortcut passes through {got}; the Add must take the block's input x itself")
                    .format(what=what, got="-".join(sk)))
    mk = graph.kinds(main_path)
    want_main = [k.format(s=f"/{stride}" if stride > 1 else "") for k in main]
    if mk != want_main:
        expect.fail(_("{what}: the main path is {got}; expected {want}").format(
            what=what, got="-".join(mk), want="-".join(want_main)))
    _out_shape(g, (math.ceil(h / stride), math.ceil(w / stride), out_c), what)


RESIDUAL_HINT = N_("y = BN(conv3x3(ReLU(BN(conv3x3/stride(x))))); s = x, or BN(conv1x1/stride(x)) when the shape "
                   "changes; return ReLU(Add()([y, s])).")
BOTTLENECK_HINT = N_("y = BN(conv1x1 4F(ReLU(BN(conv3x3(ReLU(BN(conv1x1/stride(x)))))))); "
                     "s = x or BN(conv1x1 4F/stride(x)); ReLU(Add()([y, s])).")


@EXERCISE.check(points=1.5, hint=RESIDUAL_HINT, uses=("residual_block",))
def residual_structure(t):
    check_residual_structure(t, "residual_block", (8, 8, 16), 16, 1, BASIC, 1)
    check_residual_structure(t, "residual_block", (8, 8, 16), 32, 2, BASIC, 1)
    check_residual_structure(t, "residual_block", (7, 9, 8), 12, 1, BASIC, 1)


@EXERCISE.check(points=1.5, hint=RESIDUAL_HINT, uses=("residual_block",))
def residual_behaviour(t):
    _behaviour(t, "residual_block", ref_residual, (8, 8, 6), 6, 1, bias_open=("Conv2D",))
    _behaviour(t, "residual_block", ref_residual, (9, 7, 4), 8, 2, bias_open=("Conv2D",))


@EXERCISE.check(points=1.5, hint=BOTTLENECK_HINT, uses=("bottleneck_residual_block",))
def bottleneck_residual_structure(t):
    check_residual_structure(t, "bottleneck_residual_block", (8, 8, 64), 16, 1, BOTTLE, 4)
    check_residual_structure(t, "bottleneck_residual_block", (8, 8, 32), 16, 2, BOTTLE, 4)
    check_residual_structure(t, "bottleneck_residual_block", (6, 6, 16), 8, 1, BOTTLE, 4)


@EXERCISE.check(points=1.5, hint=BOTTLENECK_HINT, uses=("bottleneck_residual_block",))
def bottleneck_residual_behaviour(t):
    _behaviour(t, "bottleneck_residual_block", ref_bottleneck_residual, (6, 6, 16), 4, 1)
    _behaviour(t, "bottleneck_residual_block", ref_bottleneck_residual, (7, 8, 8), 3, 2)


# ------------------------------------------------------------ dense blocks
DENSE_LAYER = ["bn", "relu", "conv1x1", "bn", "relu", "conv3x3"]


def check_dense_structure(t, input_shape, num_layers, growth):
    what = _what("dense_block", input_shape, num_layers, growth)
    model = graph.build(t, "dense_block", input_shape, num_layers, growth)
    if graph.judged_by_behaviour(model, _model(ref_dense_block, input_shape, num_layers, growth), input_shape, t.rng,
                                 what):
        return
    g = graph.Graph(model)
    h, w, c = input_shape
    want_c = c + num_layers * growth
    got_c = g[g.outputs[0]].channels
    if got_c != want_c:
        add = " -- " + _("it adds the new features to the old ones (Add) instead of concatenating them") \
            if g.count("Add") and not g.count("Concatenate") else ""
        expect.fail(_("{what} has {got} channels, expected C + num_layers * growth_rate = {want}").format(
            what=what, got=got_c, want=want_c) + add)
    x = g.inputs[0]
    leaves = g.concat_leaves(g.outputs[0])
    if x not in leaves:
        expect.fail(_("{what}: the output does not contain the block's input -- the earlier features must be "
                      "kept: concatenate x with each new layer's output").format(what=what))
    if leaves[0] != x:
        expect.fail(_("{what}: the block input's channels must come first: Concatenate()([x, new]), "
                      "not [new, x]").format(what=what))
    new = leaves[1:]
    if len(new) != num_layers:
        expect.fail(_("{what}: the output concatenates {n} new feature maps to the input, expected "
                      "{num_layers} (one per layer)").format(what=what, n=len(new), num_layers=num_layers))

    def name(i):
        return _("the block input") if i == x else _("layer {n}'s output").format(n=new.index(i) + 1) if i in new \
            else graph.describe(g[i])

    for j, leaf in enumerate(new):
        path, start = g.branch(leaf, stop=new, include_first=True)
        sees = g.concat_leaves(start)
        if sees != [x] + new[:j]:
            expect.fail(_("{what}: layer {j} reads {sources}; a dense layer reads the concatenation of the block "
                          "input and all {n} earlier layers' outputs").format(
                what=what, j=j + 1, sources=" + ".join(name(i) for i in sees), n=j))
        k = graph.kinds(path)
        if k != DENSE_LAYER:
            expect.fail(_("{what}: layer {j} is {got}; expected {want}").format(
                what=what, j=j + 1, got="-".join(k), want="-".join(DENSE_LAYER)))
    _out_shape(g, (h, w, want_c), what)


DENSE_HINT = N_("for each layer: y = conv3x3 k(ReLU(BN(conv1x1 4k(ReLU(BN(x)))))), no biases; "
                "x = Concatenate()([x, y]).")


@EXERCISE.check(points=1.5, hint=DENSE_HINT, uses=("dense_block",))
def dense_block_structure(t):
    check_dense_structure(t, (8, 8, 16), 4, 8)
    check_dense_structure(t, (5, 6, 7), 3, 5)


@EXERCISE.check(points=1.5, hint=DENSE_HINT, uses=("dense_block",))
def dense_block_behaviour(t):
    _behaviour(t, "dense_block", ref_dense_block, (6, 6, 8), 3, 4)
    _behaviour(t, "dense_block", ref_dense_block, (5, 7, 5), 2, 6)


def check_transition(t, input_shape, compression):
    what = _what("transition_block", input_shape, compression)
    model = graph.build(t, "transition_block", input_shape, compression)
    if graph.judged_by_behaviour(model, _model(ref_transition, input_shape, compression), input_shape, t.rng, what):
        return
    c = input_shape[-1]
    want_f = int(c * compression)
    convs = graph.Graph(model).find("Conv2D")
    if len(convs) == 1:
        expect.equal(int(convs[0].config()["filters"]), want_f,
                     _("the 1x1 convolution's filters in {what}").format(what=what),
                     {_("rounded C * compression instead of flooring it"): round(c * compression),
                      _("rounded C * compression up instead of flooring it"): math.ceil(c * compression)},
                     hint=_("floor(C * compression): int(C * compression) for positive numbers."))
    structure.compare_layers(_rows(model), _rows(_model(ref_transition, input_shape, compression)), what,
                   ("class", "output_shape", "params", "activation"))
    graph.compare_behaviour(model, _model(ref_transition, input_shape, compression), input_shape, t.rng, what)


def _rows(model):
    return structure.layer_rows(model, drop=graph.SILENT)


TRANSITION_HINT = N_("BN, ReLU, Conv2D(int(C * compression), 1, use_bias=False), AveragePooling2D(2, strides=2).")


@EXERCISE.check(points=1.5, hint=TRANSITION_HINT, uses=("transition_block",))
def transition(t):
    check_transition(t, (8, 8, 16), 0.5)
    check_transition(t, (9, 7, 15), 0.5)
    check_transition(t, (6, 6, 10), 0.75)


# ------------------------------------------------------------ full networks
def student_summary(t, fn: str, *args, meanwhile=None) -> dict:
    """The student's fn(*args), built without weights in the child and read here; once per submission
    (``t.once``).  ``meanwhile()`` runs in the judge while the child builds (see graph.model_from_child)."""
    return t.once(("summary", fn, repr(args)),
                  lambda: graph.model_from_child(t, fn, *args, meanwhile=meanwhile, read=structure.summary,
                                                 trace_shape=args[0]))


def _both(t, fn, app_name, input_shape, num_classes) -> tuple[dict, dict]:
    """The student's network and keras.applications' (built here while the child builds the student's)."""
    def reference():
        return truth.application_summary(app_name, tuple(input_shape), num_classes)
    return student_summary(t, fn, input_shape, num_classes, meanwhile=reference), reference()


def _bias_total(app: dict) -> int:
    return sum(shapes[1][0] for cls, shapes in app["weighted"] if cls == "Conv2D" and len(shapes) == 2)


def _conv_filters_total(app: dict) -> int:
    return sum(shapes[0][-1] for cls, shapes in app["weighted"] if cls == "Conv2D")


def check_input(got: dict, fn, input_shape, num_classes) -> None:
    """Every count the checks compare is the same at any image size, so a network built for a fixed size
    (``keras.Input(shape=(224, 224, 3))`` whatever ``input_shape`` says) is caught here."""
    if got["input_shape"] != tuple(input_shape):
        expect.fail(_("{what} takes images of input shape {got}, not the input_shape {want} it was given").format(
            what=f"{fn}({input_shape}, {num_classes})", got=got["input_shape"], want=tuple(input_shape)),
            _("Build the input from the argument: inputs = keras.Input(shape=input_shape)."),
            mistake=N_("ignores input_shape"))


def check_params(t, fn, app_name, input_shape, num_classes):
    got, app = _both(t, fn, app_name, input_shape, num_classes)
    check_input(got, fn, input_shape, num_classes)
    mistakes = {}
    if _bias_total(app):
        mistakes[_("the convolutions have no biases (keras.applications' ResNet keeps them)")] = \
            app["params"] - _bias_total(app)
    else:
        mistakes[_("the convolutions have biases (DenseNet's have none)")] = app["params"] + _conv_filters_total(app)
    expect.equal(got["params"], app["params"], f"{fn}({input_shape}, {num_classes}).count_params()", mistakes,
                 hint=_("keras.applications.{app}(weights=None).count_params() is the target.").format(app=app_name))


def check_layers(t, fn, app_name, input_shape, num_classes, merge):
    got, app = _both(t, fn, app_name, input_shape, num_classes)
    what = f"{fn}({input_shape}, {num_classes})"
    for i, (g, w) in enumerate(zip(got["weighted"], app["weighted"]), start=1):
        if g != w:
            expect.fail(_("{what}: layer with weights number {i} is {got} {got_weights}; {app} has {want} "
                          "{want_weights}").format(what=what, i=i, got=got["weighted_names"][i - 1],
                                                   got_weights=_shapes(g), app=app_name,
                                                   want=app["weighted_names"][i - 1], want_weights=_shapes(w)))
    if len(got["weighted"]) != len(app["weighted"]):
        expect.fail(_("{what} has {n} layers with weights, {app} has {m}").format(
            what=what, n=len(got["weighted"]), app=app_name, m=len(app["weighted"]))
                    + (_("; the first missing one is {layer}").format(
                        layer=app["weighted_names"][len(got["weighted"])])
                       if len(got["weighted"]) < len(app["weighted"]) else ""))
    if merge == "Add":
        if len(got["adds"]) != len(app["adds"]):
            expect.fail(_("{what} has {n} Add layers, {app} has {m} (one per residual block): a block without its "
                          "skip connection is a plain network").format(
                what=what, n=len(got["adds"]), app=app_name, m=len(app["adds"])))
        if got.get("bad_residual"):
            expect.fail(f"{what}: {got['bad_residual']}")
    else:
        want = app["concats"]
        if got["concats"] != want:
            expect.fail(_("{what} has {n} Concatenate layers, {app} has {m} (one per dense layer)").format(
                what=what, n=got["concats"], app=app_name, m=want)
                        + (" -- " + _("it adds instead of concatenating") if got["counts"].get("Add") else ""))
    if got["output_shape"] != app["output_shape"]:
        expect.fail(_("{what} outputs {got}, expected {want}").format(
            what=what, got=got["output_shape"], want=app["output_shape"]))
    rows_g = [r for r in got["rows"] if r["class"] == "Dense"]
    rows_w = [r for r in app["rows"] if r["class"] == "Dense"]
    if [r["activation"] for r in rows_g] != [r["activation"] for r in rows_w]:
        expect.fail(_("{what}: the classifier's activation is {got}, expected softmax").format(
            what=what, got=rows_g[-1]["activation"] if rows_g else None))


def _shapes(sig) -> str:
    return _("(weights {shapes})").format(shapes=", ".join(str(s) for s in sig[1]))


RESNET_HINT = N_("Stem 7x7/2 conv 64 + BN + ReLU + 3x3/2 max pool; stages (64, 3), (128, 4), (256, 6), (512, 3) "
                 "of bottleneck_residual_block, stride 2 in the first block of stages 2-4; GAP; Dense softmax.")
DENSENET_HINT = N_("Stem 7x7/2 conv 64 (no bias) + BN + ReLU + 3x3/2 max pool; dense blocks 6, 12, 24, 16 "
                   "(growth 32) with a transition (0.5) between; BN, ReLU, GAP, Dense softmax.")


@EXERCISE.check(points=1.5, hint=RESNET_HINT, timeout=BIG, uses=("resnet50",))
def resnet50_params(t):
    check_params(t, "resnet50", "ResNet50", (224, 224, 3), 1000)


@EXERCISE.check(points=1.5, hint=RESNET_HINT, timeout=BIG, uses=("resnet50",))
def resnet50_layers(t):
    check_layers(t, "resnet50", "ResNet50", (224, 224, 3), 1000, "Add")


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, timeout=BIG, uses=("densenet121",))
def densenet121_params(t):
    check_params(t, "densenet121", "DenseNet121", (224, 224, 3), 1000)


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, timeout=BIG, uses=("densenet121",))
def densenet121_layers(t):
    check_layers(t, "densenet121", "DenseNet121", (224, 224, 3), 1000, "Concatenate")


# ------------------------------------------------------------ hidden
def _shape(rng, lo=4, hi=12, c=(4, 24)):
    return (int(rng.integers(lo, hi)), int(rng.integers(lo, hi)), int(rng.integers(*c)))


@EXERCISE.check(points=1.5, hint=INCEPTION_HINT, hidden=True, uses=("inception_block",))
def hidden_inception(t):
    shape = _shape(t.rng)
    args = tuple(int(v) for v in t.rng.integers(1, 12, size=6))
    check_inception_structure(t, shape, *args)
    _behaviour(t, "inception_block", ref_inception, shape, *args)


@EXERCISE.check(points=2, hint=lambda: _(RESIDUAL_HINT) + " " + _(BOTTLENECK_HINT), hidden=True,
                uses=("residual_block", "bottleneck_residual_block"))
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


@EXERCISE.check(points=2, hint=lambda: _(DENSE_HINT) + " " + _(TRANSITION_HINT), hidden=True,
                uses=("dense_block", "transition_block"))
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


@EXERCISE.check(points=1.5, hint=RESNET_HINT, hidden=True, timeout=BIG, uses=("resnet50",))
def hidden_resnet50(t):
    shape, classes = _hidden_net_args(t.rng)
    check_params(t, "resnet50", "ResNet50", shape, classes)
    check_layers(t, "resnet50", "ResNet50", shape, classes, "Add")


@EXERCISE.check(points=1.5, hint=DENSENET_HINT, hidden=True, timeout=BIG, uses=("densenet121",))
def hidden_densenet121(t):
    shape, classes = _hidden_net_args(t.rng)
    check_params(t, "densenet121", "DenseNet121", shape, classes)
    check_layers(t, "densenet121", "DenseNet121", shape, classes, "Concatenate")
