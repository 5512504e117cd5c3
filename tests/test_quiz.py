"""Quizzes: every computed answer equals Keras's own number on many students'
seeds; answers are parsed leniently and nonsense is refused with a clear
message; the terminal and notebook flows save after every question; answer
files are graded in batch in the shape of `grade batch`."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from pathlib import Path

import keras
import numpy as np
import pytest

from grader.core import i18n
from grader.front import quiz
from grader.judge import truth
from grader.core.errors import UsageError
from grader.front.quiz import AnswerError, parse_choice, parse_count, parse_decimal, parse_shape

STUDENTS = [f"s{i:05d}" for i in range(13)] + ["Alice", "kim min-jun", "20231234"]
FEWER = {"densenet_channels": 6}  # templates whose Keras model is large: fewer seeds
QUIZZES = quiz.all_quizzes()
TEMPLATES = [(q, t) for q in QUIZZES for t in q.templates]
IDS = [f"{q.id}-{t.name}" for q, t in TEMPLATES]
KIND = {(q.id, t.name): q.question(t, "x").kind for q, t in TEMPLATES}
COMPUTED = [x for x in TEMPLATES if KIND[(x[0].id, x[1].name)] != "choice"]
CHOICE = [x for x in TEMPLATES if KIND[(x[0].id, x[1].name)] == "choice"]


# ------------------------------------------------------------------ Keras ground truth
@contextlib.contextmanager
def no_weights():
    """Build layers with shapes only: no kernel is ever filled (fast, no memory)."""
    from keras.src.backend.common import global_state
    try:
        with keras.StatelessScope(initialize_variables=False):
            yield
    finally:
        global_state.set_global_attribute("uninitialized_variables", [])


def params_of(build) -> int:
    with no_weights():
        return int(build().count_params())


def shape_of(tensor) -> tuple:
    return tuple(int(d) for d in tensor.shape[1:])


def symbolic(input_shape, body):
    """The output shape (without batch) and parameter count of body(keras.Input(input_shape))."""
    with no_weights():
        x = keras.Input(input_shape)
        out = body(x)
        outs = out if isinstance(out, (list, tuple)) else [out]
        model = keras.Model(x, outs)
        return [shape_of(o) for o in outs], int(model.count_params())


def receptive_field_keras(layers) -> int:
    """Impulses through a Conv1D stack with all-ones kernels: output 0 sees the inputs where it is not 0,
    and the receptive field is the span from the first to the last of them."""
    rf_upper = 1 + sum((k - 1) for k, _ in layers) * int(np.prod([s for _, s in layers]))
    n = rf_upper + 8
    model = keras.Sequential([keras.Input((n, 1))] + [
        keras.layers.Conv1D(1, k, strides=s, use_bias=False, kernel_initializer="ones") for k, s in layers])
    impulses = np.eye(n, dtype="float32")[:, :, None]
    out = np.asarray(model(impulses))[:, 0, 0]
    seen = np.flatnonzero(out)
    return int(seen[-1] - seen[0] + 1)


def inception(x, p):
    L = keras.layers
    b1 = L.Conv2D(p["f1"], 1, padding="same", activation="relu")(x)
    b3 = L.Conv2D(p["f3_reduce"], 1, padding="same", activation="relu")(x)
    b3 = L.Conv2D(p["f3"], 3, padding="same", activation="relu")(b3)
    b5 = L.Conv2D(p["f5_reduce"], 1, padding="same", activation="relu")(x)
    b5 = L.Conv2D(p["f5"], 5, padding="same", activation="relu")(b5)
    bp = L.MaxPooling2D(3, strides=1, padding="same")(x)
    bp = L.Conv2D(p["pool_proj"], 1, padding="same", activation="relu")(bp)
    return L.Concatenate()([b1, b3, b5, bp])


def residual(x, p):
    L = keras.layers
    y = L.Conv2D(p["filters"], 3, strides=p["s"], padding="same")(x)
    y = L.ReLU()(L.BatchNormalization()(y))
    y = L.BatchNormalization()(L.Conv2D(p["filters"], 3, padding="same")(y))
    shortcut = x
    if p["s"] != 1 or p["filters"] != p["c"]:
        shortcut = L.BatchNormalization()(L.Conv2D(p["filters"], 1, strides=p["s"])(x))
    return L.ReLU()(L.Add()([y, shortcut]))


def densenet(x, p):
    from keras.src.applications import densenet as kd
    for i in range(p["layers"]):
        x = kd.conv_block(x, p["k"], name=f"b{i}")
    return kd.transition_block(x, p["compression"], name="t")


def encoder(x, p):
    L = keras.layers
    a = L.MultiHeadAttention(p["num_heads"], p["key_dim"])(x, x)
    x = L.LayerNormalization()(L.Add()([x, a]))
    f = L.Dense(p["d_model"])(L.Dense(p["ff_dim"], activation="relu")(x))
    return L.LayerNormalization()(L.Add()([x, f]))


def rpn(x, p):
    L = keras.layers
    h = L.Conv2D(512, 3, padding="same", activation="relu")(x)
    return [L.Conv2D(2 * p["anchors"], 1)(h), L.Conv2D(4 * p["anchors"], 1)(h)]


def mha_scores(p):
    """Run on zeros (Keras 3.15's symbolic MultiHeadAttention reports the scores as (B, H, Tq, Tq))."""
    layer = keras.layers.MultiHeadAttention(p["num_heads"], p["key_dim"])
    _, scores = layer(np.zeros((p["batch"], p["tq"], p["dim"]), "float32"),
                      np.zeros((p["batch"], p["tk"], p["dim"]), "float32"), return_attention_scores=True)
    return tuple(int(d) for d in scores.shape)


def self_attention_scores(n) -> int:
    """Scores of one head of self-attention over n tokens (symbolic keras.layers.Attention)."""
    x = keras.Input((n, 4))
    _, scores = keras.layers.Attention()([x, x], return_attention_scores=True)
    return math.prod(int(d) for d in scores.shape[1:])


def rnn_layer(name, units, **kw):
    return getattr(keras.layers, name)(units, **kw)


def _layer_params(layer, *shapes):
    with no_weights():
        layer.build(*shapes)
        return int(layer.count_params())


L = keras.layers
KERAS = {
    # q01
    ("q01", "conv_output_shape"): lambda p: truth.conv2d_output_shape(
        (p["h"], p["w"], p["c"]), p["filters"], p["k"], p["s"], p["padding"]),
    ("q01", "conv_params"): lambda p: truth.conv2d_params(p["k"], p["cin"], p["filters"], p["use_bias"]),
    ("q01", "pool_output_shape"): lambda p: truth.pool2d_output_shape(
        (p["h"], p["w"], p["c"]), p["pool"], p["strides"], p["padding"]),
    ("q01", "flatten_dense_params"): lambda p: truth.flatten_dense_params(p["shape"], p["units"]),
    ("q01", "receptive_field"): lambda p: receptive_field_keras(p["layers"]),
    ("q01", "stacked_conv_params"): lambda p: symbolic(
        (8, 8, p["channels"]), lambda x: _stack(x, p["channels"], p["depth"]))[1],
    # q02
    ("q02", "one_by_one_shape"): lambda p: truth.conv2d_output_shape(
        (p["h"], p["w"], p["c"]), p["filters"], 1, p["s"], "valid"),
    ("q02", "bottleneck_params"): lambda p: symbolic(
        (8, 8, p["channels"]), lambda x: L.Conv2D(p["channels"], 3)(L.Conv2D(p["reduced"], 1)(x)))[1],
    ("q02", "inception_output_shape"): lambda p: symbolic((p["h"], p["w"], p["c"]), lambda x: inception(x, p))[0][0],
    ("q02", "residual_output_shape"): lambda p: symbolic((p["h"], p["w"], p["c"]), lambda x: residual(x, p))[0][0],
    ("q02", "shortcut_params"): lambda p: symbolic(
        (8, 8, p["c"]), lambda x: L.BatchNormalization()(L.Conv2D(p["filters"], 1, strides=p["s"])(x)))[1],
    ("q02", "densenet_channels"): lambda p: symbolic((8, 8, p["c0"]), lambda x: densenet(x, p))[0][0][-1],
    ("q02", "transfer_head_params"): lambda p: symbolic(
        (p["h"], p["h"], p["c"]), lambda x: L.Dense(p["classes"], activation="softmax")(L.Dropout(0.2)(
            (L.Flatten() if p["pooling"] == "Flatten" else L.GlobalAveragePooling2D())(x))))[1],
    # q03
    ("q03", "simple_rnn_params"): lambda p: _layer_params(L.SimpleRNN(p["units"]), (None, None, p["input_dim"])),
    ("q03", "lstm_params"): lambda p: _layer_params(L.LSTM(p["units"]), (None, None, p["input_dim"])),
    ("q03", "gru_params"): lambda p: _layer_params(L.GRU(p["units"]), (None, None, p["input_dim"])),
    ("q03", "rnn_output_shape"): lambda p: tuple(rnn_layer(
        p["layer"], p["units"], return_sequences=p["return_sequences"]).compute_output_shape(
        (p["batch"], p["steps"], p["input_dim"]))),
    ("q03", "stacked_lstm_params"): lambda p: symbolic(
        (None, p["input_dim"]), lambda x: L.LSTM(p["u2"])(L.LSTM(p["u1"], return_sequences=True)(x)))[1],
    # q04
    ("q04", "mha_params"): lambda p: _layer_params(
        L.MultiHeadAttention(p["num_heads"], p["key_dim"]), (None, 5, p["dim"]), (None, 7, p["dim"])),
    ("q04", "attention_scores_shape"): mha_scores,
    ("q04", "attention_output_shape"): lambda p: tuple(L.MultiHeadAttention(p["num_heads"], p["key_dim"])
                                                       .compute_output_shape((p["batch"], p["tq"], p["dq"]),
                                                                             (p["batch"], p["tk"], p["dv"]))),
    ("q04", "attention_cost_growth"): lambda p: self_attention_scores(p["n"] * p["factor"]) // self_attention_scores(
        p["n"]),
    ("q04", "encoder_block_params"): lambda p: symbolic((6, p["d_model"]), lambda x: encoder(x, p))[1],
    # q05
    ("q05", "yolo_output_shape"): lambda p: truth.conv2d_output_shape(
        (p["grid"], p["grid"], 256), 5 * p["boxes"] + p["classes"], 1),
    ("q05", "rpn_output_shape"): lambda p: symbolic(
        (p["h"], p["w"], p["c"]), lambda x: rpn(x, p))[0][0 if p["output"] == "scores" else 1],
    ("q05", "rpn_anchor_count"): lambda p: math.prod(symbolic((p["h"], p["w"], 8), lambda x: rpn(x, p))[0][1]) // 4,
    ("q05", "rpn_params"): lambda p: symbolic((9, 9, p["c"]), lambda x: rpn(x, p))[1],
    ("q05", "conv_transpose_shape"): lambda p: tuple(
        L.Conv2DTranspose(p["filters"], p["k"], strides=p["s"], padding=p["padding"]).compute_output_shape(
            (None, p["h"], p["w"], p["c"]))[1:]),
    ("q05", "fcn_score_map"): lambda p: symbolic(
        (p["hh"], p["ww"], 3), lambda x: _fcn(x, p))[0][0],
    ("q05", "iou"): lambda p: float(np.asarray(keras.utils.bounding_boxes.compute_iou(
        np.array([p["a"]], "float32"), np.array([p["b"]], "float32"), bounding_box_format="yxyx"))[0, 0]),
}


def _stack(x, c, depth):
    for _ in range(depth):
        x = L.Conv2D(c, 3, padding="same")(x)
    return x


def _fcn(x, p):
    for _ in range(p["pools"]):
        x = L.MaxPooling2D(2)(L.Conv2D(p["c"], 3, padding="same")(x))
    return L.Conv2D(p["classes"], p["fk"])(x)


@pytest.mark.parametrize("qz,template", COMPUTED, ids=[f"{q.id}-{t.name}" for q, t in COMPUTED])
def test_quiz_answers_equal_keras_on_many_seeds(qz, template):
    questions = [qz.question(template, s) for s in STUDENTS[:FEWER.get(template.name, len(STUDENTS))]]
    keras.backend.clear_session()
    ground_truth = KERAS[(qz.id, template.name)]
    for q in questions:
        want = ground_truth(q.params)
        if q.kind == "decimal":
            assert abs(q.answer - want) < 1e-6, (q.prompt, q.answer, want)
        else:
            assert q.answer == (tuple(want) if q.kind == "shape" else want), (q.prompt, q.answer, want)
        assert q.right(q.parse(q.show())), "the answer as shown must read back as right"
        assert q.explanation and q.prompt
    assert len({json.dumps(q.params, sort_keys=True) for q in questions}) > 3, "the numbers must vary per student"


def test_every_computed_template_has_a_keras_cross_check():
    missing = [f"{q.id}.{t.name}" for q, t in COMPUTED if (q.id, t.name) not in KERAS]
    assert not missing
    assert len(COMPUTED) + len(CHOICE) == len(TEMPLATES) and len(CHOICE) >= 10


@pytest.mark.parametrize("qz,template", CHOICE, ids=[f"{q.id}-{t.name}" for q, t in CHOICE])
def test_choice_questions_are_shuffled_per_student(qz, template):
    questions = [qz.question(template, s) for s in STUDENTS]
    right = {q.options[q.answer] for q in questions}
    assert len(right) == 1, "the right option is the same text for every student"
    assert all(len(set(q.options)) == len(q.options) == 4 for q in questions)
    assert len({q.options for q in questions}) >= 4, "options are shuffled per student"
    assert len({q.answer for q in questions}) >= 3, "the right letter moves"


def test_quizzes_cover_the_syllabus():
    assert [q.id for q in QUIZZES] == ["q01", "q02", "q03", "q04", "q05"]
    kinds = {q.id: {q.question(t, "x").kind for t in q.templates} for q in QUIZZES}
    assert all({"count", "choice"} <= k for k in kinds.values()), kinds
    assert all("shape" in k for qid, k in kinds.items()), kinds
    names = {t.name for _, t in TEMPLATES}
    for topic in ("resnet_skip", "one_by_one_role", "forget_gate", "attention_cost_growth", "yolo_output_shape",
                  "rpn_output_shape", "mha_params", "lstm_params", "gru_params", "receptive_field"):
        assert topic in names


def test_same_student_same_questions_other_student_other_numbers():
    q01 = quiz.get_quiz("q01")
    a, a2, b = q01.questions("s1234"), q01.questions("  S1234 "), q01.questions("s1235")
    assert [x.params for x in a] == [x.params for x in a2]
    assert [x.params for x in a] != [x.params for x in b]


def test_the_dice_never_change_across_versions():
    # Built on random.Random.random() alone, which Python keeps stable: an
    # answer file is graded later, maybe elsewhere, and must get its questions back.
    d = quiz.Dice("q01", "s1", "conv_params")
    assert [d.integers(0, 99) for _ in range(6)] == GOLDEN_DICE
    assert quiz.Dice("a").shuffled(range(5)) == GOLDEN_SHUFFLE


GOLDEN_DICE = [32, 30, 42, 27, 99, 57]
GOLDEN_SHUFFLE = [2, 1, 3, 4, 0]


# ------------------------------------------------------------------ parsing
@pytest.mark.parametrize("text", ["32x32x10", "(32, 32, 10)", "32 32 10", "[32,32,10]", "32×32×10", "32 x 32 x 10",
                                  " 32X32X10 ", "(None, 32, 32, 10)", "32, 32, 10"])
def test_shapes_in_every_sensible_form(text):
    assert parse_shape(text, 3) == (32, 32, 10)


@pytest.mark.parametrize("text,words", [("32x32", "has 2 numbers"), ("32x32x10x3", "has 4 numbers"),
                                        ("32xax10", "cannot read 'a'"), ("", "type a shape"),
                                        ("hello", "not a shape"), ("a b c", "not a shape"),
                                        ("32.5x32x10", "cannot read '32.5'")])
def test_nonsense_shapes_are_refused_clearly(text, words):
    with pytest.raises(AnswerError) as e:
        parse_shape(text, 3, "height x width x channels")
    assert words in e.value.message.lower()
    assert "32x32x10" in e.value.message or "height x width" in e.value.message


@pytest.mark.parametrize("text,value", [("760", 760), ("760 params", 760), ("760 parameters", 760),
                                        ("73,792", 73792), ("73_792", 73792), ("4x", 4), ("x4", 4),
                                        ("×9", 9), ("9 times", 9), ("7.6e2", 760), ("  1,000,000 ", 1000000),
                                        ("760개", 760), ("760.0", 760)])
def test_counts_in_every_sensible_form(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text,words", [("", "type a number"), ("abc", "not a number"),
                                        ("760 761", "several numbers"), ("32x32x10", "several numbers"),
                                        ("7.5", "not a whole number"), ("74k", "exact number"),
                                        ("2.4 million", "exact number")])
def test_nonsense_counts_are_refused_clearly(text, words):
    with pytest.raises(AnswerError) as e:
        parse_count(text)
    assert words in e.value.message.lower()


@pytest.mark.parametrize("text,value", [("0.25", 0.25), (".25", 0.25), ("1/4", 0.25), ("25%", 0.25),
                                        ("16 / 44", 16 / 44)])
def test_decimals(text, value):
    assert parse_decimal(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "one quarter", "1/0", "0.2 0.3"])
def test_nonsense_decimals_are_refused(text):
    with pytest.raises(AnswerError):
        parse_decimal(text)


OPTIONS = ("The forget gate f(t)", "The input gate i(t)", "The output gate o(t)", "The candidate")


@pytest.mark.parametrize("text,index", [("a", 0), ("B", 1), ("(c)", 2), ("d)", 3), ("2", 1), ("option c", 2),
                                        ("the input gate i(t)", 1), ("The candidate.", 3)])
def test_choices(text, index):
    assert parse_choice(text, OPTIONS) == index


@pytest.mark.parametrize("text", ["e", "5", "0", "maybe", "", "ab"])
def test_nonsense_choices_are_refused_with_the_letters(text):
    with pytest.raises(AnswerError) as e:
        parse_choice(text, OPTIONS)
    assert "a, b, c, d" in e.value.message


def test_questions_judge_parsed_answers():
    q = quiz.get_quiz("q01").question(quiz.get_quiz("q01").templates[0], "s1")  # a shape question
    h, w, c = q.answer
    assert q.right(q.parse(f"({h}, {w}, {c})"))
    assert not q.right(q.parse(f"{h}x{w}x{c + 1}"))
    iou_q = quiz.get_quiz("q05").question(next(t for t in quiz.get_quiz("q05").templates if t.name == "iou"), "s1")
    assert iou_q.right(iou_q.parse(f"{round(iou_q.answer, 2)}"))
    assert not iou_q.right(iou_q.parse(f"{iou_q.answer + 0.02}"))


# ------------------------------------------------------------------ taking a quiz
def _script(questions, wrong: set[int] = frozenset(), junk_first: bool = True) -> list[str]:
    """Lines a student types: a nonsense line first (re-asked), then each answer."""
    lines = []
    for i, q in enumerate(questions):
        if junk_first and i == 0:
            lines += ["", "banana"]
        if i in wrong:
            lines.append(_wrong_answer(q))
        else:
            lines.append(q.show() if q.kind != "choice" else "abcd"[q.answer])
    return lines


def _wrong_answer(q) -> str:
    if q.kind == "shape":
        return "x".join(str(d + 1) for d in q.answer)
    if q.kind == "count":
        return str(q.answer + 1)
    if q.kind == "decimal":
        return str(q.answer + 0.1)
    return "abcd"[(q.answer + 1) % 4]


def test_terminal_flow_saves_after_each_question_and_resumes(tmp_path):
    from rich.console import Console
    q01 = quiz.get_quiz("q01")
    questions = q01.questions("s42")
    path = tmp_path / "answers.json"
    lines = _script(questions, wrong={1})
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False)
    # the student stops after three answers (end of input)
    with pytest.raises(EOFError):
        quiz.take(q01, "s42", path, quiz.RichIO(console, io.StringIO("\n".join(lines[:5]) + "\n")))
    saved = json.loads(path.read_text())
    assert list(saved["answers"]) == [t.name for t in q01.templates[:3]]
    assert saved["answers"][q01.templates[1].name]["correct"] is False
    text = out.getvalue()
    assert "Type an answer" in text and "'banana' is not a shape" in text
    assert "Right!" in text and "Wrong: the answer is" in text
    # the same command again asks only the rest
    out2 = io.StringIO()
    summary = quiz.take(q01, "s42", path, quiz.RichIO(Console(file=out2, width=120),
                                                      io.StringIO("\n".join(lines[5:]) + "\n")))
    assert "3 of 8 questions are already answered" in out2.getvalue()
    assert summary["right"] == len(questions) - 1 and summary["total"] == len(questions)
    saved = json.loads(path.read_text())
    assert len(saved["answers"]) == len(questions)
    assert not list(tmp_path.glob(".*tmp")), "no temporary file is left behind"


def test_answer_file_of_someone_else_is_never_overwritten(tmp_path):
    q01 = quiz.get_quiz("q01")
    path = tmp_path / "a.json"
    first = q01.questions("s1")[0]
    with pytest.raises(EOFError):
        quiz.take(q01, "s1", path, quiz.PlainIO(ask=_feeder([first.show()]), say=lambda s: None))
    before = path.read_text()
    with pytest.raises(UsageError, match="student s1"):
        quiz.take(q01, "s2", path, quiz.PlainIO(ask=_feeder([]), say=lambda s: None))
    with pytest.raises(UsageError, match="q01"):
        quiz.take(quiz.get_quiz("q02"), "s1", path, quiz.PlainIO(ask=_feeder([]), say=lambda s: None))
    assert path.read_text() == before


def _feeder(lines):
    it = iter(lines)

    def ask(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None
    return ask


def test_notebook_quiz_uses_input_and_print(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    q03 = quiz.get_quiz("q03")
    lines = ["s77"] + _script(q03.questions("s77"), junk_first=False)
    monkeypatch.setattr("builtins.input", _feeder(lines))
    result = quiz.quiz("q3")
    assert result["score"] == result["max_score"] == q03.max_score
    assert (tmp_path / "quiz_q03_s77.json").is_file()
    assert "Question 1 of" in capsys.readouterr().out


def test_notebook_quiz_stopped_keeps_answers(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    first = quiz.get_quiz("q02").questions("s8")[0]
    monkeypatch.setattr("builtins.input", _feeder([first.show()]))
    result = quiz.quiz("q02", student="s8")
    assert result["stopped"]
    assert "saved in" in capsys.readouterr().out
    assert len(json.loads((tmp_path / "quiz_q02_s8.json").read_text())["answers"]) == 1


# ------------------------------------------------------------------ command line
def test_cli_takes_a_quiz_from_stdin(tmp_path, monkeypatch, capsys):
    q04 = quiz.get_quiz("q04")
    lines = _script(q04.questions("s9"), wrong={0}, junk_first=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    out = tmp_path / "mine.json"
    assert quiz.cli_main(["q04", "--student", "s9", "--out", str(out)]) == 1  # one wrong answer
    assert len(json.loads(out.read_text())["answers"]) == len(lines)
    assert "Score: 7 of 8 points" in capsys.readouterr().out


def test_out_may_name_a_folder(tmp_path, monkeypatch):
    first = quiz.get_quiz("q05").questions("s3")[0]
    monkeypatch.setattr("sys.stdin", io.StringIO(first.show() + "\n"))
    assert quiz.cli_main(["q05", "--student", "s3", "--out", str(tmp_path)]) == 130
    assert len(json.loads((tmp_path / "quiz_q05_s3.json").read_text())["answers"]) == 1


def test_cli_stopped_with_end_of_input_says_answers_are_saved(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert quiz.cli_main(["q01", "--student", "s9", "--out", str(tmp_path / "x.json")]) == 130
    assert "saved" in capsys.readouterr().out


def test_cli_in_korean(tmp_path, monkeypatch, capsys):
    q01 = quiz.get_quiz("q01")
    lines = _script(q01.questions("s5"), junk_first=True)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    try:
        assert quiz.cli_main(["q01", "--student", "s5", "--out", str(tmp_path / "k.json"), "--lang", "ko"]) == 0
    finally:
        i18n.set_language("en")
    text = capsys.readouterr().out
    assert "정답입니다" in text and "출력 크기" in text and "파라미터 수" in text
    assert "Question" not in text and "Right!" not in text


def test_korean_locale_from_environment(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    try:
        assert quiz.cli_main(["list"]) == 0
    finally:
        i18n.set_language("en")
    assert "합성곱" in capsys.readouterr().out


def test_cli_help_list_and_usage_errors(capsys):
    assert quiz.cli_main(["--help"]) == 0
    text = capsys.readouterr().out
    assert "grade quiz q01 --student" in text and "32x32x10" in text and "exit status" in text
    assert quiz.cli_main(["list"]) == 0
    listing = capsys.readouterr().out
    assert all(q in listing for q in ("q01", "q02", "q03", "q04", "q05"))
    with pytest.raises(UsageError, match="did you mean q01"):
        quiz.cli_main(["q011", "--student", "s"])
    with pytest.raises(UsageError, match="student id is needed"):
        quiz.check_student_id("  ")
    with pytest.raises(UsageError, match="unsupported language"):
        quiz.cli_main(["list", "--lang", "fr"])
    with pytest.raises(UsageError):
        quiz.cli_main(["grade", "q01"])  # no files, no --out


def test_the_grade_command_dispatches_to_quizzes(monkeypatch, capsys):
    from grader.front import cli
    assert cli.run(["quiz", "list"]) == 0
    assert "q05" in capsys.readouterr().out


# ------------------------------------------------------------------ batch grading
def _answer_file(tmp_path, student, wrong=frozenset(), skip=frozenset(), quiz_id="q01") -> Path:
    qz = quiz.get_quiz(quiz_id)
    path = tmp_path / f"quiz_{quiz_id}_{student}.json"
    lines = [line for i, line in enumerate(_script(qz.questions(student), wrong, junk_first=False)) if i not in skip]
    with contextlib.suppress(EOFError):
        quiz.take(qz, student, path, quiz.PlainIO(ask=_feeder(lines), say=lambda s: None))
    return path


def test_grade_answer_file_rejudges_what_was_typed(tmp_path):
    path = _answer_file(tmp_path, "s100", wrong={2, 6})
    result = quiz.grade_answer_file("q01", path)
    assert set(result) >= {"student", "exercise", "score", "max_score", "checks"}
    assert result["student"] == "s100" and result["exercise"] == "q01"
    assert result["score"] == 6 and result["max_score"] == 8
    statuses = [c["status"] for c in result["checks"]]
    assert statuses.count("FAIL") == 2 and statuses.count("PASS") == 6
    for c in result["checks"]:
        assert set(c) == {"name", "status", "points", "max_points", "message", "hint", "hidden"}
        assert c["hint"]
    failed = next(c for c in result["checks"] if c["status"] == "FAIL")
    assert "expected" in failed["message"]
    # flipping the "correct" flags in the file changes nothing: the typed answers are judged again
    data = json.loads(path.read_text())
    for record in data["answers"].values():
        record["correct"] = True
    path.write_text(json.dumps(data))
    assert quiz.grade_answer_file("q01", path)["score"] == 6
    # another student's id in the file means other questions: the answers no longer fit
    data["student"] = "s101"
    path.write_text(json.dumps(data))
    assert quiz.grade_answer_file("q01", path)["score"] < 6


def test_grade_answer_file_unanswered_unreadable_and_broken(tmp_path):
    path = _answer_file(tmp_path, "s200", skip={3, 4, 5, 6, 7})
    result = quiz.grade_answer_file("q01", path)
    assert [c["status"] for c in result["checks"]].count("NOT_ATTEMPTED") == 5
    data = json.loads(path.read_text())
    first = next(iter(data["answers"]))
    data["answers"][first] = {"answer": "banana"}
    path.write_text(json.dumps(data))
    check = quiz.grade_answer_file("q01", path)["checks"][0]
    assert check["status"] == "FAIL" and "cannot be read" in check["message"]
    broken = tmp_path / "quiz_q01_s300.json"
    broken.write_text("{not json")
    bad = quiz.grade_answer_file("q01", broken)
    assert bad["student"] == "s300" and bad["score"] == 0
    assert {c["status"] for c in bad["checks"]} == {"ERROR"} and "cannot read" in bad["checks"][0]["message"]
    other = _answer_file(tmp_path, "s400", quiz_id="q02")
    assert "not q01" in quiz.grade_answer_file("q01", other)["checks"][0]["message"]


def test_cli_grades_a_folder_of_answer_files(tmp_path, capsys):
    subs = tmp_path / "subs"
    subs.mkdir()
    _answer_file(subs, "s1")
    _answer_file(subs, "s2", wrong={0, 1, 2})
    (subs / "quiz_q01_s3.json").write_text("garbage")
    out = tmp_path / "out"
    assert quiz.cli_main(["grade", "q01", str(subs), "--out", str(out)]) == 0
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert [r["student"] for r in lines] == ["s1", "s2", "s3"]
    assert [r["score"] for r in lines] == [8, 5, 0]
    rows = list(csv.reader((out / "grades.csv").open()))
    assert rows == [["student", "q01", "total", "max_total"], ["s1", "8", "8", "8"], ["s2", "5", "5", "8"],
                    ["s3", "0", "0", "8"]]
    assert "results.jsonl" in capsys.readouterr().out


# ------------------------------------------------------------------ Korean
def _my_messages(*parts: str) -> dict[str, str]:
    from test_i18n import wrapped_messages
    return {m: where for m, where in wrapped_messages().items() if where.startswith(parts)}


def test_every_quiz_message_has_korean():
    mine = _my_messages("front/quiz.py", "judge/quizkit.py", "quizzes/")
    assert len(mine) > 150
    ko = i18n.catalogue("ko")
    missing = [f"{where}: {m!r}" for m, where in mine.items() if m not in ko]
    assert not missing, "\n".join(missing)


def test_korean_questions_render_for_every_template():
    try:
        i18n.set_language("ko")
        for qz in QUIZZES:
            for q in qz.questions("s1"):
                assert any("\uac00" <= ch <= "\ud7a3" for ch in q.prompt + q.explanation), (qz.id, q.key)
                assert all(any("\uac00" <= ch <= "\ud7a3" for ch in o) for o in q.options), (qz.id, q.key)
    finally:
        i18n.set_language("en")


# ------------------------------------------------------------------ the question bank and the first format
V1 = Path(__file__).resolve().parent / "quiz_answers_v1"  # written by the quiz code before the bank (its README)


def test_a_student_gets_questions_of_the_bank():
    from grader.judge import quizkit
    for qz in QUIZZES:
        for t in qz.templates:
            for s in STUDENTS:
                i = qz.bank_index(t, s)
                assert 0 <= i < quizkit.BANK
                assert qz.question(t, s).prompt == qz.instance(t, i).prompt
    with pytest.raises(ValueError):
        QUIZZES[0].instance(QUIZZES[0].templates[0], quizkit.BANK)
    indices = {QUIZZES[0].bank_index(QUIZZES[0].templates[0], f"s{i}") for i in range(400)}
    assert len(indices) > quizkit.BANK // 2, "the student ids spread over the bank"


def test_the_quizzes_formulas_are_the_instructors():
    """grader/quizzes/formulas.py looks its values up (grader.judge.answers); the code is in grader/answers/."""
    import inspect

    from grader.answers import formulas as truth_formulas
    from grader.quizzes import formulas
    assert formulas.TABLE.home == "quizzes"
    assert formulas.conv_params(3, 64, 128) == truth_formulas.conv_params(3, 64, 128) == (3 * 3 * 64 + 1) * 128
    assert formulas.iou([0, 0, 2, 2], [1, 1, 3, 3]) == truth_formulas.iou([0, 0, 2, 2], [1, 1, 3, 3])
    assert formulas.conv_shape((32, 32, 3), 10, 3, 1, "same") == (32, 32, 10)
    for name, fn in vars(formulas).items():
        if inspect.isfunction(fn) and fn.__module__ == formulas.__name__:
            assert "TABLE(" in inspect.getsource(fn), name  # a lookup, not a formula
            assert callable(getattr(truth_formulas, name)), name


@pytest.mark.parametrize("name", sorted(p.name for p in V1.glob("quiz_*.json")))
def test_an_answer_file_of_the_first_format_is_graded_as_before(name):
    """Answer files written before the bank (keras-course-quiz-answers/1): the instructor's grader re-draws
    their questions from the student id, as then, and gives the verdicts of the grader of then."""
    want = json.loads((V1 / "expected.json").read_text(encoding="utf-8"))[name]
    data = json.loads((V1 / name).read_text(encoding="utf-8"))
    assert data["format"] == quiz.LEGACY_FORMAT != quiz.FORMAT
    got = quiz.grade_answer_file(data["quiz"], V1 / name)
    assert got["score"] == want["score"]
    assert [[c["name"], c["status"], c["points"], c["message"], c["hint"]] for c in got["checks"]] == want["checks"]
    assert any("earlier version of the quiz" in n for n in got["notes"])
    # the same student's questions from the bank are others: the old answers would not fit them
    qz = quiz.get_quiz(data["quiz"])
    assert [q.prompt for q in qz.questions(data["student"])] != [q.prompt for q in qz.questions(data["student"],
                                                                                              legacy=True)]


def test_an_answer_file_of_the_first_format_continued_after_the_bank(tmp_path):
    """A student who answered some questions before the bank and continues afterwards: the old answers keep
    their format (and their questions), the rest come from the bank; each is graded against its own."""
    name = "quiz_q01_s2024001.json"
    path = tmp_path / name
    path.write_bytes((V1 / name).read_bytes())
    want = json.loads((V1 / "expected.json").read_text(encoding="utf-8"))[name]
    qz = quiz.get_quiz("q01")
    last = qz.questions("s2024001")[-1]  # the question the old file left unanswered, now from the bank
    said = []
    summary = quiz.take(qz, "s2024001", path, quiz.PlainIO(ask=_feeder([_script([last], junk_first=False)[0]]),
                                                          say=said.append))
    assert summary["score"] == want["score"] + 1 and summary["total"] == len(qz.templates)
    assert "7 of 8 questions are already answered" in "\n".join(said)
    data = json.loads(path.read_text())
    assert data["format"] == quiz.FORMAT
    assert [r.get("format") for r in data["answers"].values()] == [quiz.LEGACY_FORMAT] * 7 + [None]
    got = quiz.grade_answer_file("q01", path)
    assert got["score"] == want["score"] + 1
    assert [[c["name"], c["status"], c["points"], c["message"], c["hint"]] for c in got["checks"][:7]] == \
        want["checks"][:7]
    assert got["checks"][7]["status"] == "PASS" and got["checks"][7]["hint"] == last.explanation
    assert any(n.startswith("7 answers were given to the questions of an earlier version") for n in got["notes"])
