"""q05 -- vision applications (ex06): YOLO and RPN heads, transposed convolutions, FCN, IoU, NMS."""
from __future__ import annotations

from grader.core.i18n import N_, _
from grader.judge.quizkit import Dice, Quiz, choice_question, count_question, decimal_question, shape_question, show_count, show_shape
from grader.quizzes import formulas as F
from grader.quizzes.q01_conv_arithmetic import hwc

QUIZ = Quiz("q05", N_("Vision applications"),
            N_("YOLO and region proposal heads, transposed convolutions, FCN score maps, IoU and NMS (ex06)"))


@QUIZ.template()
def yolo_output_shape(d: Dice):
    s, b, c = d.choice([7, 13, 14, 19]), d.choice([2, 3, 5]), d.choice([3, 10, 20, 80])
    answer = F.yolo_shape(s, b, c)
    return shape_question(
        _("A YOLO detector divides the image into a {s}x{s} grid; each cell predicts {b} boxes (x, y, w, h and a "
          "confidence each) and {c} class probabilities. What is the shape of its output, without the batch?").format(
            s=s, b=b, c=c),
        answer, _("grid x grid x values per cell"),
        _("Each cell predicts {b}·5 + {c} = {depth} numbers: {answer}.").format(b=b, c=c, depth=answer[2],
                                                                                 answer=show_shape(answer)),
        grid=s, boxes=b, classes=c)


def _rpn_numbers(d: Dice):
    h = d.choice([14, 19, 25, 38, 50, 64])
    w = h if d.chance(0.5) else d.choice([20, 32, 40, 50, 60])
    return h, w, d.choice([256, 512, 1024]), d.choice([3, 9, 12, 15])


@QUIZ.template()
def rpn_output_shape(d: Dice):
    h, w, c, k = _rpn_numbers(d)
    deltas = d.chance(0.5)
    answer = (h, w, (4 if deltas else 2) * k)
    if deltas:
        prompt = _("A region proposal network with {k} anchors per position runs on a {h}x{w}x{c} feature map: a 3x3 "
                   "'same' convolution with 512 filters, then two 1x1 convolutions, for the objectness scores (2k "
                   "channels) and for the box deltas (4k channels). What is the shape of the box deltas, without "
                   "the batch?")
        why = _("1x1 convolutions keep {h}x{w}; the deltas have 4·{k} = {ch} channels, four box offsets per anchor: "
                "{answer}.")
    else:
        prompt = _("A region proposal network with {k} anchors per position runs on a {h}x{w}x{c} feature map: a 3x3 "
                   "'same' convolution with 512 filters, then two 1x1 convolutions, for the objectness scores (2k "
                   "channels) and for the box deltas (4k channels). What is the shape of the objectness scores, "
                   "without the batch?")
        why = _("1x1 convolutions keep {h}x{w}; the scores have 2·{k} = {ch} channels, object or not for each "
                "anchor: {answer}.")
    return shape_question(prompt.format(k=k, h=h, w=w, c=c), answer, hwc(),
                          why.format(h=h, w=w, k=k, ch=answer[2], answer=show_shape(answer)),
                          h=h, w=w, c=c, anchors=k, output="deltas" if deltas else "scores")


@QUIZ.template()
def rpn_anchor_count(d: Dice):
    h, w, _c, k = _rpn_numbers(d)
    answer = h * w * k
    return count_question(
        _("A region proposal network places {k} anchors at every position of a {h}x{w} feature map. How many anchor "
          "boxes does it score for one image?").format(k=k, h=h, w=w),
        answer,
        _("{h}·{w} positions times {k} anchors = {answer}; each gets 2 scores and 4 box deltas.").format(
            h=h, w=w, k=k, answer=show_count(answer)),
        h=h, w=w, anchors=k)


@QUIZ.template()
def rpn_params(d: Dice):
    _h, _w, c, k = _rpn_numbers(d)
    answer = F.rpn_params(c, k)
    p3, ps, pd = F.conv_params(3, c, 512), F.conv_params(1, 512, 2 * k), F.conv_params(1, 512, 4 * k)
    return count_question(
        _("How many parameters does a region proposal head have on a feature map with {c} channels and {k} anchors "
          "per position: a 3x3 Conv2D with 512 filters, then two 1x1 Conv2Ds with 2·{k} and 4·{k} filters, all with "
          "biases?").format(c=c, k=k),
        answer,
        _("3x3: (3·3·{c} + 1)·512 = {p3}; scores: (512 + 1)·{s} = {ps}; deltas: (512 + 1)·{dd} = {pd}; total "
          "{answer}.").format(c=c, p3=show_count(p3), s=2 * k, ps=show_count(ps), dd=4 * k, pd=show_count(pd),
                              answer=show_count(answer)),
        c=c, anchors=k)


@QUIZ.template()
def conv_transpose_shape(d: Dice):
    h = d.choice([4, 7, 8, 14, 16, 28])
    w = h if d.chance(0.7) else d.choice([5, 10, 12, 20])
    c, filters = d.choice([16, 32, 64, 128, 256]), d.choice([3, 8, 16, 32, 64])
    k, s, padding = d.choice([2, 3, 4, 5]), d.choice([1, 2, 2, 3]), d.choice(["same", "valid"])
    answer = (F.conv_transpose_length(h, k, s, padding), F.conv_transpose_length(w, k, s, padding), filters)
    if padding == "same":
        why = _("With padding 'same' a transposed convolution multiplies the size by the stride: {h}·{s} = {oh} and "
                "{w}·{s} = {ow}; one channel per filter, {filters}.")
    else:
        why = _("With padding 'valid' Keras gives n·s + max(k − s, 0): {h}·{s} + max({k} − {s}, 0) = {oh} and "
                "{w}·{s} + max({k} − {s}, 0) = {ow}; one channel per filter, {filters}.")
    return shape_question(
        _("Conv2DTranspose({filters}, {k}, strides={s}, padding='{padding}') is applied to a {h}x{w}x{c} feature map. "
          "What is the output shape?").format(filters=filters, k=k, s=s, padding=padding, h=h, w=w, c=c),
        answer, hwc(),
        why.format(h=h, w=w, s=s, k=k, oh=answer[0], ow=answer[1], filters=filters),
        h=h, w=w, c=c, filters=filters, k=k, s=s, padding=padding)


@QUIZ.template()
def fcn_score_map(d: Dice):
    pools, fk = d.choice([2, 3, 4, 5]), d.choice([1, 2, 3, 4, 5, 7])
    c, classes = d.choice([64, 128, 256, 512]), d.choice([2, 10, 21])
    factor = 2 ** pools
    base = fk * factor
    hh, ww = base + factor * d.integers(1, 12), base + factor * d.integers(0, 12)
    fh, fw = hh // factor, ww // factor
    answer = (F.conv_length(fh, fk), F.conv_length(fw, fk), classes)
    return shape_question(
        _("A classifier takes {base}x{base}x3 images; {pools} 2x2 max-pooling layers (and 'same' convolutions) turn "
          "them into a {fk}x{fk}x{c} feature map, followed by Flatten and Dense({classes}). It is convolutionalized: "
          "the Dense layer becomes a {fk}x{fk} 'valid' Conv2D with {classes} filters. What is the output shape for "
          "a {hh}x{ww}x3 image?").format(base=base, pools=pools, fk=fk, c=c, classes=classes, hh=hh, ww=ww),
        answer, hwc(),
        _("The poolings divide by {factor}: {hh} / {factor} = {fh} and {ww} / {factor} = {fw}; the {fk}x{fk} "
          "'valid' convolution leaves {oh}x{ow} positions, one score vector for each {base}x{base} window: "
          "{answer}.").format(factor=factor, hh=hh, ww=ww, fh=fh, fw=fw, fk=fk, oh=answer[0], ow=answer[1],
                              base=base, answer=show_shape(answer)),
        pools=pools, fk=fk, c=c, classes=classes, hh=hh, ww=ww)


@QUIZ.template()
def iou(d: Dice):
    y1, x1 = d.integers(0, 10), d.integers(0, 10)
    a = [y1, x1, y1 + d.integers(2, 10), x1 + d.integers(2, 10)]
    dy, dx = d.integers(-4, 6), d.integers(-4, 6)
    b = [a[0] + dy, a[1] + dx, a[0] + dy + d.integers(2, 10), a[1] + dx + d.integers(2, 10)]
    value = F.iou(a, b)
    ih = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iw = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area_a, area_b = (a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])
    return decimal_question(
        _("What is the intersection over union (IoU) of the boxes A = {a} and B = {b}, given as [y1, x1, y2, x2]? "
          "Answer with at least two decimals, or as a fraction.").format(a=a, b=b),
        float(value),
        _("Intersection {ih}·{iw} = {inter}; areas {area_a} and {area_b}; union {area_a} + {area_b} − {inter} = "
          "{union}; IoU = {inter} / {union} ≈ {value}.").format(
            ih=ih, iw=iw, inter=ih * iw, area_a=area_a, area_b=area_b, union=area_a + area_b - ih * iw,
            value=f"{float(value):.3f}"),
        tolerance=0.0051, a=a, b=b)


@QUIZ.template()
def nms(d: Dice):
    return choice_question(
        d, _("What does non-max suppression do with a detector's boxes?"),
        _("It keeps the highest-scoring box and drops the boxes that overlap it by more than an IoU threshold, "
          "then repeats with the rest"),
        [_("It removes every box whose score is not the maximum of the whole image"),
         _("It merges overlapping boxes into their average box"),
         _("It resizes the boxes so that they no longer overlap")],
        _("Detectors predict many boxes around each object. NMS sorts them by score, keeps the best, removes the "
          "ones whose IoU with it exceeds the threshold, and repeats: one box per object remains, and separate "
          "objects survive."))


@QUIZ.template()
def anchors(d: Dice):
    return choice_question(
        d, _("What is an anchor in a region proposal network?"),
        _("A reference box of fixed size and aspect ratio at each feature-map position; the network predicts an "
          "objectness score and offsets relative to it"),
        [_("The pixel at the centre of each object in the training labels"),
         _("The first layer of the backbone network, whose weights stay frozen"),
         _("The highest-scoring box that non-max suppression keeps for each object")],
        _("With k anchors per position (several sizes and aspect ratios), the 1x1 heads output 2k scores and 4k "
          "box deltas: the network refines fixed reference boxes instead of predicting boxes from nothing."))
