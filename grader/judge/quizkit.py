"""The quiz-writing API: what a question bank in ``grader/quizzes`` uses.

A quiz is a list of question templates: functions of a seeded ``Dice`` that
draw the numbers and return a ``Question`` (``count_question``,
``decimal_question``, ``shape_question``, ``choice_question``) whose answer is
computed, never typed in.  ``Question.parse`` reads what a student typed
(``parse_count``, ``parse_shape``, ...; an ``AnswerError`` says what form is
expected) and ``Question.right`` judges it.  Taking, saving and grading a quiz
are the front end's business (``grader/front/quiz.py``).

Each template has a bank of ``BANK`` questions: question i draws its numbers
from a ``Dice`` seeded by the quiz id, the template's name and i alone
(``Quiz.instance``), and a student's id only picks i (``Quiz.bank_index``).
So the instructor re-creates any student's questions without a file, and
``grade release`` can draw every question of the bank once and ship the
values its answers need (``grader/quizzes/formulas.py``), not the formulas.
Answer files written before the bank drew each question from the student id
itself (``Quiz.question(..., legacy=True)``; only the instructor's grader
can re-create those).
"""
from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from typing import Any, Callable

from grader.core.i18n import _

LETTERS = "abcdefgh"
# Questions per template.  A student's id picks one of them per template, independently, so two students
# share a whole quiz with odds BANK ** -templates; the release holds the formulas' values for every one.
BANK = 256


class AnswerError(ValueError):
    """An answer that cannot be read; the message says what form is expected."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------ seeding
def student_key(student: str) -> str:
    """The part of a student id that seeds the questions: case and spacing do not matter."""
    return " ".join(str(student).split()).lower()


class Dice:
    """Seeded numbers built on ``random.Random.random()`` alone.

    Python guarantees that sequence for a given seed across versions and
    machines (unlike ``randrange`` or numpy's generators), so an answer file
    can be graded later, elsewhere, and get the same questions back.
    """

    def __init__(self, *key: Any):
        digest = hashlib.sha256("/".join(str(k) for k in key).encode()).digest()
        self._random = random.Random(int.from_bytes(digest[:16], "big"))

    def random(self) -> float:
        return self._random.random()

    def integers(self, low: int, high: int) -> int:
        """An int in low..high, both included."""
        return low + min(int(self._random.random() * (high - low + 1)), high - low)

    def choice(self, seq):
        seq = list(seq)
        return seq[self.integers(0, len(seq) - 1)]

    def chance(self, p: float) -> bool:
        return self._random.random() < p

    def shuffled(self, seq) -> list:
        items = list(seq)
        for i in range(len(items) - 1, 0, -1):
            j = self.integers(0, i)
            items[i], items[j] = items[j], items[i]
        return items


# ------------------------------------------------------------------ answers
_GROUPED = r"\d{1,3}(?:[,_'\u2009\u202f]\d{3})+(?![\d])"
_NUMBER = re.compile(rf"[-+]?(?:{_GROUPED}|\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?", re.IGNORECASE)
_FRACTION = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")
_ABBREVIATIONS = {"k", "m", "b", "mil", "thousand", "thousands", "million", "millions", "billion",
                  "천", "만", "억"}
SHAPE_EXAMPLES = {1: "10", 2: "16x64", 3: "32x32x10", 4: "2x8x10x10"}


def _clean(raw: Any) -> str:
    return " ".join(str(raw).replace("\u00d7", "x").split()).lower()


def _number(token: str) -> float:
    return float(re.sub(r"[,_'\u2009\u202f]", "", token))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


def parse_count(raw: Any) -> int:
    """A whole number: "760", "760 params", "73,792", "73_792", "4x", "7.6e2"."""
    text = _clean(raw)
    if not text:
        raise AnswerError(_("Type a number, for example 760."))
    tokens = _NUMBER.findall(text)
    if not tokens:
        raise AnswerError(_("'{answer}' is not a number: type it in digits, for example 760 or 73,792.")
                          .format(answer=raw))
    if len(tokens) > 1:
        raise AnswerError(_("'{answer}' contains several numbers: this answer is one number, for example 760.")
                          .format(answer=raw))
    rest = text.replace(tokens[0], " ", 1)
    if _words(rest) & _ABBREVIATIONS:
        raise AnswerError(_("Write the exact number in digits (for example 73,792), not an abbreviation "
                            "such as 74k."))
    value = _number(tokens[0])
    if not value.is_integer():
        raise AnswerError(_("{number} is not a whole number; this answer is a count.").format(number=tokens[0]))
    return int(value)


def parse_decimal(raw: Any) -> float:
    """A number that may have decimals: "0.25", ".25", "1/4", "25%"."""
    text = _clean(raw)
    if not text:
        raise AnswerError(_("Type a number, for example 0.25 or 1/4."))
    fraction = _FRACTION.search(text)
    if fraction:
        den = float(fraction.group(2))
        if den == 0:
            raise AnswerError(_("'{answer}' divides by zero.").format(answer=raw))
        rest = text.replace(fraction.group(0), " ", 1)
        if _NUMBER.search(rest):
            raise AnswerError(_("'{answer}' contains several numbers: type one number, for example 0.25 or 1/4.")
                              .format(answer=raw))
        return float(fraction.group(1)) / den
    tokens = _NUMBER.findall(text)
    if not tokens:
        raise AnswerError(_("'{answer}' is not a number: type it in digits, for example 0.25 or 1/4.")
                          .format(answer=raw))
    if len(tokens) > 1:
        raise AnswerError(_("'{answer}' contains several numbers: type one number, for example 0.25 or 1/4.")
                          .format(answer=raw))
    value = _number(tokens[0])
    return value / 100 if "%" in text else value


def parse_shape(raw: Any, ndim: int, dims: str = "") -> tuple[int, ...]:
    """A shape: "32x32x10", "(32, 32, 10)", "32 32 10", "[32,32,10]", "(None, 32, 32, 10)"."""
    example = SHAPE_EXAMPLES.get(ndim, "x".join(["8"] * ndim))
    forms = _("{example} or ({listed})").format(example=example, listed=", ".join(example.split("x")))
    text = _clean(raw)
    if not text:
        raise AnswerError(_("Type a shape, for example {forms}.").format(forms=forms))
    parts = [p for p in re.split(r"[\s,;x*()\[\]{}]+", text) if p]
    if len(parts) == ndim + 1 and parts[0] in ("none", "batch", "?", "b"):
        parts = parts[1:]
    bad = [p for p in parts if not p.isdigit()]
    if bad and (len(parts) == 1 or len(bad) == len(parts)):
        raise AnswerError(_("'{answer}' is not a shape: write whole numbers such as {forms}.")
                          .format(answer=raw, forms=forms))
    if bad:
        raise AnswerError(_("Cannot read '{part}' in '{answer}': write the shape as whole numbers, for example "
                            "{forms}.").format(part=bad[0], answer=raw, forms=forms))
    if len(parts) != ndim:
        raise AnswerError(_("'{answer}' has {got} numbers, but this shape has {n} ({dims}).")
                          .format(answer=raw, got=len(parts), n=ndim, dims=dims or example))
    return tuple(int(p) for p in parts)


def parse_choice(raw: Any, options: tuple[str, ...]) -> int:
    """The index of the chosen option: "b", "B)", "(b)", "2", or the option's text."""
    letters = LETTERS[:len(options)]
    listing = ", ".join(letters)
    text = _clean(raw)
    if not text:
        raise AnswerError(_("Type the letter of an option ({letters}).").format(letters=listing))
    m = re.fullmatch(r"(?:option|answer|정답)?\s*[:.\-]?\s*[(\[]?\s*([a-z]|\d+)\s*[)\].]?", text)
    if m:
        key = m.group(1)
        if key.isdigit() and 1 <= int(key) <= len(options):
            return int(key) - 1
        if key in letters:
            return letters.index(key)
    for i, option in enumerate(options):
        if _clean(option).rstrip(".") == text.rstrip("."):
            return i
    raise AnswerError(_("'{answer}' is not one of the options: type {letters}.").format(answer=raw, letters=listing))


def show_shape(shape) -> str:
    return "x".join(str(int(d)) for d in shape)


def show_count(n: int) -> str:
    return f"{int(n):,}"


# ------------------------------------------------------------------ questions
@dataclasses.dataclass
class Question:
    """One drawn question.  ``answer`` is computed by the template, never typed:
    an int ("count"), a float ("decimal"), a tuple of ints ("shape"), or the
    index of the right option ("choice")."""

    kind: str
    prompt: str
    answer: Any
    explanation: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    options: tuple[str, ...] = ()
    dims: str = ""
    tolerance: float = 0.0
    key: str = ""
    points: float = 1.0

    def parse(self, raw: Any) -> Any:
        if self.kind == "count":
            return parse_count(raw)
        if self.kind == "decimal":
            return parse_decimal(raw)
        if self.kind == "shape":
            return parse_shape(raw, len(self.answer), self.dims)
        if self.kind == "choice":
            return parse_choice(raw, self.options)
        raise ValueError(f"unknown question kind {self.kind!r}")

    def right(self, value: Any) -> bool:
        if self.kind == "decimal":
            return abs(float(value) - float(self.answer)) <= self.tolerance + 1e-12
        if self.kind == "shape":
            return tuple(value) == tuple(self.answer)
        return value == self.answer

    def show(self, value: Any = None) -> str:
        """An answer (the right one by default) the way a student would write it."""
        value = self.answer if value is None else value
        if self.kind == "shape":
            return show_shape(value)
        if self.kind == "count":
            return show_count(value)
        if self.kind == "decimal":
            return f"{float(value):.3g}"
        return f"{LETTERS[value]}) {self.options[value]}"

    def normalised(self, value: Any) -> str:
        """A form of a parsed answer that reads back the same in every language."""
        if self.kind == "shape":
            return show_shape(value)
        if self.kind == "count":
            return str(int(value))
        if self.kind == "decimal":
            return repr(float(value))
        return LETTERS[value]


def count_question(prompt: str, answer: int, explanation: str, **params: Any) -> Question:
    return Question("count", prompt, int(answer), explanation, params)


def decimal_question(prompt: str, answer: float, explanation: str, tolerance: float, **params: Any) -> Question:
    return Question("decimal", prompt, float(answer), explanation, params, tolerance=tolerance)


def shape_question(prompt: str, answer, dims: str, explanation: str, **params: Any) -> Question:
    return Question("shape", prompt, tuple(int(d) for d in answer), explanation, params, dims=dims)


def choice_question(dice: Dice, prompt: str, right: str, wrong: list[str], explanation: str) -> Question:
    """The right option and the wrong ones, shuffled per student (by position,
    so the order is the same in every language)."""
    options = [right, *wrong]
    order = dice.shuffled(range(len(options)))
    return Question("choice", prompt, order.index(0), explanation, {"order": order},
                    options=tuple(options[i] for i in order))


@dataclasses.dataclass
class Template:
    name: str
    fn: Callable[[Dice], Question]
    points: float
    hidden = False  # a question is a check of the quiz: every one is shown


class Quiz:
    """A quiz: an id, a title, and question templates (``@QUIZ.template()``)."""

    def __init__(self, id: str, title: str, summary: str = ""):
        self.id = id
        self.title = title  # msgids (N_): translated when shown
        self.summary = summary
        self.templates: list[Template] = []

    def template(self, points: float = 1.0):
        def deco(fn: Callable[[Dice], Question]):
            if any(t.name == fn.__name__ for t in self.templates):
                raise ValueError(f"{self.id}: two templates are named {fn.__name__}")
            self.templates.append(Template(fn.__name__, fn, points))
            return fn
        return deco

    def bank_index(self, template: Template, student: str) -> int:
        """Which question of the template's bank the student gets (0 .. BANK - 1)."""
        return Dice(self.id, student_key(student), template.name, "bank").integers(0, BANK - 1)

    def instance(self, template: Template, index: int) -> Question:
        """Question ``index`` of the template's bank: the same for every student who gets it."""
        if not 0 <= index < BANK:
            raise ValueError(f"{self.id}.{template.name}: no question {index} in a bank of {BANK}")
        return self._made(template, Dice(self.id, template.name, "bank", index))

    def question(self, template: Template, student: str, legacy: bool = False) -> Question:
        """The student's question; ``legacy``: as drawn before the bank, from the student id itself (the
        answer files of the first format), which only the instructor's grader can compute."""
        if legacy:
            return self._made(template, Dice(self.id, student_key(student), template.name))
        return self.instance(template, self.bank_index(template, student))

    def questions(self, student: str, legacy: bool = False) -> list[Question]:
        return [self.question(t, student, legacy) for t in self.templates]

    def _made(self, template: Template, dice: Dice) -> Question:
        q = template.fn(dice)
        q.key, q.points = template.name, template.points
        return q

    @property
    def checks(self) -> list[Template]:
        """The questions as the checks of a report (``Report.uniform``)."""
        return self.templates

    @property
    def max_score(self) -> float:
        return sum(t.points for t in self.templates)
