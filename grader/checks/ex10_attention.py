"""Checks of ex10: attention, positional encoding, multi-head attention, an encoder block.

``multi_head_attention`` is compared with a real keras.layers.MultiHeadAttention
loaded with the weights the judge sends.  Scaled dot-product attention and the
positional encoding are formulas Keras has no public layer for (their numpy
references are tested against keras.ops.dot_product_attention and the paper's
definition in tests/test_ex10_attention.py).  The encoder block is rebuilt in the
judge from its config: its shape, parameter count, LayerNormalizations and
residual connections are probed, then its weights are loaded into the judge's
own post-norm block and the outputs compared.  Classic mistakes are recomputed
so that a failure names them.
"""
from __future__ import annotations

import numpy as np

from grader.judge import N_, Exercise, Fail, _, answers, expect, memo

EXERCISE = Exercise("ex10", N_("Transformer pieces"), "ex10_attention", timeout=30, memory_mb=2048,
                    child_weights=False,  # the encoder block is compared under weights the judge gives it
                    summary=N_("scaled dot-product attention with masks, positional encoding, "
                               "multi-head attention equal to Keras, a post-norm encoder block"))

ATTENTION_HINT = N_("scores = q @ swapaxes(k, -1, -2) / sqrt(d) with d = q.shape[-1]; where mask == 0 set the score "
                    "to a large negative number (-1e9); softmax over the LAST axis (the keys); output = weights @ v.")
MASK_HINT = N_("mask == 1 means attend (Keras's convention).")
TRANSPOSE_HINT = N_("k.T reverses every axis: on a batch (B, T, d) it gives (d, T, B), so code that works on 2-D "
                    "inputs fails on batches; swap only the last two axes, np.swapaxes(k, -1, -2).")
PE_HINT = N_("angle = pos / 10000 ** (2i / depth) for the column pair (2i, 2i + 1); even columns sin(angle), odd "
             "columns cos(angle); result (length, depth).")
MHA_HINT = N_("Per head h: q = query @ Wq[:, h] + bq[h] (key_dim wide), likewise k from key and v from value; "
              "attention scaled by 1/sqrt(key_dim); then sum_h heads[h] @ Wo[h] + bo.  Arguments: (query, value, "
              "key).")
MHA_MASK_HINT = N_("mask (B, Tq, Tk): 1 = attend.")
ENCODER_HINT = N_("y = LayerNormalization()(x + MultiHeadAttention(num_heads, key_dim)(x, x)); "
                  "out = LayerNormalization()(y + Dense(d_model)(Dense(ff_dim, activation='relu')(y))).")

# ------------------------------------------------------------------ numpy references with knobs
# Scaled dot-product attention, the positional encoding and multi-head attention in numpy, with the knobs that
# reproduce each mistake, are the instructor's code (grader/answers/ex10_attention.py); the student release
# holds their values on the public cases (grader.judge.answers).
ANSWERS = answers.Table("ex10_attention")


def attention(*args, **kwargs):
    return ANSWERS("attention", *args, **kwargs)


def positional_encoding_reference(length, depth, **knobs):
    return ANSWERS("positional_encoding_reference", length, depth, **knobs)


def mha_reference(*args, **kwargs):
    return ANSWERS("mha_reference", *args, **kwargs)


@memo
def keras_mha(query, value, key, w, mask=None):
    """The ground truth: keras.layers.MultiHeadAttention with these weights (asked once per process for each
    set of numbers: ``grader.judge.cache``)."""
    import keras
    heads, key_dim = w["query_kernel"].shape[1:]
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim, value_dim=w["value_kernel"].shape[2],
                                            output_shape=w["output_kernel"].shape[2])
    layer(query, value, key)  # builds the layer
    names = ["query_kernel", "query_bias", "key_kernel", "key_bias", "value_kernel", "value_bias",
             "output_kernel", "output_bias"]
    layer.set_weights([w[n] for n in names])
    out = layer(query, value, key, attention_mask=None if mask is None else np.asarray(mask, dtype=bool))
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)


# ------------------------------------------------------------------ cases
def _random_mask(rng, shape):
    """0/1 int mask in which every row (last axis) has a 1, and a 0 where it can:
    no row is fully blocked, whichever way the mask is read."""
    m = (rng.random(shape) < 0.6).astype(np.int32)
    flat = m.reshape(-1, shape[-1])
    for row in flat:
        row[int(rng.integers(shape[-1]))] = 1
        if shape[-1] > 1 and row.all():
            row[int(rng.integers(shape[-1]))] = 0
            if not row.any():
                row[0] = 1
    return flat.reshape(shape)


def _qkv(rng, lead, tq, tk, d, dv):
    f = np.float32
    return (rng.uniform(-1, 1, (*lead, tq, d)).astype(f), rng.uniform(-1, 1, (*lead, tk, d)).astype(f),
            rng.uniform(-1, 1, (*lead, tk, dv)).astype(f))


def _attention_mistakes(q, k, v, mask, pick):
    d = q.shape[-1]
    m = {
        _("no 1/sqrt(d_k) scaling: divide the scores q k^T by sqrt(d) before the softmax"):
            pick(attention(q, k, v, mask, scale=1.0)),
        _("scaled by 1/d instead of 1/sqrt(d)"): pick(attention(q, k, v, mask, scale=1.0 / d)),
        _("softmax over the wrong axis: normalise over the keys (last axis), each query's weights sum to 1"):
            pick(attention(q, k, v, mask, axis=-2)),
    }
    if mask is not None:
        m[_("mask read with 1 = blocked: in Keras 1 = attend, 0 = blocked")] = \
            pick(attention(q, k, v, mask, invert_mask=True))
        m[_("the mask was ignored")] = pick(attention(q, k, v, mask, ignore_mask=True))
    return m


def _check_attention(t, cases):
    for lead, tq, tk, d, dv, mask_shape in cases:
        q, k, v = _qkv(t.rng, lead, tq, tk, d, dv)
        mask = None if mask_shape is None else _random_mask(t.rng, mask_shape)
        want_out, want_w = attention(q, k, v, mask)
        what = (f"scaled_dot_product_attention(q {q.shape}, k {k.shape}, v {v.shape}"
                + (f", mask {mask.shape})" if mask is not None else ")"))
        got = t.call("scaled_dot_product_attention", q, k, v, mask=mask)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise Fail(_("{what} returned {type}, expected a pair (output, weights)").format(
                what=what, type=type(got).__name__), hint=_("return output, weights"))
        expect.close(got[1], want_w, what + ", weights", mistakes=_attention_mistakes(q, k, v, mask, lambda r: r[1]))
        expect.close(got[0], want_out, what + ", output",
                     mistakes=_attention_mistakes(q, k, v, mask, lambda r: r[0]))


@EXERCISE.check(points=2, hint=lambda: _(ATTENTION_HINT) + " " + _(TRANSPOSE_HINT),
                uses=("scaled_dot_product_attention",))
def attention_no_mask(t):
    _check_attention(t, [((), 1, 1, 1, 1, None), ((), 4, 6, 8, 3, None), ((2,), 3, 5, 4, 6, None),
                         ((2, 3), 5, 5, 16, 16, None)])


@EXERCISE.check(points=2, hint=lambda: _(ATTENTION_HINT) + " " + _(MASK_HINT) + " " + _(TRANSPOSE_HINT),
                uses=("scaled_dot_product_attention",))
def attention_with_mask(t):
    _check_attention(t, [((), 4, 6, 8, 3, (4, 6)), ((2,), 3, 5, 4, 6, (2, 3, 5)),
                         ((2, 3), 5, 5, 16, 16, (2, 1, 5, 5)), ((3,), 6, 4, 8, 8, (1, 6, 4))])


def _pe_mistakes(length, depth):
    return {
        _("sin and cos swapped: even columns (2i) are sin, odd columns (2i + 1) cos"):
            positional_encoding_reference(length, depth, swap=True),
        _("sin and cos concatenated as two halves; the paper interleaves them: column 2i sin, 2i + 1 cos"):
            positional_encoding_reference(length, depth, halves=True),
        _("the exponent of column j used 2j/depth; a column pair (2i, 2i + 1) shares the exponent 2i/depth"):
            positional_encoding_reference(length, depth, column_exponent=True),
        _("transposed: the result is (length, depth), one row per position"):
            positional_encoding_reference(length, depth).T,
    }


def _check_pe(t, cases):
    for length, depth in cases:
        what = f"positional_encoding({length}, {depth})"
        got = t.call("positional_encoding", length, depth)
        expect.close(got, positional_encoding_reference(length, depth), what, mistakes=_pe_mistakes(length, depth))


@EXERCISE.check(points=2, hint=PE_HINT, uses=("positional_encoding",))
def positional_encoding_values(t):
    _check_pe(t, [(1, 2), (10, 16), (50, 128), (7, 6), (3, 512)])


def _mha_weights(rng, d, heads, key_dim, value_dim, d_out, dv_in=None):
    f = np.float32
    u = lambda *s: rng.uniform(-0.5, 0.5, s).astype(f)  # noqa: E731
    dv_in = d if dv_in is None else dv_in
    return {"query_kernel": u(d, heads, key_dim), "query_bias": u(heads, key_dim),
            "key_kernel": u(dv_in, heads, key_dim), "key_bias": u(heads, key_dim),
            "value_kernel": u(dv_in, heads, value_dim), "value_bias": u(heads, value_dim),
            "output_kernel": u(heads, value_dim, d_out), "output_bias": u(d_out)}


def _mha_mistakes(query, value, key, w, mask):
    d_model, (heads, key_dim) = query.shape[-1], w["query_kernel"].shape[1:]
    m = {
        _("no 1/sqrt(d_k) scaling of the scores"): mha_reference(query, value, key, w, mask, scale=1.0),
        _("softmax over the wrong axis (over the queries instead of the keys)"):
            mha_reference(query, value, key, w, mask, axis=-2),
        _("key and value swapped: the arguments are (query, value, key), Keras's order"):
            mha_reference(query, value, key, w, mask, swap_kv=True),
    }
    if d_model != key_dim:
        m[_("key_dim taken as the whole model width: scale by 1/sqrt(key_dim), the width of one head, "
            "not 1/sqrt(d_model)")] = mha_reference(query, value, key, w, mask, scale=1.0 / np.sqrt(d_model))
    if heads > 1:
        m[_("one softmax over all heads together: each head attends separately")] = \
            mha_reference(query, value, key, w, mask, single_head=True, scale=1.0 / np.sqrt(key_dim))
        m[_("one softmax over all heads together (scaled by the total width): each head attends separately")] = \
            mha_reference(query, value, key, w, mask, single_head=True, scale=1.0 / np.sqrt(heads * key_dim))
    if mask is not None:
        m[_("mask read with 1 = blocked: in Keras 1 = attend, 0 = blocked")] = \
            mha_reference(query, value, key, w, mask, invert_mask=True)
        m[_("the mask was ignored")] = mha_reference(query, value, key, w, mask, ignore_mask=True)
    return m


def _check_mha(t, cases):
    for batch, tq, tk, d, heads, key_dim, value_dim, d_out, self_attention, masked in cases:
        rng = t.rng
        w = _mha_weights(rng, d, heads, key_dim, value_dim, d_out)
        query = rng.uniform(-1, 1, (batch, tq, d)).astype(np.float32)
        if self_attention:
            value = key = query
        else:
            value = rng.uniform(-1, 1, (batch, tk, d)).astype(np.float32)
            key = rng.uniform(-1, 1, (batch, tk, d)).astype(np.float32)
        mask = _random_mask(rng, (batch, tq, value.shape[1])) if masked else None
        want = keras_mha(query, value, key, w, mask)
        what = (f"multi_head_attention(query {query.shape}, value {value.shape}, key {key.shape}, weights, "
                f"num_heads={heads}" + (f", mask {mask.shape})" if masked else ")"))
        got = t.call("multi_head_attention", query, value, key, w, heads, mask=mask)
        expect.close(got, want, what, mistakes=_mha_mistakes(query, value, key, w, mask))


@EXERCISE.check(points=2, hint=MHA_HINT, uses=("multi_head_attention",))
def mha_self_attention(t):
    # batch, Tq, Tk, d, heads, key_dim, value_dim, d_out, self-attention, mask
    _check_mha(t, [(2, 5, 5, 8, 2, 4, 4, 8, True, False), (1, 1, 1, 4, 1, 4, 4, 4, True, False),
                   (3, 6, 6, 12, 3, 4, 4, 12, True, False), (2, 4, 4, 6, 2, 5, 5, 6, True, True)])


@EXERCISE.check(points=2, hint=lambda: _(MHA_HINT) + " " + _(MHA_MASK_HINT), uses=("multi_head_attention",))
def mha_cross_attention(t):
    _check_mha(t, [(2, 3, 7, 8, 2, 4, 4, 8, False, False), (2, 4, 6, 8, 4, 3, 5, 8, False, True),
                   (1, 5, 2, 6, 3, 2, 2, 10, False, True)])


# ------------------------------------------------------------------ the encoder block
def _layers(model):
    import keras
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            out.extend(_layers(layer))
        elif not isinstance(layer, keras.layers.InputLayer):
            out.append(layer)
    return out


def _of_class(model, name):
    """The layers of the judge's rebuilt model that are Keras's ``name`` layer (the child writes a student's
    subclass of a built-in layer out as that layer)."""
    import keras
    cls = getattr(keras.layers, name)
    return [layer for layer in _layers(model) if isinstance(layer, cls)]


def reference_model(steps, d_model, num_heads, key_dim, ff_dim, epsilons=(1e-3, 1e-3)):
    """The judge's own post-norm encoder block (Keras layers; functional model)."""
    import keras
    x = keras.Input((steps, d_model))
    a = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)(x, x)
    y = keras.layers.LayerNormalization(epsilon=epsilons[0])(keras.layers.Add()([x, a]))
    f = keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(y))
    out = keras.layers.LayerNormalization(epsilon=epsilons[1])(keras.layers.Add()([y, f]))
    return keras.Model(x, out)


@memo
def reference_params(steps, d_model, num_heads, key_dim, ff_dim) -> int:
    """The reference block's count, built without weights; once per process for the same numbers."""
    from grader.judge import graph
    with graph.no_weights():
        return int(reference_model(steps, d_model, num_heads, key_dim, ff_dim).count_params())


def _build_block(t, cfg):
    steps, d, heads, key_dim, ff, dropout = cfg
    return t.build("transformer_encoder_block", (steps, d), heads, key_dim, ff, dropout=dropout)


def _cfg_text(cfg):
    steps, d, heads, key_dim, ff, dropout = cfg
    return (f"transformer_encoder_block(keras.Input(({steps}, {d})), num_heads={heads}, key_dim={key_dim}, "
            f"ff_dim={ff}, dropout={dropout})")


def _check_shape_and_params(t, cfg):
    steps, d, heads, key_dim, ff, _dropout = cfg
    model = _build_block(t, cfg)
    what = _cfg_text(cfg)
    shape = tuple(model.output_shape[1:]) if not isinstance(model.output_shape, list) else None
    expect.that(shape == (steps, d), _("{what} has output shape {shape}, expected (None, {steps}, {d}): "
                                       "the block must keep the input shape").format(
                    what=what, shape=model.output_shape, steps=steps, d=d), _(ENCODER_HINT))
    want = reference_params(steps, d, heads, key_dim, ff)
    m = {_("key_dim taken as the whole model width: MultiHeadAttention(num_heads, key_dim=key_dim), "
           "not key_dim=d_model"): reference_params(steps, d, heads, d, ff),
         _("a LayerNormalization is missing (each has 2 * d_model parameters)"): want - 2 * d,
         _("both LayerNormalizations are missing"): want - 4 * d,
         _("the feed-forward has no hidden Dense(ff_dim, relu) layer"): want - (d * ff + ff + ff * d + d) + d * d + d}
    if d % heads == 0 and d // heads != key_dim:
        m[_("key_dim computed as d_model // num_heads: use the key_dim argument")] = \
            reference_params(steps, d, heads, d // heads, ff)
    expect.equal(int(model.count_params()), want, f"{what}.count_params()", m, hint=_(ENCODER_HINT))
    return model


def _layer_norm(v, layer):
    gamma, beta = (np.asarray(a, np.float64) for a in layer.get_weights())
    eps = float(layer.get_config()["epsilon"])
    mu = v.mean(-1, keepdims=True)
    return (v - mu) / np.sqrt(v.var(-1, keepdims=True) + eps) * gamma + beta


def _run(model, x, values=None):
    """The model's output in inference mode (float64); ``values``: weights that replace some of its own
    (``_zeroed``)."""
    import keras
    if values is None:
        return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=np.float64)
    from grader.judge import graph
    ys = graph.outputs(model, x, values)
    return np.asarray(ys[0] if len(ys) == 1 else ys, dtype=np.float64)


def _by_behaviour(t, model, cfg) -> bool:
    """A block the judge could not rebuild (a layer of the student's own that makes its weights, say) is
    judged by what it computes beside the reference block (``graph.judged_by_behaviour``)."""
    from grader.judge import graph
    steps, d, heads, key_dim, ff, _dropout = cfg
    if not graph.is_opaque(model):
        return False  # (what judged_by_behaviour says of a rebuilt model, without building the reference)
    return graph.judged_by_behaviour(model, reference_model(steps, d, heads, key_dim, ff), (steps, d), t.rng,
                                     _cfg_text(cfg))


def _check_layer_norm(t, model, cfg):
    if _by_behaviour(t, model, cfg):
        return
    steps, d = cfg[0], cfg[1]
    what = _cfg_text(cfg)
    lns = _of_class(model, "LayerNormalization")
    expect.that(len(lns) == 2, _("{what} has {n} LayerNormalization layer(s), expected 2: one after each "
                                 "residual connection").format(what=what, n=len(lns)), _(ENCODER_HINT))
    x = t.rng.uniform(-2, 2, (3, steps, d)).astype(np.float32)
    out = _run(model, x)
    eps = float(lns[-1].get_config()["epsilon"])
    mean_ok = np.abs(out.mean(-1)).max() < 1e-4
    std_ok = np.abs(out.std(-1) - 1).max() < 2e-2 + eps * 10
    expect.that(mean_ok and std_ok, _("{what}: the block's output is not layer-normalized (per position mean "
                                      "{mean:.3g}, std {std:.3g}) -- post-norm ends with LayerNorm(y + FFN(y)); this "
                                      "looks like pre-norm or a missing final LayerNormalization").format(
                    what=what, mean=np.abs(out.mean(-1)).max(), std=out.std(-1).mean()), _(ENCODER_HINT))


def _zeroed(model, classes):
    """The weights of ``model`` with every weight of the layers of these classes set to zero, for ``_run`` (the
    model runs statelessly with them: no copy of it is built)."""
    import keras
    kinds = tuple(getattr(keras.layers, c) for c in classes)
    return {id(v): np.zeros(tuple(v.shape), np.dtype(str(v.dtype)))
            for layer in _layers(model) if isinstance(layer, kinds) for v in layer.weights}


def _check_residuals(t, model, cfg):
    if _by_behaviour(t, model, cfg):
        return
    steps, d = cfg[0], cfg[1]
    what = _cfg_text(cfg)
    if not _of_class(model, "MultiHeadAttention"):
        raise Fail(_("{what}: no keras.layers.MultiHeadAttention layer").format(what=what), _(ENCODER_HINT))
    x1 = t.rng.uniform(-2, 2, (2, steps, d)).astype(np.float32)
    x2 = t.rng.uniform(-2, 2, (2, steps, d)).astype(np.float32)
    no_attention = _zeroed(model, {"MultiHeadAttention"})
    if np.abs(_run(model, x1, no_attention) - _run(model, x2, no_attention)).max() < 1e-6:
        raise Fail(_("{what}: no residual connection around the attention: with the attention's weights set to "
                     "zero the output no longer depends on x (it should be LayerNorm(x + 0) ...)").format(what=what),
                   _(ENCODER_HINT))
    no_ffn = _zeroed(model, {"Dense", "EinsumDense", "Conv1D"})
    if np.abs(_run(model, x1, no_ffn) - _run(model, x2, no_ffn)).max() < 1e-6:
        raise Fail(_("{what}: no residual connection around the feed-forward: with its Dense weights set to zero "
                     "the output no longer depends on x (it should be LayerNorm(y + 0))").format(what=what),
                   _(ENCODER_HINT))
    both = _zeroed(model, {"MultiHeadAttention", "Dense", "EinsumDense", "Conv1D"})
    lns = _of_class(model, "LayerNormalization")
    if len(lns) == 2:
        want = _layer_norm(_layer_norm(np.asarray(x1, np.float64), lns[0]), lns[1])
        got = _run(model, x1, both)
        expect.that(np.allclose(got, want, atol=1e-4),
                    _("{what}: with the attention and feed-forward weights set to zero the block should give "
                      "LayerNorm(LayerNorm(x)); it differs by {diff:.3g} -- the residual connections must add the "
                      "block's input x and the first sublayer's output y unchanged").format(
                        what=what, diff=np.abs(got - want).max()),
                    _(ENCODER_HINT))


def _transplant(model, cfg):
    """The judge's reference block (and its classic wrong variants) with the student's weights."""
    import keras
    steps, d, heads, key_dim, ff, _dropout = cfg
    what = _cfg_text(cfg)
    mha, dense, lns = (_of_class(model, n) for n in ("MultiHeadAttention", "Dense", "LayerNormalization"))
    if len(mha) != 1 or len(dense) != 2 or len(lns) != 2:
        raise Fail(_("{what} has {mha} MultiHeadAttention, {dense} Dense and {lns} LayerNormalization layers; "
                     "the post-norm block has 1, 2 (Dense(ff_dim, relu), Dense(d_model)) and 2").format(
            what=what, mha=len(mha), dense=len(dense), lns=len(lns)), _(ENCODER_HINT))
    ref_mha = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim)
    probe = np.zeros((1, steps, d), np.float32)
    ref_mha(probe, probe)
    try:
        ref_mha.set_weights(mha[0].get_weights())
    except ValueError as e:
        raise Fail(_("{what}: its MultiHeadAttention does not have the shape of "
                     "MultiHeadAttention(num_heads={heads}, key_dim={key_dim}) ({error})").format(
            what=what, heads=heads, key_dim=key_dim, error=str(e)[:120]), _(ENCODER_HINT)) from None
    if any(len(layer.get_weights()) != 2 for layer in dense):
        raise Fail(_("{what}: the feed-forward Dense layers need a kernel and a bias each").format(what=what),
                   _(ENCODER_HINT))
    (w1, b1), (w2, b2) = (tuple(np.asarray(a, np.float64) for a in layer.get_weights()) for layer in dense)
    if w1.shape != (d, ff) or w2.shape != (ff, d):
        raise Fail(_("{what}: the feed-forward Dense kernels are {w1} and {w2}, expected ({d}, {ff}) "
                     "and ({ff}, {d})").format(what=what, w1=w1.shape, w2=w2.shape, d=d, ff=ff), _(ENCODER_HINT))

    def attend(v):
        v32 = v.astype(np.float32)
        return np.asarray(keras.ops.convert_to_numpy(ref_mha(v32, v32)), dtype=np.float64)

    def ffn(v, relu=True):
        hidden = v @ w1 + b1
        return (np.maximum(hidden, 0) if relu else hidden) @ w2 + b2

    ln1 = lambda v: _layer_norm(v, lns[0])  # noqa: E731
    ln2 = lambda v: _layer_norm(v, lns[1])  # noqa: E731

    def block(x, variant=""):
        x = np.asarray(x, np.float64)
        if variant == "pre-norm":
            y = x + attend(ln1(x))
            return y + ffn(ln2(y))
        y = ln1(attend(x)) if variant == "no-res-1" else ln1(x + attend(x))
        f = ffn(y, relu=variant != "no-relu")
        if variant == "no-res-2":
            return ln2(f)
        if variant == "res-2-from-x":
            return ln2(x + f)
        return ln2(y + f)

    return block


def _check_reference(t, model, cfg):
    if _by_behaviour(t, model, cfg):
        return
    steps, d = cfg[0], cfg[1]
    block = _transplant(model, cfg)
    x = t.rng.uniform(-2, 2, (3, steps, d)).astype(np.float32)
    got = _run(model, x)
    # the truth: the judge's Keras reference block, loaded with the student's weights
    lns = _of_class(model, "LayerNormalization")
    ref = reference_model(steps, d, cfg[2], cfg[3], cfg[4],
                          tuple(float(layer.get_config()["epsilon"]) for layer in lns))
    ordered = [_of_class(model, "MultiHeadAttention")[0], lns[0], *_of_class(model, "Dense"), lns[1]]
    for mine, theirs in zip([layer for layer in ref.layers if layer.weights], ordered):
        mine.set_weights(theirs.get_weights())
    want = _run(ref, x)
    m = {_("pre-norm (LayerNorm before each sublayer); the block is post-norm: LayerNorm(x + sublayer(x))"):
         block(x, "pre-norm"),
         _("no residual connection around the attention"): block(x, "no-res-1"),
         _("no residual connection around the feed-forward"): block(x, "no-res-2"),
         _("the second residual adds the block input x; it adds y, the output of the first LayerNorm"):
         block(x, "res-2-from-x"),
         _("no ReLU in the feed-forward's first Dense"): block(x, "no-relu")}
    expect.close(got, want, _("{what} with its own weights, compared with the reference post-norm block given the "
                              "same weights").format(what=_cfg_text(cfg)),
                 atol=1e-4, rtol=1e-4, mistakes=m, hint=_(ENCODER_HINT))


ENCODER_CASES = [(10, 16, 2, 8, 32, 0.0), (7, 12, 3, 4, 24, 0.1), (5, 8, 1, 8, 16, 0.0)]


@EXERCISE.check(points=2, hint=ENCODER_HINT, uses=("transformer_encoder_block",))
def encoder_shape_and_params(t):
    for cfg in ENCODER_CASES:
        _check_shape_and_params(t, cfg)


@EXERCISE.check(points=1, hint=ENCODER_HINT, uses=("transformer_encoder_block",))
def encoder_layer_norm(t):
    for cfg in ENCODER_CASES[:2]:
        _check_layer_norm(t, _build_block(t, cfg), cfg)


@EXERCISE.check(points=2, hint=ENCODER_HINT, uses=("transformer_encoder_block",))
def encoder_residuals(t):
    for cfg in ENCODER_CASES[:2]:
        _check_residuals(t, _build_block(t, cfg), cfg)


@EXERCISE.check(points=2, hint=ENCODER_HINT, uses=("transformer_encoder_block",))
def encoder_matches_reference(t):
    for cfg in ENCODER_CASES[:2]:
        model = _build_block(t, cfg)
        _check_reference(t, model, cfg)


# ------------------------------------------------------------------ hidden
@EXERCISE.check(points=1, hint=ATTENTION_HINT, hidden=True, uses=("scaled_dot_product_attention",))
def hidden_attention(t):
    cases = []
    for _ in range(4):
        lead = tuple(int(n) for n in t.rng.integers(1, 4, size=int(t.rng.integers(0, 3))))
        tq, tk = int(t.rng.integers(1, 9)), int(t.rng.integers(2, 9))
        masked = bool(t.rng.random() < 0.6)
        cases.append((lead, tq, tk, int(t.rng.integers(1, 17)), int(t.rng.integers(1, 9)),
                      (*lead, tq, tk) if masked else None))
    _check_attention(t, cases)


@EXERCISE.check(points=1, hint=PE_HINT, hidden=True, uses=("positional_encoding",))
def hidden_positional_encoding(t):
    _check_pe(t, [(int(t.rng.integers(1, 200)), 2 * int(t.rng.integers(1, 65))) for _ in range(4)])


@EXERCISE.check(points=1, hint=MHA_HINT, hidden=True, uses=("multi_head_attention",))
def hidden_mha(t):
    cases = []
    for _ in range(4):
        heads = int(t.rng.integers(1, 5))
        d = int(t.rng.integers(2, 17))
        key_dim = int(t.rng.integers(2, 9))  # Keras 3.15's EinsumDense misplaces a bias whose last axis is 1
        self_attention = bool(t.rng.random() < 0.5)
        tq = int(t.rng.integers(1, 8))
        tk = tq if self_attention else int(t.rng.integers(2, 8))
        cases.append((int(t.rng.integers(1, 4)), tq, tk, d, heads, key_dim, int(t.rng.integers(2, 9)),
                      int(t.rng.integers(2, 17)), self_attention, bool(t.rng.random() < 0.5) and tk > 1))
    _check_mha(t, cases)


@EXERCISE.check(points=2, hint=ENCODER_HINT, hidden=True, uses=("transformer_encoder_block",))
def hidden_encoder(t):
    heads = int(t.rng.integers(1, 5))
    cfg = (int(t.rng.integers(2, 12)), 2 * int(t.rng.integers(2, 9)), heads, int(t.rng.integers(2, 9)),
           int(t.rng.integers(4, 40)), float(t.rng.choice([0.0, 0.1])))
    model = _check_shape_and_params(t, cfg)
    _check_layer_norm(t, model, cfg)
    _check_residuals(t, model, cfg)
    _check_reference(t, model, cfg)
