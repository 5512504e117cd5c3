"""q01 -- convolution arithmetic (ex01, ex02, ex04): shapes, parameters, receptive fields."""
from __future__ import annotations

from grader.core.i18n import N_, _
from grader.judge.quizkit import Dice, Quiz, choice_question, count_question, shape_question, show_count
from grader.quizzes import formulas as F

QUIZ = Quiz("q01", N_("Convolution arithmetic"),
            N_("output shapes, parameter counts, receptive fields (ex01, ex02, ex04)"))


def padding_text(padding) -> str:
    if padding == "valid":
        return _("padding 'valid' (no padding)")
    if padding == "same":
        return _("padding 'same'")
    return _("{p} pixels of zero padding on every side").format(p=padding)


def length_formula(n: int, k: int, s: int, padding) -> str:
    out = F.conv_length(n, k, s, padding)
    if padding == "same":
        return f"⌈{n} / {s}⌉ = {out}"
    p = 0 if padding == "valid" else int(padding)
    inner = f"{n} + 2·{p} − {k}" if p else f"{n} − {k}"
    return f"⌊({inner}) / {s}⌋ + 1 = {out}"


def hwc() -> str:
    return _("height x width x channels")


@QUIZ.template()
def conv_output_shape(d: Dice):
    h = d.choice([28, 32, 56, 64, 96, 128, 224, 227])
    w = h if d.chance(0.7) else d.integers(16, 128)
    c, filters = d.choice([1, 3, 16, 32, 64]), d.choice([8, 10, 16, 32, 64, 96, 128])
    k, s = d.choice([1, 3, 5, 7, 11]), d.choice([1, 1, 2, 2, 3, 4])
    padding = d.choice(["valid", "same", d.integers(1, 3)])
    answer = F.conv_shape((h, w, c), filters, k, s, padding)
    return shape_question(
        _("A Conv2D layer with {filters} filters of size {k}x{k}, stride {s} and {padding} is applied to an "
          "input of shape {h}x{w}x{c}. What is the output shape?").format(
            filters=filters, k=k, s=s, padding=padding_text(padding), h=h, w=w, c=c),
        answer, hwc(),
        _("Height: {fh}. Width: {fw}. A convolution outputs one channel per filter: {filters}.").format(
            fh=length_formula(h, k, s, padding), fw=length_formula(w, k, s, padding), filters=filters),
        h=h, w=w, c=c, filters=filters, k=k, s=s, padding=padding)


@QUIZ.template()
def conv_params(d: Dice):
    k, cin = d.choice([1, 3, 5, 7]), d.choice([1, 3, 16, 32, 64, 128, 256])
    filters, bias = d.choice([8, 16, 32, 64, 128, 256]), d.chance(0.8)
    answer = F.conv_params(k, cin, filters, bias)
    prompt = _("How many trainable parameters does a Conv2D layer with {filters} filters of size {k}x{k} have when "
               "its input has {cin} channels? ({bias})").format(
        filters=filters, k=k, cin=cin, bias=_("with biases, the default") if bias else _("use_bias=False: no biases"))
    if bias:
        why = _("Each filter spans all {cin} input channels: {k}·{k}·{cin} weights plus one bias, times {filters} "
                "filters: ({k}·{k}·{cin} + 1)·{filters} = {answer}.")
    else:
        why = _("Each filter spans all {cin} input channels: {k}·{k}·{cin} weights and no bias, times {filters} "
                "filters: {k}·{k}·{cin}·{filters} = {answer}.")
    return count_question(prompt, answer, why.format(k=k, cin=cin, filters=filters, answer=show_count(answer)),
                          k=k, cin=cin, filters=filters, use_bias=bias)


@QUIZ.template()
def pool_output_shape(d: Dice):
    h = d.choice([7, 13, 14, 27, 28, 32, 55, 56, 112])
    w = h if d.chance(0.7) else d.integers(7, 64)
    c, pool = d.choice([16, 32, 64, 96, 256]), d.choice([2, 3])
    strides, padding = d.choice([None, 1, 2]), d.choice(["valid", "same"])
    s = pool if strides is None else strides
    answer = F.pool_shape((h, w, c), pool, strides, padding)
    why = _("Height: {fh}. Width: {fw}. Pooling keeps the {c} channels.").format(
        fh=length_formula(h, pool, s, padding), fw=length_formula(w, pool, s, padding), c=c)
    if strides is None:
        why = _("strides=None means strides = pool_size = {pool}.").format(pool=pool) + " " + why
    return shape_question(
        _("MaxPooling2D(pool_size={pool}, strides={strides}, padding='{padding}') is applied to a {h}x{w}x{c} "
          "input. What is the output shape?").format(pool=pool, strides=strides, padding=padding, h=h, w=w, c=c),
        answer, hwc(), why, h=h, w=w, c=c, pool=pool, strides=strides, padding=padding)


@QUIZ.template()
def flatten_dense_params(d: Dice):
    h = d.integers(2, 14)
    w = h if d.chance(0.8) else d.integers(2, 14)
    c, units = d.choice([16, 32, 64, 128, 256, 512]), d.choice([10, 64, 128, 256, 512, 1000, 4096])
    answer = F.flatten_dense_params((h, w, c), units)
    return count_question(
        _("A {h}x{w}x{c} feature map is flattened and fed to Dense({units}). How many parameters does this Dense "
          "layer have?").format(h=h, w=w, c=c, units=units),
        answer,
        _("Flatten gives {h}·{w}·{c} = {features} features; the Dense layer has ({features} + 1)·{units} = "
          "{answer} parameters. This is why the first fully connected layer of AlexNet or VGG holds most of "
          "their weights.").format(h=h, w=w, c=c, features=show_count(h * w * c), units=units,
                                   answer=show_count(answer)),
        shape=(h, w, c), units=units)


@QUIZ.template()
def receptive_field(d: Dice):
    layers = []
    for _layer in range(d.integers(2, 5)):
        k = d.choice([1, 2, 3, 3, 5, 7])
        layers.append((k, d.choice([1, 1, 2]) if k > 1 else 1))
    answer = F.receptive_field(layers)
    terms, jump = ["1"], 1
    for k, s in layers:
        terms.append(f"{k - 1}·{jump}")
        jump *= s
    return count_question(
        _("Layers are stacked in this order (k = kernel size, s = stride, no padding): {layers}. How many input "
          "pixels wide is the receptive field of one unit of the last layer, along one axis?").format(
            layers=" → ".join(f"[k={k}, s={s}]" for k, s in layers)),
        answer,
        _("RF = 1 + Σ (kᵢ − 1) · (product of the strides below layer i) = {terms} = {answer}.").format(
            terms=" + ".join(terms), answer=answer),
        layers=[list(x) for x in layers])


@QUIZ.template()
def stacked_conv_params(d: Dice):
    depth, c = d.choice([2, 3, 4]), d.choice([16, 32, 64, 128, 256, 512])
    answer = F.stacked_conv_params(c, 3, depth)
    kk = 2 * depth + 1
    return count_question(
        _("VGG stacks 3x3 convolutions. How many parameters do {depth} stacked 3x3 Conv2D layers with {c} filters "
          "each have, on an input with {c} channels (with biases)?").format(depth=depth, c=c),
        answer,
        _("Each layer has (3·3·{c} + 1)·{c} = {per_layer} parameters; {depth} layers have {answer}. One {kk}x{kk} "
          "convolution with the same receptive field would have {big}.").format(
            c=c, per_layer=show_count(F.conv_params(3, c, c)), depth=depth, answer=show_count(answer), kk=kk,
            big=show_count(F.conv_params(kk, c, c))),
        channels=c, depth=depth)


@QUIZ.template()
def same_padding(d: Dice):
    return choice_question(
        d, _("A convolution uses padding='same' and stride 1. What does its output keep from its input?"),
        _("The height and width"),
        [_("The number of channels"), _("The number of parameters of the previous layer"),
         _("The pixel values at the border")],
        _("'same' pads just enough for ⌈n / stride⌉ output positions: with stride 1 that is n, so the height and "
          "width are kept. The channels become the number of filters."))


@QUIZ.template()
def fc_explosion(d: Dice):
    features = 7 * 7 * 512
    return choice_question(
        d, _("Where are most of the parameters of AlexNet and VGG16?"),
        _("In the first fully connected layer after Flatten"),
        [_("In the first convolution, which sees the full-resolution image"), _("In the max-pooling layers"),
         _("In the biases of the convolutions")],
        _("Flatten turns VGG16's last 7x7x512 feature map into {features} features; Dense(4096) on them has "
          "{dense} parameters, while its largest 3x3 convolution has {conv}.").format(
            features=show_count(features), dense=show_count(F.dense_params(features, 4096)),
            conv=show_count(F.conv_params(3, 512, 512))))
