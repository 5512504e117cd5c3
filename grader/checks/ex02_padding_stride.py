"""Checks of ex02: numpy convolution and pooling against Keras Conv2D / MaxPooling2D, 'same' padding amounts
read off Keras, the cost of downsampling by counting multiply-accumulates."""
from __future__ import annotations

import numpy as np

from grader.judge import N_, Exercise, StudentError, _, answers, expect, truth

EXERCISE = Exercise("ex02", N_("Padding, stride and pooling"), "ex02_padding_stride", timeout=30, memory_mb=1024,
                    child_keras=False,
                    summary=N_("same padding, numpy Conv2D and MaxPool equal to Keras, stride vs pooling cost"))

ATOL = 1e-5
CONV_HINT = N_("out[n, i, j, f] = sum over (di, dj, c) of xpad[n, i*s + di, j*s + dj, c] * w[di, dj, c, f] + b[f]; "
               "'same' pads (pad // 2) before and the rest after.")


COURSE_PADDING = N_("padded (k - 1) // 2 on both sides: right for odd kernels at stride 1 only; an even kernel or a "
                    "stride above 1 needs the odd pixel after (total = (out - 1) * s + k - n)")
SQUARE_KERNEL = N_("assumed a square kernel: the window (and the padding) use w.shape[0] for both axes; "
                   "take kh, kw = w.shape[:2]")

# The wrong answers that name each mistake of conv2d_forward come from a numpy convolution with explicit pads,
# which with Keras's pads is conv2d_forward itself: that code is the instructor's
# (grader/answers/ex02_padding_stride.py), and the student release holds its values on the public cases
# (grader.judge.answers).  So does downsample_cost's count (a formula, not a Keras layer).
ANSWERS = answers.Table("ex02_padding_stride")
CONV_MISTAKES = {  # the variants of grader/answers/ex02_padding_stride.py:conv_mistakes, in the order they are named
    "no_bias": N_("forgot to add the bias"),
    "flipped": N_("flipped the kernel: Keras convolution is cross-correlation (no flip)"),
    "odd_pixel_before": N_("put the odd padding pixel before: TensorFlow puts it after (bottom/right)"),
    "half_kernel_both_sides": N_("padded k // 2 on both sides: 'same' pads (out - 1) * s + k - n in total"),
    "course_padding": COURSE_PADDING,
    "square_kernel": SQUARE_KERNEL,
    "no_stride": N_("ignored the stride"),
}


def _conv_mistakes(x, w, b, stride, padding):
    """{label: what conv2d_forward returns with that mistake} for this case (asked for whatever the submission
    does: the student release holds what the public checks asked for on the reference solution)."""
    found = ANSWERS("conv_mistakes", x, w, b, stride, padding)
    return {_(label): found[key] for key, label in CONV_MISTAKES.items() if key in found}


def _check_conv(t, cases):
    for (n, h, wd, cin), (kh, kw, f), stride, padding in cases:
        x = t.rng.uniform(-1, 1, (n, h, wd, cin)).astype("float32")
        w = t.rng.uniform(-0.5, 0.5, (kh, kw, cin, f)).astype("float32")
        b = t.rng.uniform(-0.5, 0.5, (f,)).astype("float32")
        want = truth.conv2d_apply(x, w, b, stride, padding)
        mistakes = _conv_mistakes(x, w, b, stride, padding)
        what = f"conv2d_forward(x{x.shape}, w{w.shape}, stride={stride}, padding={padding!r})"
        try:
            got = t.call("conv2d_forward", x, w, b, stride=stride, padding=padding)
        except StudentError as e:  # the function raised (not: it is missing) on a non-square kernel
            if kh == kw or e.hint != _("Run the function yourself on a small input and read the traceback."):
                raise
            raise StudentError(e.message + " -- " + _("the kernel is {kh}x{kw}, not square: {label}").format(
                kh=kh, kw=kw, label=_(SQUARE_KERNEL)), e.hint) from None
        expect.close(got, want, what, atol=ATOL, rtol=ATOL, mistakes=mistakes)


PAD_HINT = N_("total = max((ceil(n / s) - 1) * s + k - n, 0); before = total // 2; after = total - before.")


def _pad_mistakes(n, k, s):
    before, after = truth.same_padding_of_keras(n, k, s)
    return {_("the odd pixel goes after, not before"): (after, before),
            _("k // 2 on both sides ignores the stride and even kernels"): (k // 2, k // 2),
            _(COURSE_PADDING): ((k - 1) // 2, (k - 1) // 2),
            _("ignored the stride: total = k - 1 only when stride is 1"): ((k - 1) // 2, k - 1 - (k - 1) // 2)}


def _check_pads(t, cases):
    for n, k, s in cases:
        want = truth.same_padding_of_keras(n, k, s)
        got = t.call("same_padding", n, k, s)
        expect.equal(got, want, f"same_padding({n}, {k}, {s})", _pad_mistakes(n, k, s))


@EXERCISE.check(points=1, hint=PAD_HINT, uses=("same_padding",))
def same_padding_amounts(t):
    _check_pads(t, [(7, 3, 1), (8, 4, 1), (7, 3, 2), (8, 3, 2), (5, 2, 2), (224, 7, 2), (6, 1, 3)])


@EXERCISE.check(points=2, hint=CONV_HINT, uses=("conv2d_forward",))
def conv_valid(t):
    _check_conv(t, [((2, 7, 7, 1), (3, 3, 2), 1, "valid"), ((1, 6, 6, 3), (2, 2, 4), 1, "valid"),
                    ((2, 5, 8, 3), (3, 1, 2), 1, "valid")])


@EXERCISE.check(points=2, hint=CONV_HINT, uses=("conv2d_forward",))
def conv_same(t):
    _check_conv(t, [((2, 7, 7, 3), (3, 3, 2), 1, "same"), ((1, 8, 8, 1), (4, 4, 2), 1, "same"),
                    ((1, 6, 7, 3), (2, 3, 3), 1, "same")])


@EXERCISE.check(points=2, hint=CONV_HINT, uses=("conv2d_forward",))
def conv_strided(t):
    _check_conv(t, [((1, 9, 9, 1), (3, 3, 2), 2, "valid"), ((2, 7, 7, 3), (3, 3, 2), 2, "same"),
                    ((1, 8, 8, 3), (4, 4, 3), 2, "same"), ((1, 7, 8, 1), (2, 2, 1), 2, "same")])


def _check_pool(t, cases):
    for shape, pool, stride, padding in cases:
        x = t.rng.uniform(-1.5, 0.5, shape).astype("float32")  # mostly negative: zero-padding would win
        want = truth.maxpool2d_apply(x, pool, stride, padding)
        got = t.call("max_pool2d_forward", x, pool_size=pool, stride=stride, padding=padding)
        what = f"max_pool2d_forward(x{x.shape}, pool_size={pool}, stride={stride}, padding={padding!r})"
        wrong = {}
        if stride is None:
            wrong[_("stride=None means stride = pool_size, not 1")] = truth.maxpool2d_apply(x, pool, 1, padding)
        if padding == "same":
            s = stride or pool
            (t0, b0), (l0, r0) = (truth.same_padding_of_keras(x.shape[1], pool, s),
                                  truth.same_padding_of_keras(x.shape[2], pool, s))
            zero_padded = np.pad(x, ((0, 0), (t0, b0), (l0, r0), (0, 0)))  # zeros take part in the max
            wrong[_("padded with zeros: padded positions must never win the max (pad with -inf)")] = \
                truth.maxpool2d_apply(zero_padded, pool, s, "valid")
        expect.close(got, want, what, atol=ATOL, rtol=ATOL, mistakes=wrong)


@EXERCISE.check(points=2, hint=N_("Take the max over each pool_size x pool_size window, channel by channel; "
                                 "stride defaults to pool_size; 'same' pads with -inf."), uses=("max_pool2d_forward",))
def max_pooling(t):
    _check_pool(t, [((2, 8, 8, 3), 2, None, "valid"), ((1, 7, 7, 2), 3, 2, "valid"),
                    ((1, 7, 9, 2), 2, None, "same"), ((1, 5, 5, 1), 3, 2, "same")])


def _check_costs(t, cases):
    for shape, filters, k in cases:
        want = ANSWERS("downsample_cost", shape, filters, k)
        h, w, c = shape
        got = t.call("downsample_cost", shape, filters, k)
        what = f"downsample_cost({shape}, {filters}, {k})"
        if not isinstance(got, dict) or set(got) != set(want):
            expect.fail(_("{what} returned {got}; expected a dict with keys 'conv_then_pool' and 'strided_conv'")
                        .format(what=what, got=repr(got)), _("Return {'conv_then_pool': ..., 'strided_conv': ...}."))
        pooled = (h // 2) * (w // 2) * filters * k * k * c
        for key in want:
            wrong = {_("forgot the input channels (each MAC window spans all C_in)"): want[key] // c} if c > 1 else {}
            if key == "conv_then_pool":
                wrong[_("counted the conv only at the pooled positions: it runs at every position first")] = pooled
                wrong[_("counted pooling comparisons as MACs (max pooling has none)")] = \
                    want[key] + (h // 2) * (w // 2) * filters * 4
            else:
                wrong[_("rounded the strided output down: 'same' with stride 2 gives ceil(n / 2)")] = pooled
            expect.equal(expect.integer(got[key], f"{what}[{key!r}]"), want[key], f"{what}[{key!r}]", wrong)


@EXERCISE.check(points=1, hint=N_("MACs of a conv = output positions x filters x (k * k * C_in); pooling adds none."),
                uses=("downsample_cost",))
def stride_vs_pooling_cost(t):
    _check_costs(t, [((32, 32, 3), 16, 3), ((7, 9, 8), 4, 5), ((224, 224, 64), 64, 3)])


# ------------------------------------------------------------------ hidden
@EXERCISE.check(points=1, hint=PAD_HINT, hidden=True, uses=("same_padding",))
def hidden_same_padding(t):
    _check_pads(t, [(int(t.rng.integers(1, 64)), int(t.rng.integers(1, 8)), int(t.rng.integers(1, 5)))
                    for _ in range(15)])


@EXERCISE.check(points=2, hint=CONV_HINT, hidden=True, uses=("conv2d_forward",))
def hidden_conv(t):
    cases = []
    for _ in range(4):
        k = (int(t.rng.integers(1, 5)), int(t.rng.integers(1, 5)))
        shape = (int(t.rng.integers(1, 3)), int(t.rng.integers(k[0] + 1, 12)), int(t.rng.integers(k[1] + 1, 12)),
                 int(t.rng.choice([1, 3])))
        cases.append((shape, (*k, int(t.rng.integers(1, 4))), int(t.rng.integers(1, 3)),
                      str(t.rng.choice(["valid", "same"]))))
    _check_conv(t, cases)


@EXERCISE.check(points=1, hint=N_("Pooling: max over windows; stride defaults to pool_size; 'same' pads with -inf."),
                hidden=True, uses=("max_pool2d_forward", "downsample_cost"))
def hidden_pool_and_cost(t):
    pools = []
    for _ in range(3):
        p = int(t.rng.integers(2, 4))
        shape = (1, int(t.rng.integers(p, 12)), int(t.rng.integers(p, 12)), int(t.rng.integers(1, 4)))
        pools.append((shape, p, None if t.rng.random() < 0.5 else int(t.rng.integers(1, 3)),
                      str(t.rng.choice(["valid", "same"]))))
    _check_pool(t, pools)
    _check_costs(t, [((int(t.rng.integers(3, 64)), int(t.rng.integers(3, 64)), int(t.rng.integers(1, 32))),
                      int(t.rng.integers(1, 64)), int(t.rng.choice([1, 3, 5]))) for _ in range(4)])
