"""Checks of ex01: every answer is compared with a real Keras layer."""
from __future__ import annotations

import math

from grader.judge import N_, Exercise, _, expect, truth

EXERCISE = Exercise("ex01", N_("Convolution arithmetic"), "ex01_conv_arithmetic",
                    timeout=10, memory_mb=1024, child_keras=False,
                    summary=N_("output sizes (valid/same/int padding, strides), parameter counts"))

LENGTH_HINT = N_("valid: floor((n - k) / s) + 1; int p: floor((n + 2p - k) / s) + 1; "
                 "same: ceil(n / s) whatever the kernel.")


def _length_mistakes(n, k, s, padding):
    p = 0 if padding in ("valid", "same") else int(padding)
    m = {
        _("rounded up where the formula floors (use //, not ceil)"): math.ceil((n + 2 * p - k) / s) + 1,
        _("forgot the + 1 (the first window position counts too)"): (n + 2 * p - k) // s,
        _("divided before subtracting the kernel: brackets are (n + 2p - k) / s"): n + 2 * p - k // s + 1,
    }
    if padding == "same":
        m = {_("n // stride rounds down; Keras 'same' gives ceil(n / stride)"): n // s,
             _("used the 'valid' formula for 'same'"): (n - k) // s + 1,
             _("ignored the stride: 'same' keeps n only when stride is 1"): n}
    elif not isinstance(padding, str):
        m[_("padded one side only: p zeros go on both sides (2p)")] = (n + p - k) // s + 1
        m[_("ignored the padding")] = (n - k) // s + 1
    return m


def _check_lengths(t, cases):
    for n, k, s, padding in cases:
        want = truth.conv2d_output_shape((n, n, 1), 1, k, s, padding)[0]
        what = f"conv_output_length({n}, {k}, stride={s}, padding={padding!r})"
        got = expect.integer(t.call("conv_output_length", n, k, stride=s, padding=padding), what)
        expect.equal(got, want, what, _length_mistakes(n, k, s, padding))


@EXERCISE.check(points=1, hint=LENGTH_HINT, uses=("conv_output_length",))
def length_valid(t):
    _check_lengths(t, [(32, 5, 1, "valid"), (7, 3, 2, "valid"), (8, 3, 2, "valid"), (227, 11, 4, "valid"),
                       (10, 1, 3, "valid")])


@EXERCISE.check(points=1, hint=LENGTH_HINT, uses=("conv_output_length",))
def length_same(t):
    _check_lengths(t, [(32, 5, 1, "same"), (7, 3, 2, "same"), (8, 4, 2, "same"), (13, 5, 3, "same"),
                       (224, 7, 2, "same")])


@EXERCISE.check(points=1, hint=LENGTH_HINT, uses=("conv_output_length",))
def length_int_padding(t):
    _check_lengths(t, [(32, 5, 1, 2), (50, 3, 1, 1), (7, 3, 2, 1), (28, 5, 2, 2), (9, 4, 3, 1)])


@EXERCISE.check(points=2, hint=N_("32x32x3, ten 5x5 filters, stride 1, pad 2: (32 + 4 - 5) + 1 = 32; "
                                 "each filter has 5*5*3 weights + 1 bias."),
                                 uses=("conv_output_shape", "conv_param_count"))
def classic_cases(t):
    expect.equal(t.call("conv_output_shape", (32, 32, 3), 10, 5, 1, 2), (32, 32, 10),
                 "conv_output_shape((32, 32, 3), 10, 5, 1, 2)")
    expect.equal(t.call("conv_param_count", 5, 3, 10), 760, "conv_param_count(5, 3, 10)",
                 {_("forgot the bias (one per filter)"): 750, _("forgot the input channels"): 260})
    expect.equal(t.call("conv_output_shape", (40, 50, 128), 64, 3, 1, 1), (40, 50, 64),
                 "conv_output_shape((40, 50, 128), 64, 3, 1, 1)")
    expect.equal(t.call("conv_param_count", 3, 128, 64), 73792, "conv_param_count(3, 128, 64)",
                 {_("forgot the bias (one per filter)"): 73728})


def _shape_mistakes(input_shape, filters, k, s, padding):
    (kh, kw) = (k, k) if isinstance(k, int) else k
    (sh, sw) = (s, s) if isinstance(s, int) else s
    h, w, c = input_shape
    wrong = {}
    wrong[_("kept the input channels: a conv outputs one channel per filter")] = (
        *truth.conv2d_output_shape(input_shape, filters, k, s, padding)[:2], c)
    if (kh, sh) != (kw, sw):
        wrong[_("used the height's kernel/stride for the width too")] = truth.conv2d_output_shape(
            input_shape, filters, kh, sh, padding)
    return wrong


def _check_conv_shapes(t, cases):
    for input_shape, filters, k, s, padding in cases:
        want = truth.conv2d_output_shape(input_shape, filters, k, s, padding)
        what = f"conv_output_shape({input_shape}, {filters}, {k}, {s}, {padding!r})"
        got = t.call("conv_output_shape", input_shape, filters, k, strides=s, padding=padding)
        expect.equal(got, want, what, _shape_mistakes(input_shape, filters, k, s, padding))


@EXERCISE.check(points=1, hint=N_("Apply conv_output_length to H with (kh, sh) and to W with (kw, sw); "
                                 "the channels become `filters`."), uses=("conv_output_shape",))
def conv_shapes(t):
    _check_conv_shapes(t, [((28, 28, 1), 32, 3, 1, "valid"), ((227, 227, 3), 96, 11, 4, "valid"),
                           ((15, 20, 3), 8, (3, 5), (2, 1), "same"), ((9, 12, 4), 6, (1, 3), (3, 2), 1)])


def _check_pools(t, cases):
    for input_shape, pool, s, padding in cases:
        want = truth.pool2d_output_shape(input_shape, pool, s, padding)
        what = f"pool_output_shape({input_shape}, {pool}, {s}, {padding!r})"
        got = t.call("pool_output_shape", input_shape, pool, strides=s, padding=padding)
        wrong = {_("strides=None means strides = pool_size, not 1"):
                 truth.pool2d_output_shape(input_shape, pool, 1, padding)} if s is None else {}
        expect.equal(got, want, what, wrong)


@EXERCISE.check(points=1, hint=N_("Pooling uses the conv length formula per axis; strides default to "
                                 "pool_size; the channels do not change."), uses=("pool_output_shape",))
def pool_shapes(t):
    _check_pools(t, [((32, 32, 16), 2, None, "valid"), ((55, 55, 96), 3, 2, "valid"),
                     ((7, 9, 3), 2, None, "same"), ((13, 13, 8), (3, 2), (2, 1), "valid")])


def _check_conv_params(t, cases):
    for k, cin, f, bias in cases:
        kh, kw = (k, k) if isinstance(k, int) else k
        want = truth.conv2d_params(k, cin, f, bias)
        what = f"conv_param_count({k}, {cin}, {f}, use_bias={bias})"
        wrong = {_("forgot the bias (one per filter)"): kh * kw * cin * f,
                 _("forgot the input channels (each filter spans all of them)"): kh * kw * f + f * bias,
                 _("counted a bias per input channel"): kh * kw * cin * f + cin * bias,
                 _("counted the bias although use_bias=False"): kh * kw * cin * f + f}
        if bias:
            del wrong[_("counted the bias although use_bias=False")]
        else:
            del wrong[_("forgot the bias (one per filter)")]
        expect.equal(t.call("conv_param_count", k, cin, f, use_bias=bias), want, what, wrong)


@EXERCISE.check(points=1, hint=N_("(kh * kw * C_in + 1) * filters with a bias; without, drop the + 1."),
                uses=("conv_param_count",))
def conv_params(t):
    _check_conv_params(t, [(3, 3, 32, True), (1, 256, 64, True), ((1, 7), 16, 16, True), (3, 64, 64, False)])


def _check_dense_params(t, cases):
    for fin, units, bias in cases:
        want = truth.dense_params(fin, units, bias)
        wrong = {_("forgot the bias (one per unit)"): fin * units} if bias else \
            {_("counted the bias although use_bias=False"): fin * units + units}
        expect.equal(t.call("dense_param_count", fin, units, use_bias=bias), want,
                     f"dense_param_count({fin}, {units}, use_bias={bias})", wrong)


@EXERCISE.check(points=1, hint=N_("A Dense layer has in_features * units weights plus units biases."),
                uses=("dense_param_count",))
def dense_params(t):
    _check_dense_params(t, [(784, 128, True), (4096, 1000, True), (64, 10, False)])


def _check_flatten(t, cases):
    for shape, units in cases:
        h, w, c = shape
        want = truth.flatten_dense_params(shape, units)
        wrong = {_("forgot the bias"): h * w * c * units, _("forgot the channels in H * W * C"): (h * w + 1) * units}
        expect.equal(t.call("flatten_dense_param_count", shape, units), want,
                     f"flatten_dense_param_count({shape}, {units})", wrong)


@EXERCISE.check(points=1, hint=N_("Flatten gives H * W * C features; Dense adds (features + 1) * units."),
                uses=("flatten_dense_param_count",))
def flatten_explosion(t):
    _check_flatten(t, [((6, 6, 256), 4096), ((7, 7, 512), 4096), ((4, 4, 64), 10)])


# ------------------------------------------------------------------ hidden
def _random_conv(rng):
    k = int(rng.integers(1, 8)) if rng.random() < 0.6 else (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    s = int(rng.integers(1, 5)) if rng.random() < 0.6 else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    padding = ["valid", "same", int(rng.integers(0, 4))][int(rng.integers(3))]
    shape = (int(rng.integers(8, 80)), int(rng.integers(8, 80)), int(rng.integers(1, 64)))
    return shape, int(rng.integers(1, 128)), k, s, padding


@EXERCISE.check(points=1, hint=LENGTH_HINT, hidden=True, uses=("conv_output_length",))
def hidden_lengths(t):
    cases = []
    for _ in range(20):
        n, k, s = int(t.rng.integers(5, 300)), int(t.rng.integers(1, 12)), int(t.rng.integers(1, 5))
        padding = ["valid", "same", int(t.rng.integers(0, 4))][int(t.rng.integers(3))]
        if k <= n + 2 * (padding if isinstance(padding, int) else 0):
            cases.append((n, k, s, padding))
    _check_lengths(t, cases)


@EXERCISE.check(points=1, hint=N_("Compute H and W separately; pooling keeps the channels."), hidden=True,
                uses=("conv_output_shape", "pool_output_shape"))
def hidden_shapes(t):
    _check_conv_shapes(t, [_random_conv(t.rng) for _ in range(10)])
    pools = []
    for _ in range(10):
        shape, _, k, s, padding = _random_conv(t.rng)
        pools.append((shape, k, None if t.rng.random() < 0.4 else s, "same" if padding == "same" else "valid"))
    _check_pools(t, pools)


@EXERCISE.check(points=1, hint=N_("(kh * kw * C_in + 1) * filters; (in + 1) * units; H * W * C features."),
                hidden=True, uses=("conv_param_count", "dense_param_count", "flatten_dense_param_count"))
def hidden_params(t):
    rng = t.rng
    _check_conv_params(t, [(_random_conv(rng)[2], int(rng.integers(1, 512)), int(rng.integers(1, 512)),
                            bool(rng.random() < 0.7)) for _ in range(10)])
    _check_dense_params(t, [(int(rng.integers(1, 10000)), int(rng.integers(1, 5000)), bool(rng.random() < 0.7))
                            for _ in range(10)])
    _check_flatten(t, [((int(rng.integers(1, 16)), int(rng.integers(1, 16)), int(rng.integers(1, 512))),
                        int(rng.integers(1, 4096))) for _ in range(5)])
