"""Checks of ex06: convolutionalize against the classifier it came from (same
size and sliding windows), transposed-convolution lengths against Keras,
upsampling/YOLO/RPN heads by layers and identical weights, IoU against
keras.utils.bounding_boxes and NMS against tf.image.non_max_suppression."""
from __future__ import annotations

import json

import keras
import numpy as np
from keras import layers

from grader.judge import N_, Exercise, StudentModel, _, answers, expect, graph, rebuild, structure

EXERCISE = Exercise("ex06", N_("Vision applications: FCN and detection"), "ex06_vision_applications",
                    timeout=20, memory_mb=2048, recipes="grader.recipes.ex06_vision_applications",
                    summary=N_("convolutionalization, transposed convolutions, YOLO and RPN heads, IoU, NMS"))


# ------------------------------------------------------------ convolutionalize
def make_classifier(rng, spec):
    """A small classifier with random weights. spec: dict with input shape, the
    feature layers ("conv", filters, kernel, stride) / ("pool", size), the Dense
    units, dropout, final activation and whether to build it functionally."""
    # Names of our own, so that the layers the student creates (conv2d, dense, ...) cannot clash.
    inp = keras.Input(shape=spec["input"], name="given_image")
    stack = []
    for i, item in enumerate(spec["features"]):
        if item[0] == "conv":
            stack.append(layers.Conv2D(item[1], item[2], strides=item[3], activation="relu", name=f"given_conv_{i}"))
        else:
            stack.append(layers.MaxPooling2D(item[1], name=f"given_pool_{i}"))
    stack.append(layers.Flatten(name="given_flatten"))
    for i, units in enumerate(spec["dense"]):
        last = i == len(spec["dense"]) - 1
        stack.append(layers.Dense(units, activation=spec["final"] if last else "relu", name=f"given_dense_{i}"))
        if spec.get("dropout") and not last:
            stack.append(layers.Dropout(0.3, name=f"given_dropout_{i}"))
    if spec.get("functional"):
        x = inp
        for layer in stack:
            x = layer(x)
        model = keras.Model(inp, x, name="given_classifier")
    else:
        model = keras.Sequential([inp, *stack], name="given_classifier")
    model.set_weights([(rng.normal(0, 1.0 / np.sqrt(max(1, np.prod(w.shape[:-1]))), w.shape) * 1.5
                        + (0.1 if w.ndim == 1 else 0.0)).astype("float32") for w in model.weights])
    return model


def total_stride(spec) -> int:
    s = 1
    for item in spec["features"]:
        s *= item[3] if item[0] == "conv" else item[1]
    return s


def _to_wire(model) -> StudentModel:
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    return StudentModel(config, [np.asarray(w) for w in model.get_weights()])


def student_fcn(t, classifier):
    value = t.recipe("convolutionalize_model", _to_wire(classifier), fn="convolutionalize", with_weights=True)
    return rebuild(value, "convolutionalize(model)")


def _predict(model, x):
    return keras.ops.convert_to_numpy(model(x, training=False))


def _wrong_kernel_predictions(classifier, x) -> dict:
    """Predictions at the original size of the usual wrong reshapes of the first Dense kernel."""
    flat = next(i for i, layer in enumerate(classifier.layers) if isinstance(layer, layers.Flatten))
    dense = next(layer for layer in classifier.layers[flat:] if isinstance(layer, layers.Dense))
    h, w, c = (int(d) for d in classifier.layers[flat].input.shape[1:])
    kernel, bias = dense.get_weights()
    u = kernel.shape[1]
    variants = {
        _("the Dense kernel was reshaped as (C, H, W, units): Keras's Flatten orders the features H, W, C"):
            kernel.reshape(c, h, w, u).transpose(1, 2, 0, 3),
        _("the Dense kernel's H and W are swapped (reshape to (H, W, C, units), no transpose)"):
            kernel.reshape(h, w, c, u).transpose(1, 0, 2, 3),
        _("the Dense kernel was reshaped as (W, H, C, units)"): kernel.reshape(w, h, c, u),
    }
    out = {}
    for label, k in variants.items():
        if k.shape[:2] != (h, w):
            continue
        dense.set_weights([k.reshape(h * w * c, u).astype("float32"), bias])
        out[label] = _predict(classifier, x)
    dense.set_weights([kernel, bias])
    return out


def _fcn_output(fcn, x, what):
    fixed = tuple(fcn.inputs[0].shape[1:3])
    if x.shape[1:3] != fixed and any(d is not None for d in fixed):
        expect.fail(_("{what} takes inputs of shape {shape} only, so it cannot slide over a {h}x{w} image: a fully "
                      "convolutional model starts from keras.Input(shape=(None, None, {c}))").format(
            what=what, shape=tuple(fcn.inputs[0].shape[1:]), h=x.shape[1], w=x.shape[2], c=x.shape[-1]))
    try:
        sized = graph.Graph(graph.with_input_shape(fcn, x.shape[1:]))
    except Exception:  # noqa: BLE001 -- the model does not accept this input size; running it will say so
        sized = None
    if sized is not None:
        graph.check_sizes(sized, max(64 * int(np.prod(x.shape[1:])), 2**20), what)
    try:
        return _predict(fcn, x)
    except Exception as e:  # noqa: BLE001 -- a Keras error from running the rebuilt model
        msg = str(e).split("\n")[0][:160]
        flat = [n.cls for n in graph.Graph(fcn).order if n.cls in ("Flatten", "Reshape", "Dense")]
        why = _(" (it still contains {layers})").format(layers=", ".join(flat)) if flat else ""
        expect.fail(_("{what} fails on a {h}x{w} input{why}: {error}").format(
            what=what, h=x.shape[1], w=x.shape[2], why=why, error=f"{type(e).__name__}: {msg}"),
            _("Build the new model on keras.Input(shape=(None, None, C)) and replace Flatten + Dense "
              "by convolutions."))


def check_same_size(t, spec):
    classifier = make_classifier(t.rng, spec)
    fcn = student_fcn(t, classifier)
    x = t.rng.normal(0, 1, (3, *spec["input"])).astype("float32")
    want = _predict(classifier, x)
    got = _fcn_output(fcn, x, "convolutionalize(model)")
    k = want.shape[-1]
    if got.shape != (3, 1, 1, k):
        expect.fail(_("convolutionalize(model) at the original size {size} outputs shape {got}, "
                      "expected (1, 1, {k}): one position, {k} scores").format(
            size=spec["input"], got=got.shape[1:], k=k),
            _("Every Dense must become a Conv2D: the first with the h x w kernel of the flattened map, "
              "the others 1x1."))
    expect.close(got.reshape(3, k), want, _("convolutionalize(model) at the original size (vs. the classifier)"),
                 atol=1e-4, rtol=1e-4, mistakes=_wrong_kernel_predictions(classifier, x),
                 hint=_("Flatten orders features (h, w, c): kernel.reshape(h, w, c, units) keeps every weight in "
                        "place."))


def check_larger(t, spec, extra):
    classifier = make_classifier(t.rng, spec)
    fcn = student_fcn(t, classifier)
    h, w, c = spec["input"]
    s = total_stride(spec)
    (ah, aw) = extra
    x = t.rng.normal(0, 1, (2, h + s * ah, w + s * aw, c)).astype("float32")
    got = _fcn_output(fcn, x, "convolutionalize(model)")
    crops = np.stack([x[:, i * s:i * s + h, j * s:j * s + w] for i in range(ah + 1) for j in range(aw + 1)], 1)
    want = _predict(classifier, crops.reshape(-1, h, w, c)).reshape(2, ah + 1, aw + 1, -1)
    expect.close(got, want, _("convolutionalize(model) on a {h}x{w} image (each position vs. the classifier on its "
                              "{wh}x{ww} window)").format(h=x.shape[1], w=x.shape[2], wh=h, ww=w),
                 atol=1e-4, rtol=1e-4,
                 hint=_("On a larger input the output is a map: position (i, j) is the classifier applied to the "
                        "window starting at (i * stride, j * stride)."))


PUBLIC_SPEC = {"input": (12, 12, 3), "features": [("conv", 8, 3, 1), ("pool", 2), ("conv", 16, 3, 1)],
               "dense": [32, 5], "final": "softmax"}
PUBLIC_SPEC_2 = {"input": (10, 14, 2), "features": [("conv", 6, 3, 1), ("pool", 2)],
                 "dense": [16, 8, 4], "final": None, "dropout": True, "functional": True}
FCN_HINT = N_("Reuse the layers before Flatten on keras.Input((None, None, C)); Dense after Flatten -> "
              "Conv2D(units, (h, w)) with kernel.reshape(h, w, c, units); later Dense -> Conv2D(units, 1).")


@EXERCISE.check(points=2, hint=FCN_HINT, uses=("convolutionalize",))
def convolutionalize_same_size(t):
    check_same_size(t, PUBLIC_SPEC)
    check_same_size(t, PUBLIC_SPEC_2)


@EXERCISE.check(points=2, hint=FCN_HINT, uses=("convolutionalize",))
def convolutionalize_larger(t):
    check_larger(t, PUBLIC_SPEC, (2, 3))
    check_larger(t, PUBLIC_SPEC_2, (3, 1))


# ------------------------------------------------------------ transposed convolutions
def _transpose_length(n, k, s, padding, output_padding):
    layer = layers.Conv2DTranspose(1, k, strides=s, padding=padding, output_padding=output_padding)
    return int(layer.compute_output_shape((None, n, n, 1))[1])


def _check_transpose(t, cases):
    for n, k, s, padding, op in cases:
        want = _transpose_length(n, k, s, padding, op)
        what = f"conv_transpose_output_length({n}, {k}, {s}, {padding!r}, output_padding={op!r})"
        got = expect.integer(t.call("conv_transpose_output_length", n, k, s, padding, output_padding=op), what)
        pad = k // 2 if padding == "same" else 0
        wrong = {_("used (n - 1) * s + k: Keras's 'valid' without output_padding is n * s + max(k - s, 0)"):
                 (n - 1) * s + k if op is None and padding == "valid" else None,
                 _("used the convolution formula (a transposed convolution enlarges)"): (n - k) // s + 1,
                 _("ignored output_padding"): (n * s if padding == "same" else n * s + max(k - s, 0))
                 if op is not None else None,
                 _("forgot the 2 * pad of 'same'"): (n - 1) * s + k + (op or 0) if op is not None else None}
        expect.equal(got, want, what, {m: v for m, v in wrong.items() if v is not None and v != want})


TRANSPOSE_HINT = N_("output_padding None: 'same' -> n * s, 'valid' -> n * s + max(k - s, 0); otherwise "
                    "(n - 1) * s + k - 2 * pad + output_padding with pad = k // 2 for 'same'.")


@EXERCISE.check(points=1, hint=TRANSPOSE_HINT, uses=("conv_transpose_output_length",))
def conv_transpose_lengths(t):
    _check_transpose(t, [(7, 3, 2, "same", None), (7, 3, 2, "valid", None), (4, 2, 2, "valid", None),
                         (5, 1, 3, "valid", None), (4, 3, 2, "same", 1), (4, 3, 2, "valid", 1), (6, 5, 3, "same", 2)])


# ------------------------------------------------------------ heads
# The reference heads (upsampling, YOLO, RPN) are the instructor's code
# (grader/answers/ex06_vision_applications.py): the checks get a head's Keras config on the case's input shape
# (grader.judge.answers), which the student release ships for the public cases instead of the code.
ANSWERS = answers.Table("ex06_vision_applications")
UPSAMPLE, RPN, YOLO = "upsample", "rpn", "yolo"  # the reference heads, by name


def _head_model(head: str, input_shape, *args):
    """The reference head ``head`` on keras.Input(input_shape), as a keras.Model without weights."""
    config = ANSWERS("head_config", head, tuple(input_shape), *args)
    return graph.weightless_model(config)


def _rows(model):
    return structure.layer_rows(model, drop=graph.SILENT)


def _what(fn, shape, *args):
    return f"{fn}(keras.Input({tuple(shape)}){''.join(', ' + repr(a) for a in args)})"


def check_upsample(t, shape, filters):
    what = _what("upsample_block", shape, filters)
    got = graph.build(t, "upsample_block", shape, filters)
    want = _head_model(UPSAMPLE, shape, filters)
    if graph.judged_by_behaviour(got, want, shape, t.rng, what):
        return
    structure.compare_layers(_rows(got), _rows(want), what, ("class", "output_shape", "params", "activation"))
    graph.compare_behaviour(got, want, shape, t.rng, what)


UPSAMPLE_HINT = N_("layers.Conv2DTranspose(filters, 3, strides=2, padding='same', activation='relu').")


@EXERCISE.check(points=1.5, hint=UPSAMPLE_HINT, uses=("upsample_block",))
def upsample(t):
    check_upsample(t, (5, 7, 8), 4)
    check_upsample(t, (4, 4, 3), 6)


def _check_yolo_shapes(t, cases):
    for s, b, c in cases:
        what = f"yolo_output_shape({s}, {b}, {c})"
        got = t.call("yolo_output_shape", s, b, c)
        expect.equal(got, (s, s, b * 5 + c), what,
                     {_("B * (5 + C): YOLOv1 predicts the class probabilities once per cell, not per box"):
                      (s, s, b * (5 + c)),
                      _("forgot the confidence: each box is x, y, w, h and a confidence (5 numbers)"):
                      (s, s, b * 4 + c),
                      _("flattened the grid"): (s * s * (b * 5 + c),)})


@EXERCISE.check(points=1, hint=N_("Each cell: B boxes x 5 numbers (x, y, w, h, confidence) + C class "
                                 "probabilities."), uses=("yolo_output_shape",))
def yolo_shapes(t):
    _check_yolo_shapes(t, [(7, 2, 20), (13, 5, 80), (5, 1, 3)])


def check_yolo_head(t, shape, grid, b, c):
    what = _what("yolo_head", shape, grid, b, c)
    got = graph.build(t, "yolo_head", shape, grid, b, c)
    out = tuple(got.outputs[0].shape[1:]) if len(got.outputs) == 1 else None
    depth = b * 5 + c
    if out != (grid, grid, depth):
        expect.fail(_("{what} has output shape {got}, expected {want}").format(what=what, got=out,
                                                                                 want=(grid, grid, depth)))
    want = _head_model(YOLO, shape, grid, b, c)
    if graph.judged_by_behaviour(got, want, shape, t.rng, what):
        return
    structure.compare_layers(_rows(got), _rows(want), what, ("class", "output_shape", "params"))


YOLO_HINT = N_("Map already grid x grid: Conv2D(B*5+C, 1). Otherwise Flatten, Dense(grid*grid*(B*5+C)), "
               "Reshape((grid, grid, B*5+C)).")


@EXERCISE.check(points=1.5, hint=YOLO_HINT, uses=("yolo_head",))
def yolo_head_layers(t):
    check_yolo_head(t, (7, 7, 64), 7, 2, 20)
    check_yolo_head(t, (10, 10, 16), 5, 2, 3)


def check_rpn(t, shape, k):
    what = _what("rpn_head", shape, k)
    got = graph.build(t, "rpn_head", shape, k)
    if len(got.outputs) != 2:
        expect.fail(_("{what} returned {n} tensor(s), expected the pair (scores, deltas)").format(
            what=what, n=len(got.outputs)))
    chans = [int(o.shape[-1]) for o in got.outputs]
    if chans == [4 * k, 2 * k]:
        expect.fail(_("{what} returned (deltas, scores): the scores ({n} channels) come first").format(
            what=what, n=2 * k))
    if chans[0] == k:
        expect.fail(_("{what}: the scores have {k} channels -- two scores per anchor (object, background): 2k")
                    .format(what=what, k=k))
    if chans != [2 * k, 4 * k]:
        expect.fail(_("{what} returned tensors with {a} and {b} channels, expected 2k = {two_k} and 4k = {four_k}")
                    .format(what=what, a=chans[0], b=chans[1], two_k=2 * k, four_k=4 * k))
    want = _head_model(RPN, shape, k)
    if graph.judged_by_behaviour(got, want, shape, t.rng, what, names=(" scores", " deltas")):
        return
    structure.compare_layers(_rows(got), _rows(want), what, ("class", "output_shape", "params", "activation"))
    graph.compare_behaviour(got, want, shape, t.rng, what, names=(" scores", " deltas"))


RPN_HINT = N_("h = Conv2D(512, 3, padding='same', activation='relu')(x); scores = Conv2D(2k, 1)(h); "
              "deltas = Conv2D(4k, 1)(h); return scores, deltas.")


@EXERCISE.check(points=1.5, hint=RPN_HINT, uses=("rpn_head",))
def rpn(t):
    check_rpn(t, (6, 8, 8), 9)
    check_rpn(t, (5, 5, 4), 3)


# ------------------------------------------------------------ IoU
def true_iou(a, b) -> float:
    from keras.utils import bounding_boxes
    v = bounding_boxes.compute_iou(np.asarray([a], "float32"), np.asarray([b], "float32"), "yxyx")
    return float(keras.ops.convert_to_numpy(v)[0, 0])


def _iou_variants(a, b) -> dict:
    ay1, ax1, ay2, ax2 = a
    by1, bx1, by2, bx2 = b
    oy, ox = min(ay2, by2) - max(ay1, by1), min(ax2, bx2) - max(ax1, bx1)
    area_a, area_b = (ay2 - ay1) * (ax2 - ax1), (by2 - by1) * (bx2 - bx1)
    inter = max(oy, 0) * max(ox, 0)
    out = {_("no clamp at 0: two negative overlaps multiply to a positive area"):
           oy * ox / (area_a + area_b - oy * ox) if area_a + area_b - oy * ox else None,
           _("divided by area(A) + area(B): the union subtracts the intersection once"): inter / (area_a + area_b),
           _("used the +1 pixel convention (y2 - y1 + 1)"): None,
           _("divided by the smaller area (that is not the union)"): inter / min(area_a, area_b)}
    iy, ix = min(ay2, by2) - max(ay1, by1) + 1, min(ax2, bx2) - max(ax1, bx1) + 1
    i1 = max(iy, 0) * max(ix, 0)
    u1 = (ay2 - ay1 + 1) * (ax2 - ax1 + 1) + (by2 - by1 + 1) * (bx2 - bx1 + 1) - i1
    out[_("used the +1 pixel convention (y2 - y1 + 1)")] = i1 / u1
    return {k: v for k, v in out.items() if v is not None}


def _plain(box) -> tuple:
    return tuple(int(v) if float(v).is_integer() else float(v) for v in box)


def _check_iou(t, pairs):
    for a, b in pairs:
        a, b = _plain(a), _plain(b)
        want = true_iou(a, b)
        what = f"iou({a}, {b})"
        got = t.call("iou", list(a), list(b))
        if isinstance(got, (list, tuple, np.ndarray)) and np.size(got) == 1:
            got = float(np.asarray(got).ravel()[0])
        expect.close(got, np.float64(want), what, atol=1e-5, rtol=1e-5,
                     mistakes={k: v for k, v in _iou_variants(a, b).items() if abs(v - want) > 1e-4})


IOU_HINT = N_("overlap_y = max(0, min(y2a, y2b) - max(y1a, y1b)), the same for x; inter = overlap_y * overlap_x; "
              "IoU = inter / (area_a + area_b - inter).")


@EXERCISE.check(points=1.5, hint=IOU_HINT, uses=("iou",))
def iou_cases(t):
    _check_iou(t, [((0, 0, 2, 2), (1, 1, 3, 3)),   # partial overlap: 1 / 7
                   ((0, 0, 2, 2), (0, 0, 2, 2)),   # identical
                   ((0, 0, 4, 4), (1, 1, 2, 2)),   # nested
                   ((0, 0, 1, 1), (0, 1, 1, 2)),   # touching along an edge: 0
                   ((0, 0, 1, 1), (2, 3, 4, 5)),   # apart in both axes: 0, not (-1) * (-2) / ...
                   ((0.5, 0.25, 2.5, 1.75), (1.0, 1.0, 3.0, 2.0))])


# ------------------------------------------------------------ NMS
def true_nms(boxes, scores, max_outputs, threshold) -> np.ndarray:
    import tensorflow as tf
    return tf.image.non_max_suppression(np.asarray(boxes, "float32"), np.asarray(scores, "float32"),
                                        int(max_outputs), float(threshold)).numpy().astype(np.int64)


# The versions of non-max suppression that make each mistake are the instructor's code
# (grader/answers/ex06_vision_applications.py: nms_variant); the student release holds their values on the
# public cases (``ANSWERS``, grader.judge.answers).


NMS_MISTAKES = {  # labels marked with N_ and translated by expect when named
    N_("overlapping boxes were kept: nothing was suppressed"): dict(suppress=False),
    N_("suppressed at IoU == threshold: only IoU *greater* than the threshold suppresses"): dict(ge=True),
    N_("equal scores were taken highest index first (argsort(scores)[::-1]); TensorFlow keeps the lower index "
       "first"): dict(reverse_ties=True),
    N_("a box was suppressed by a box that had itself been suppressed: compare with the kept boxes only"):
        dict(against_all=True),
    N_("returned more than max_outputs boxes"): dict(limit=False),
    N_("the IoU has no clamp at 0: boxes apart in both axes 'overlap'"): dict(clamp=False),
}


def _check_nms(t, cases):
    for boxes, scores, max_outputs, thr in cases:
        boxes = np.asarray(boxes, np.float64)
        scores = np.asarray(scores, np.float64)
        want = true_nms(boxes, scores, max_outputs, thr)
        what = f"non_max_suppression(<{len(boxes)} boxes>, <scores>, {max_outputs}, {thr})"
        got = t.call("non_max_suppression", boxes, scores, max_outputs, thr)
        arr = np.asarray(got)
        if arr.dtype.kind not in "iu" and not (arr.size == 0 or np.all(arr == np.round(arr))):
            expect.fail(_("{what} returned {got}, expected integer indices").format(what=what, got=repr(arr)))
        mistakes = {}
        for label, kw in NMS_MISTAKES.items():
            v = ANSWERS("nms_variant", boxes, scores, max_outputs, thr, **kw)
            if not np.array_equal(v, want):
                mistakes[label] = [int(i) for i in v]
        if len(boxes) <= 6:
            what += _(" with boxes {boxes} and scores {scores}").format(boxes=boxes.astype(float).tolist(),
                                                                          scores=scores.tolist())
        expect.equal([int(i) for i in arr.ravel()], [int(i) for i in want], what, mistakes)


NMS_HINT = N_("Sort by score (stable: ties keep the lower index), keep a box unless its IoU with an already kept "
              "box is > threshold, stop at max_outputs.")

BASIC_BOXES = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 20, 10, 30], [1, 21, 11, 31], [20, 0, 30, 10], [50, 50, 60, 60]]
BASIC_SCORES = [0.9, 0.75, 0.8, 0.875, 0.5, 0.25]


@EXERCISE.check(points=1, hint=NMS_HINT, uses=("non_max_suppression",))
def nms_basic(t):
    _check_nms(t, [(BASIC_BOXES, BASIC_SCORES, 10, 0.5), (BASIC_BOXES, BASIC_SCORES, 2, 0.5),
                   (BASIC_BOXES, BASIC_SCORES, 10, 0.7)])


@EXERCISE.check(points=1.5, hint=NMS_HINT, uses=("non_max_suppression",))
def nms_ties_and_touching(t):
    touching = [[0, 0, 1, 1], [0, 1, 1, 2], [0, 0, 1, 3], [0, 1, 1, 4], [1, 0, 2, 1]]
    _check_nms(t, [
        (touching, [0.9, 0.8, 0.7, 0.6, 0.5], 10, 0.0),                    # touching boxes survive threshold 0
        ([[0, 0, 1, 3], [0, 1, 1, 4], [5, 5, 6, 6]], [0.5, 0.5, 0.5], 10, 0.5),   # IoU exactly 0.5, equal scores
        ([[0, 0, 2, 2], [0, 0, 2, 2], [0, 0, 2, 2], [4, 4, 5, 5]], [0.5, 0.75, 0.75, 0.75], 10, 0.5),  # ties
        ([[0, 0, 4, 4], [0, 2, 4, 6], [0, 4, 4, 8]], [0.9, 0.8, 0.7], 10, 0.3),   # chain: C kept after B is gone
        ([[0, 0, 1, 1], [2, 3, 4, 5], [3, 4, 6, 9]], [0.9, 0.8, 0.7], 10, 0.1),   # apart in both axes
    ])


# ------------------------------------------------------------ hidden
def _random_spec(rng):
    h, w = int(rng.integers(10, 17)), int(rng.integers(10, 17))
    features = [("conv", int(rng.integers(3, 9)), int(rng.choice([2, 3])), 1), ("pool", 2)]
    if rng.random() < 0.5 and min(h, w) >= 12:
        features.append(("conv", int(rng.integers(4, 10)), 3, 1))
    dense = [int(rng.integers(8, 24)) for _ in range(int(rng.integers(0, 2)))] + [int(rng.integers(2, 7))]
    return {"input": (h, w, int(rng.integers(1, 4))), "features": features, "dense": dense,
            "final": [None, "softmax", "sigmoid"][int(rng.integers(3))], "dropout": bool(rng.random() < 0.5),
            "functional": bool(rng.random() < 0.5)}


@EXERCISE.check(points=2, hint=FCN_HINT, hidden=True, uses=("convolutionalize",))
def hidden_convolutionalize(t):
    spec = _random_spec(t.rng)
    check_same_size(t, spec)
    check_larger(t, spec, (int(t.rng.integers(1, 4)), int(t.rng.integers(1, 4))))


@EXERCISE.check(points=1, hint=TRANSPOSE_HINT, hidden=True, uses=("conv_transpose_output_length", "yolo_output_shape"))
def hidden_lengths_and_shapes(t):
    rng = t.rng
    cases = []
    for _ in range(10):
        n, k, s = int(rng.integers(1, 40)), int(rng.integers(1, 8)), int(rng.integers(1, 5))
        padding = ["same", "valid"][int(rng.integers(2))]
        op = None if rng.random() < 0.5 else int(rng.integers(0, s))
        cases.append((n, k, s, padding, op))
    _check_transpose(t, cases)
    _check_yolo_shapes(t, [(int(rng.integers(2, 20)), int(rng.integers(1, 6)), int(rng.integers(1, 100)))
                           for _ in range(4)])


@EXERCISE.check(points=1.5, hint=lambda: " ".join(_(h) for h in (UPSAMPLE_HINT, YOLO_HINT, RPN_HINT)), hidden=True,
                uses=("upsample_block", "yolo_head", "rpn_head"))
def hidden_heads(t):
    rng = t.rng
    check_upsample(t, (int(rng.integers(2, 9)), int(rng.integers(2, 9)), int(rng.integers(1, 9))),
                   int(rng.integers(1, 9)))
    grid = int(rng.integers(2, 8))
    side = grid if rng.random() < 0.5 else grid + int(rng.integers(1, 5))
    check_yolo_head(t, (side, side, int(rng.integers(2, 12))), grid, int(rng.integers(1, 4)),
                    int(rng.integers(1, 10)))
    check_rpn(t, (int(rng.integers(3, 8)), int(rng.integers(3, 8)), int(rng.integers(2, 9))),
              int(rng.integers(1, 10)))


def _grid_boxes(rng, n, size=8):
    """Boxes with small integer corners: many equal IoUs, touching edges and exact ties."""
    y1, x1 = rng.integers(0, size, n), rng.integers(0, size, n)
    h, w = rng.integers(1, 4, n), rng.integers(1, 4, n)
    return np.stack([y1, x1, y1 + h, x1 + w], 1).astype(np.float64)


@EXERCISE.check(points=1.5, hint=lambda: _(IOU_HINT) + " " + _(NMS_HINT), hidden=True,
                uses=("iou", "non_max_suppression"))
def hidden_iou_nms(t):
    rng = t.rng
    boxes = _grid_boxes(rng, 16, size=5)
    _check_iou(t, [(tuple(boxes[i]), tuple(boxes[i + 1])) for i in range(0, 16, 2)])
    cases = []
    for _ in range(4):
        n = int(rng.integers(5, 25))
        b = _grid_boxes(rng, n)
        scores = rng.integers(1, 6, n) / 8.0  # few distinct values: ties
        cases.append((b, scores, int(rng.integers(1, n + 2)), float(rng.choice([0.0, 0.2, 0.25, 0.5, 0.7]))))
    _check_nms(t, cases)
