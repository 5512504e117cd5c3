"""q03 -- sequence models (ex07, ex08, ex09): SimpleRNN, LSTM and GRU sizes and gates."""
from __future__ import annotations

from grader.core.i18n import N_, _
from grader.judge.quizkit import Dice, Quiz, choice_question, count_question, shape_question, show_count, show_shape
from grader.quizzes import formulas as F

QUIZ = Quiz("q03", N_("Sequence models"),
            N_("SimpleRNN, LSTM and GRU parameter counts, output shapes and gates (ex07, ex08, ex09)"))

UNITS = [8, 16, 20, 32, 50, 64, 100, 128, 256]
FEATURES = [1, 2, 3, 8, 16, 32, 50, 100, 300]


@QUIZ.template()
def simple_rnn_params(d: Dice):
    u, dim = d.choice(UNITS), d.choice(FEATURES)
    answer = F.simple_rnn_params(u, dim)
    return count_question(
        _("How many parameters does SimpleRNN({units}) have on sequences with {d} features per step?").format(
            units=u, d=dim),
        answer,
        _("kernel {d}x{units}, recurrent kernel {units}x{units} and bias {units}: {units}·({units} + {d}) + {units} "
          "= {answer}.").format(d=dim, units=u, answer=show_count(answer)),
        units=u, input_dim=dim)


@QUIZ.template()
def lstm_params(d: Dice):
    u, dim = d.choice(UNITS), d.choice(FEATURES)
    answer = F.lstm_params(u, dim)
    return count_question(
        _("How many parameters does LSTM({units}) have on sequences with {d} features per step?").format(
            units=u, d=dim),
        answer,
        _("Four weight sets (input, forget and output gates, and the candidate), each {units}·({units} + {d}) + "
          "{units}: 4·({units}·({units} + {d}) + {units}) = {answer}.").format(units=u, d=dim,
                                                                              answer=show_count(answer)),
        units=u, input_dim=dim)


@QUIZ.template()
def gru_params(d: Dice):
    u, dim = d.choice(UNITS), d.choice(FEATURES)
    answer = F.gru_params(u, dim)
    return count_question(
        _("How many parameters does GRU({units}) (Keras's default reset_after=True) have on sequences with {d} "
          "features per step?").format(units=u, d=dim),
        answer,
        _("Three weight sets (update gate, reset gate, candidate): kernel 3·{d}·{units}, recurrent kernel "
          "3·{units}·{units}, and with reset_after=True two biases of 3·{units}: 3·{units}·({units} + {d}) + "
          "6·{units} = {answer}.").format(units=u, d=dim, answer=show_count(answer)),
        units=u, input_dim=dim)


@QUIZ.template()
def rnn_output_shape(d: Dice):
    batch, steps = d.choice([8, 16, 32, 64]), d.choice([10, 20, 30, 50, 100])
    dim, u = d.choice(FEATURES), d.choice(UNITS)
    layer, seqs = d.choice(["SimpleRNN", "LSTM", "GRU"]), d.chance(0.5)
    answer = (batch, steps, u) if seqs else (batch, u)
    if seqs:
        dims, why = _("batch x steps x units"), _("return_sequences=True returns the hidden state of every step: "
                                                  "{answer}.")
    else:
        dims, why = _("batch x units"), _("return_sequences=False returns only the last hidden state: {answer}.")
    return shape_question(
        _("A batch of {batch} sequences, each {steps} steps of {d} features, goes through {layer}({units}, "
          "return_sequences={seqs}). What is the output shape, with the batch dimension?").format(
            batch=batch, steps=steps, d=dim, layer=layer, units=u, seqs=seqs),
        answer, dims, why.format(answer=show_shape(answer)),
        batch=batch, steps=steps, input_dim=dim, units=u, layer=layer, return_sequences=seqs)


@QUIZ.template()
def stacked_lstm_params(d: Dice):
    u1, u2, dim = d.choice(UNITS), d.choice(UNITS), d.choice(FEATURES)
    p1, p2 = F.lstm_params(u1, dim), F.lstm_params(u2, u1)
    return count_question(
        _("Two LSTM layers are stacked: LSTM({u1}, return_sequences=True), then LSTM({u2}), on sequences with {d} "
          "features per step. How many parameters do they have together?").format(u1=u1, u2=u2, d=dim),
        p1 + p2,
        _("The first layer sees {d} features: 4·({u1}·({u1} + {d}) + {u1}) = {p1}; the second sees the {u1} "
          "outputs of the first: 4·({u2}·({u2} + {u1}) + {u2}) = {p2}; together {answer}.").format(
            d=dim, u1=u1, u2=u2, p1=show_count(p1), p2=show_count(p2), answer=show_count(p1 + p2)),
        u1=u1, u2=u2, input_dim=dim)


@QUIZ.template()
def forget_gate(d: Dice):
    return choice_question(
        d, _("Which part of an LSTM decides what to erase from the cell state c(t−1)?"),
        _("The forget gate f(t)"),
        [_("The input gate i(t)"), _("The output gate o(t)"), _("The candidate c̃(t), the tanh layer")],
        _("c(t) = f(t) ⊙ c(t−1) + i(t) ⊙ c̃(t): the forget gate multiplies the old cell state, so f near 0 erases "
          "it and f near 1 keeps it. The input gate decides what to write, the output gate what to show in h(t)."))


@QUIZ.template()
def gru_update(d: Dice):
    return choice_question(
        d, _("In Keras's GRU, h(t) = z(t) ⊙ h(t−1) + (1 − z(t)) ⊙ h̃(t). What happens when the update gate z(t) is "
             "close to 1?"),
        _("The unit keeps its previous state: h(t) ≈ h(t−1)"),
        [_("The unit forgets its state and takes the new candidate h̃(t)"),
         _("The reset gate is switched off, so the candidate ignores h(t−1)"),
         _("The output becomes zero until z(t) drops again")],
        _("With z = 1 the first term copies h(t−1) and the candidate gets weight 1 − z = 0: the GRU carries its "
          "memory through the step unchanged, which is how it keeps information over long sequences."))


@QUIZ.template()
def vanishing_gradient(d: Dice):
    return choice_question(
        d, _("Why does a plain RNN (SimpleRNN) struggle to learn dependencies over many steps?"),
        _("The gradient is multiplied by the recurrent weights and tanh's derivative at every step, so over many "
          "steps it vanishes or explodes"),
        [_("It has more parameters per step than an LSTM, so it overfits long sequences"),
         _("It cannot read sequences longer than its number of units"),
         _("Its tanh outputs are always positive, so it cannot represent decreasing values")],
        _("Backpropagation through time multiplies one Jacobian per step; products of many factors below 1 shrink "
          "to zero (above 1 they blow up). LSTM and GRU add a gated, mostly additive path for the state."))
