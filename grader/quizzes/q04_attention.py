"""q04 -- attention (ex10): MultiHeadAttention sizes and shapes, the N² cost, encoder blocks."""
from __future__ import annotations

from grader.core.i18n import N_, _
from grader.judge.quizkit import Dice, Quiz, choice_question, count_question, shape_question, show_count, show_shape
from grader.quizzes import formulas as F

QUIZ = Quiz("q04", N_("Attention"),
            N_("multi-head attention parameters and shapes, the N² cost, Transformer encoder blocks (ex10)"))


@QUIZ.template()
def mha_params(d: Dice):
    heads, key_dim, dim = d.choice([1, 2, 4, 8, 12]), d.choice([8, 16, 32, 64]), d.choice([32, 64, 128, 256, 512, 768])
    answer = F.mha_params(dim, heads, key_dim)
    qkv = 3 * F.dense_params(dim, heads * key_dim)
    return count_question(
        _("keras.layers.MultiHeadAttention(num_heads={heads}, key_dim={key_dim}) is applied to a query, key and value "
          "with {d} features each (value_dim defaults to key_dim; the output is projected back to {d}). How many "
          "parameters does it have?").format(heads=heads, key_dim=key_dim, d=dim),
        answer,
        _("Query, key and value projections: 3·({d} + 1)·{heads}·{key_dim} = {qkv}; output projection: "
          "{heads}·{key_dim}·{d} + {d} = {out}; total {answer}.").format(
            d=dim, heads=heads, key_dim=key_dim, qkv=show_count(qkv), out=show_count(answer - qkv),
            answer=show_count(answer)),
        num_heads=heads, key_dim=key_dim, dim=dim)


@QUIZ.template()
def attention_scores_shape(d: Dice):
    batch, heads, key_dim = d.choice([2, 4, 8, 16, 32]), d.choice([1, 2, 4, 8]), d.choice([8, 16, 32, 64])
    tq, tk, dim = d.choice([5, 10, 12, 20, 50]), d.choice([5, 7, 16, 20, 60]), d.choice([16, 32, 64])
    answer = (batch, heads, tq, tk)
    return shape_question(
        _("MultiHeadAttention(num_heads={heads}, key_dim={key_dim}) gets a query of shape {batch}x{tq}x{d} and a "
          "value (and key) of shape {batch}x{tk}x{d}, with return_attention_scores=True. What is the shape of the "
          "attention scores?").format(heads=heads, key_dim=key_dim, batch=batch, tq=tq, tk=tk, d=dim),
        answer, _("batch x heads x query steps x key steps"),
        _("One softmax row per query step over all key steps, for every head and every example: (batch, heads, "
          "Tq, Tk) = {answer}. key_dim does not appear: it is summed over in the dot products.").format(
            answer=show_shape(answer)),
        batch=batch, num_heads=heads, key_dim=key_dim, tq=tq, tk=tk, dim=dim)


@QUIZ.template()
def attention_output_shape(d: Dice):
    batch, heads, key_dim = d.choice([2, 4, 8, 16]), d.choice([2, 4, 8]), d.choice([8, 16, 32])
    tq, tk = d.choice([5, 10, 12, 20]), d.choice([6, 7, 16, 30])
    dq, dv = d.choice([16, 32, 64, 128]), d.choice([24, 48, 96])
    answer = (batch, tq, dq)
    return shape_question(
        _("MultiHeadAttention(num_heads={heads}, key_dim={key_dim}) gets a query of shape {batch}x{tq}x{dq} and a "
          "value (and key) of shape {batch}x{tk}x{dv}. What is the shape of its output?").format(
            heads=heads, key_dim=key_dim, batch=batch, tq=tq, dq=dq, tk=tk, dv=dv),
        answer, _("batch x query steps x features"),
        _("Each query step gets a weighted mix of the values, projected back to the query's {dq} features: "
          "{answer}. The {tk} key steps disappear in the weighted sum.").format(dq=dq, answer=show_shape(answer),
                                                                                 tk=tk),
        batch=batch, num_heads=heads, key_dim=key_dim, tq=tq, tk=tk, dq=dq, dv=dv)


@QUIZ.template()
def attention_cost_growth(d: Dice):
    n, k = d.choice([64, 128, 256, 500, 512, 1000]), d.integers(2, 8)
    answer = (k * n) ** 2 // n ** 2
    return count_question(
        _("Self-attention over {n} tokens computes {n}·{n} = {scores} attention scores per head. How many times as "
          "many scores does it compute for a sequence {k} times as long?").format(n=n, scores=show_count(n * n), k=k),
        answer,
        _("Every token attends to every token: ({k}·{n})² / {n}² = {k}² = {answer}. Time and memory grow with N², "
          "which makes long sequences expensive.").format(k=k, n=n, answer=answer),
        n=n, factor=k)


@QUIZ.template()
def encoder_block_params(d: Dice):
    dim, heads = d.choice([32, 64, 128, 256, 512]), d.choice([2, 4, 8])
    key_dim = dim // heads if d.chance(0.7) else d.choice([16, 32, 64])
    ff = d.choice([2 * dim, 4 * dim, 128, 512])
    mha = F.mha_params(dim, heads, key_dim)
    ln, ffn = 2 * F.layernorm_params(dim), F.dense_params(dim, ff) + F.dense_params(ff, dim)
    answer = F.encoder_block_params(dim, heads, key_dim, ff)
    return count_question(
        _("A post-norm Transformer encoder block with d_model = {d}: x = LayerNorm(x + MultiHeadAttention("
          "num_heads={heads}, key_dim={key_dim})(x, x)); out = LayerNorm(x + Dense({d})(Dense({ff}, relu)(x))). "
          "How many parameters does the block have?").format(d=dim, heads=heads, key_dim=key_dim, ff=ff),
        answer,
        _("Attention: {mha}; two LayerNorms: 2·2·{d} = {ln}; feed-forward: ({d} + 1)·{ff} + ({ff} + 1)·{d} = {ffn}; "
          "total {answer}.").format(mha=show_count(mha), d=dim, ln=show_count(ln), ff=ff, ffn=show_count(ffn),
                                    answer=show_count(answer)),
        d_model=dim, num_heads=heads, key_dim=key_dim, ff_dim=ff)


@QUIZ.template()
def scaling(d: Dice):
    return choice_question(
        d, _("Why does scaled dot-product attention divide the scores QKᵀ by √d_k?"),
        _("Dot products of d_k-dimensional vectors grow with d_k; large scores saturate the softmax and its "
          "gradients vanish"),
        [_("To make the attention weights of each row sum to 1"),
         _("To save memory: smaller numbers need fewer bits"),
         _("To give distant tokens less weight than close ones")],
        _("For random vectors with unit variance, q·k has variance d_k. Dividing by √d_k brings it back to about 1, "
          "so the softmax stays soft. The softmax itself makes the rows sum to 1."))


@QUIZ.template()
def mask_convention(d: Dice):
    return choice_question(
        d, _("In keras.layers.MultiHeadAttention, what does a 1 at position (i, j) of attention_mask mean?"),
        _("Query step i may attend to key step j"),
        [_("Key step j is hidden from query step i"), _("Position j is padding"),
         _("Head i is switched off for token j")],
        _("Keras's convention is 1 = attend, 0 = do not attend: masked scores are set to a large negative number "
          "before the softmax, so their weights become 0. A causal mask is the lower triangle of ones."))


@QUIZ.template()
def positional_encoding(d: Dice):
    return choice_question(
        d, _("Why does a Transformer add positional encodings to its inputs?"),
        _("Attention alone ignores the order of the tokens: permuting them just permutes the outputs"),
        [_("To normalise the embeddings to unit length"),
         _("To tell the model which tokens are padding"),
         _("To make the attention cost grow linearly with the length")],
        _("Self-attention treats its input as a set. Adding sin and cos waves of different frequencies, "
          "PE[pos, 2i] = sin(pos / 10000^(2i/d)), gives every position its own pattern, so order becomes visible."))
