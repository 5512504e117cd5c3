"""Self-checking quizzes, randomised per student.

    grade quiz list                                  the quizzes
    grade quiz q01 [--student ID] [--out FILE]       take a quiz in the terminal
    grade quiz grade q01 ANSWERS... --out DIR        grade answer files (instructors)

In a notebook::

    from grader.quiz import quiz
    quiz("q01")

A quiz (``grader/quizzes/q01_conv_arithmetic.py``) is a list of question
templates: functions of a seeded ``Dice`` that draw the numbers and return a
``Question`` whose answer is computed with ``grader.quizzes.formulas`` -- the
formulas the exercises ask for, checked against Keras by ``tests/test_quiz.py``.
Each template has a bank of questions (``grader.judge.quizkit.BANK``), each
drawn from a seed of the quiz id, the template name and its index; a hash of
the quiz id, the student id and the template name picks the student's index.
So a student gets the same questions every time and the instructor re-creates
them when grading, and the student release holds the formulas' values for
every question of the bank instead of the formulas (``grade release``).

The answer file (JSON, rewritten atomically after every question) keeps what
the student typed.  ``grade_answer_file`` re-creates the student's questions
and judges the typed answers again: the "correct" flags in the file are for
the student's eyes only and never count.  Files of the first format
(``LEGACY_FORMAT``, before the bank: the numbers drawn from the student id
itself) are graded with the questions drawn that way, which only the
instructor's grader (with the formulas) can re-create; continuing such a file
keeps its answers under that format and asks the rest from the bank.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable

from grader.core import startup
from grader.core.errors import NotAttempted, UsageError
from grader.core.i18n import N_, _, get_language, set_language
from grader.core.outcome import CheckResult, Report, Status
from grader.front import options
from grader.front.commands import Command
# the quiz-writing API lives below the front ends (grader/judge/quizkit.py); these names stay importable here
from grader.judge.quizkit import (LETTERS, AnswerError, Dice, Question, Quiz, Template, choice_question,  # noqa: F401
                                  count_question, decimal_question, parse_choice, parse_count, parse_decimal,
                                  parse_shape, shape_question, show_count, show_shape, student_key)
from grader.quizzes import QUIZZES

COMMAND = Command("quiz", usage="grade quiz q01", summary=N_("take a self-checking quiz"), order=20)

FORMAT = "keras-course-quiz-answers/2"  # the questions come from the bank (grader.judge.quizkit.BANK)
LEGACY_FORMAT = "keras-course-quiz-answers/1"  # drawn from the student id itself: the instructor's grader re-draws them


def quiz_modules() -> dict[str, str]:
    """quiz id -> module name in grader/quizzes, without importing them."""
    return QUIZZES.module_names()


def normalise_quiz_id(quiz_id: str) -> str:
    """'q1', '1', 'Q01' and 'q01_conv_arithmetic' all mean q01."""
    return QUIZZES.normalise(quiz_id)


def get_quiz(quiz_id: str) -> Quiz:
    return QUIZZES.get(quiz_id)


def all_quizzes() -> list[Quiz]:
    return QUIZZES.all()


# ------------------------------------------------------------------ answer files
def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def safe_name(student: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(student).strip()).strip("._") or "student"


def default_answer_path(quiz_id: str, student: str, out: str | os.PathLike | None = None) -> Path:
    """``out`` if it names a file; quiz_<quiz>_<student>.json in ``out`` (a folder) or the current folder."""
    name = f"quiz_{quiz_id}_{safe_name(student)}.json"
    if out is None:
        return Path.cwd() / name
    out = Path(out).expanduser()
    return out / name if out.is_dir() else out


def check_student_id(student: Any) -> str:
    s = " ".join(str(student or "").split())
    if not s:
        raise UsageError(_("a student id is needed (for example --student s1234567)"))
    if len(s) > 80 or not s.isprintable():
        raise UsageError(_("{student!r} does not look like a student id").format(student=s[:80]))
    return s


class AnswerFile:
    """The student's answers, rewritten in full after every question (write a
    temporary file, then rename it over the old one: a crash never leaves half
    a file, and an existing file is never replaced by an empty one)."""

    def __init__(self, path: Path, quiz: Quiz, student: str):
        self.path = Path(path)
        self.data = {"format": FORMAT, "quiz": quiz.id, "title": quiz.title, "student": student,
                     "language": get_language(), "created": _now(), "updated": _now(), "answers": {}}
        if self.path.exists():
            old = read_answer_file(self.path)
            if normalise_quiz_id(old.get("quiz", "")) != quiz.id or \
                    student_key(old.get("student", "")) != student_key(student):
                raise UsageError(_("{path} holds the answers of student {student} to {quiz}; choose another file "
                                   "with --out").format(path=self.path, student=old.get("student", "?"),
                                                        quiz=old.get("quiz", "?")))
            self.data.update({k: v for k, v in old.items() if k != "answers"})
            self.data["answers"] = dict(old.get("answers") or {})
            if self.data.get("format") == LEGACY_FORMAT:  # answered before the bank: those answers keep their
                for record in self.answers.values():       # format, and the rest come from the bank
                    if isinstance(record, dict):
                        record.setdefault("format", LEGACY_FORMAT)
                self.data["format"] = FORMAT

    @property
    def answers(self) -> dict[str, dict]:
        return self.data["answers"]

    def record(self, q: Question, raw: str, value: Any, right: bool) -> None:
        self.answers[q.key] = {"answer": raw, "read_as": q.normalised(value), "correct": bool(right),
                               "prompt": q.prompt, "params": q.params, "at": _now()}
        self.data["updated"] = _now()
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=2, ensure_ascii=False, default=str)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def read_answer_file(path: Path) -> dict:
    from grader.front.submission import Submission
    sub = Submission.load(path)  # the one way in for what a student hands in
    try:
        if sub.text is None:
            raise ValueError(sub.problem)
        data = json.loads(sub.text)
    except ValueError as e:
        raise UsageError(_("cannot read the answer file {path} ({error})").format(path=path, error=e)) from None
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        raise UsageError(_("{path} is not a quiz answer file").format(path=path))
    return data


# ------------------------------------------------------------------ judging
def is_legacy(data: dict, record: Any) -> bool:
    """Whether an answer (or, with no answer, the file) is of the first format: its question was drawn from
    the student id itself, before the bank."""
    own = record.get("format") if isinstance(record, dict) else None
    return (own or data.get("format")) == LEGACY_FORMAT


def judge(q: Question, record: dict | None) -> dict:
    """One question as a check of ``grade batch``'s results.jsonl."""
    return _judged(q, record).to_dict()


def _for_the_student(data: dict, q: Question, record: Any) -> CheckResult:
    """A question as the student sees it at the end of a quiz.  An answer of the first format counts as it
    was judged when it was given: the release cannot re-create that question (the instructor's grader
    judges it again)."""
    if not (isinstance(record, dict) and is_legacy(data, record)):
        return _judged(q, record)
    answer = record.get("answer", "")
    if record.get("correct"):
        return CheckResult(q.key, Status.PASS, float(q.points), q.points, _(
            "answered '{answer}' to this question of an earlier version of the quiz: right").format(answer=answer), "")
    return CheckResult(q.key, Status.FAIL, 0.0, q.points, _(
        "answered '{answer}' to this question of an earlier version of the quiz: wrong").format(answer=answer), "")


def _judged(q: Question, record: dict | None) -> CheckResult:
    if not isinstance(record, dict):
        return CheckResult(q.key, Status.NOT_ATTEMPTED, 0.0, q.points, _("no answer"), q.explanation)
    raw = record.get("answer", "")
    value = None
    for text in (record.get("read_as"), raw):
        if text is None:
            continue
        try:
            value = q.parse(text)
            break
        except AnswerError as e:
            error = e.message
    if value is None:
        return CheckResult(q.key, Status.FAIL, 0.0, q.points, _("answered '{answer}', which cannot be read: {error}")
                           .format(answer=raw, error=error), q.explanation)
    if q.right(value):
        return CheckResult(q.key, Status.PASS, float(q.points), q.points, _("answered {answer}: right")
                           .format(answer=q.show(value)), q.explanation)
    return CheckResult(q.key, Status.FAIL, 0.0, q.points, _("answered {answer}, expected {expected}")
                       .format(answer=q.show(value), expected=q.show()), q.explanation)


def grade_answer_file(quiz_id: str, path: str | os.PathLike) -> dict:
    """One answer file as a ``grade batch`` result: {"student", "exercise", "source", "score",
    "max_score", "checks": [...], "hidden_not_run", "versions", "notes"}.  Questions are re-created from the
    student id in the file and every typed answer is judged again."""
    quiz = get_quiz(quiz_id)
    path = Path(path)
    guess = re.sub(rf"^quiz_{quiz.id}_", "", path.stem)
    try:
        data = read_answer_file(path)
        if normalise_quiz_id(data.get("quiz", "")) != quiz.id:
            raise UsageError(_("{path} holds answers to {other}, not {quiz}")
                             .format(path=path.name, other=data.get("quiz", "?"), quiz=quiz.id))
        student = check_student_id(data.get("student"))
    except UsageError as e:
        report = Report.uniform(quiz, Status.ERROR, str(e), _("Hand in the file that `grade quiz` wrote."),
                                notes=[str(e)])
        return {"student": guess, "source": str(path), **report.to_dict()}
    answers = data.get("answers") or {}
    results, legacy = [], 0
    for t in quiz.templates:
        record = answers.get(t.name)
        old = is_legacy(data, record)
        legacy += old and isinstance(record, dict)
        try:
            q = quiz.question(t, student, legacy=old)
        except NotAttempted:  # a question of the first format, in the student release: no formulas here
            results.append(CheckResult(t.name, Status.NOT_ATTEMPTED, 0.0, t.points, _(
                "this answer is to a question of an earlier version of the quiz, which only your instructor's "
                "grader re-creates"), ""))
            continue
        results.append(_judged(q, record))
    report = Report(quiz.id, _(quiz.title), results)
    if legacy:
        report.notes.append(_("{n} answers were given to the questions of an earlier version of the quiz "
                              "({format}) and were judged against those questions").format(n=legacy,
                                                                                           format=LEGACY_FORMAT))
    unknown = sorted(set(answers) - {t.name for t in quiz.templates})
    if unknown:
        report.notes.append(_("answers to questions this quiz does not have were ignored: {names}")
                            .format(names=", ".join(unknown)))
    return {"student": student, "source": str(path), **report.to_dict()}


def write_results(results: list[dict], out_dir: Path, quiz_id: str) -> None:
    """results.jsonl (one line per file) and grades.csv (student, quiz, total, max_total), as `grade batch`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", quiz_id, "total", "max_total"])
        for r in results:
            w.writerow([r["student"], f"{r['score']:g}", f"{r['score']:g}", f"{r['max_score']:g}"])


def _answer_files(paths: list[str], quiz_id: str) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob(f"quiz_{quiz_id}_*.json")) or sorted(p.glob("*.json"))
            files += [f for f in found if not f.name.startswith(".")]
        elif p.is_file():
            files.append(p)
        else:
            raise UsageError(_("no such file or folder: {path}").format(path=p))
    if not files:
        raise UsageError(_("no answer files (*.json) found in {paths}").format(paths=", ".join(paths)))
    return files


# ------------------------------------------------------------------ taking a quiz
class PlainIO:
    """print() and input(): notebooks, and anywhere without a terminal."""

    def __init__(self, ask: Callable[[str], str] | None = None, say: Callable[[str], None] | None = None):
        self._ask = ask or (lambda prompt: input(prompt))
        self._say = say or (lambda text: print(text, flush=True))

    def say(self, text: str, style: str | None = None) -> None:
        self._say(text)

    def ask(self, prompt: str) -> str:
        return self._ask(f"{prompt}: ")

    def question(self, number: int, total: int, q: Question) -> None:
        self._say("")
        self._say(_("Question {number} of {total}").format(number=number, total=total))
        self._say(q.prompt)
        for letter, option in zip(LETTERS, q.options):
            self._say(f"  {letter}) {option}")


class RichIO:
    """The terminal: rich panels and rich.prompt."""

    def __init__(self, console=None, stream=None):
        from rich.console import Console
        self.console = console or Console()
        self.stream = stream

    def say(self, text: str, style: str | None = None) -> None:
        from rich.text import Text
        self.console.print(Text(text, style=style or ""))

    def ask(self, prompt: str) -> str:
        from rich.prompt import Prompt
        from rich.text import Text
        if self.stream is not None and not _has_line(self.stream):
            raise EOFError
        return Prompt.ask(Text(prompt, style="bold"), console=self.console, stream=self.stream)

    def question(self, number: int, total: int, q: Question) -> None:
        from rich.panel import Panel
        from rich.text import Text
        body = Text(q.prompt)
        for letter, option in zip(LETTERS, q.options):
            body.append(f"\n  {letter}) ", style="bold").append(option)
        self.console.print()
        self.console.print(Panel(body, title=_("Question {number} of {total}").format(number=number, total=total),
                                 title_align="left", expand=False))


def _has_line(stream) -> bool:
    """Peek: does a scripted input stream still hold a line?"""
    pos = stream.tell()
    line = stream.readline()
    stream.seek(pos)
    return bool(line)


def take(quiz: Quiz, student: str, path: Path, io) -> dict:
    """Ask every unanswered question, judge it at once, save after each one.

    Returns {"score", "max_score", "answered", "total", "path"}.  EOFError and
    KeyboardInterrupt propagate; the answers given so far are already saved.
    """
    answers = AnswerFile(path, quiz, student)
    questions = quiz.questions(student)
    io.say(f"{quiz.id} -- {_(quiz.title)}", "bold")
    io.say(_("Student {student}: {n} questions, {points:g} points. Your answers are saved in {path} after each "
             "question.").format(student=student, n=len(questions), points=quiz.max_score, path=path))
    done = [q for q in questions if q.key in answers.answers]
    if done:
        io.say(_("{done} of {n} questions are already answered in that file; asking the others (delete the file to "
                 "start over).").format(done=len(done), n=len(questions)), "yellow")
    for number, q in enumerate(questions, 1):
        if q.key in answers.answers:
            continue
        io.question(number, len(questions), q)
        while True:
            raw = io.ask(_("Your answer"))
            if not str(raw).strip():
                io.say(_("Type an answer (Ctrl-C stops; the answers so far are saved)."), "yellow")
                continue
            try:
                value = q.parse(raw)
            except AnswerError as e:
                io.say(e.message, "red")
                continue
            break
        right = q.right(value)
        answers.record(q, str(raw).strip(), value, right)
        if right:
            io.say(_("Right!"), "bold green")
        else:
            io.say(_("Wrong: the answer is {answer}.").format(answer=q.show()), "bold red")
        io.say(q.explanation, "cyan")
    return summarise(quiz, student, answers, io)


def summarise(quiz: Quiz, student: str, answers: AnswerFile, io) -> dict:
    results = [_for_the_student(answers.data, q, answers.answers.get(q.key)).to_dict()
               for q in quiz.questions(student)]
    score = round(sum(r["points"] for r in results), 4)
    right = sum(r["status"] == "PASS" for r in results)
    io.say("")
    io.say(_("Score: {score:g} of {max:g} points ({right} of {n} questions right).")
           .format(score=score, max=quiz.max_score, right=right, n=len(results)), "bold")
    io.say(_("Your answers are saved in {path}; hand in that file.").format(path=answers.path))
    return {"score": score, "max_score": quiz.max_score, "right": right, "total": len(results),
            "path": str(answers.path)}


def quiz(quiz_id: str, student: str | None = None, out: str | os.PathLike | None = None,
         lang: str | None = None) -> dict:
    """Take a quiz in a notebook (or any Python prompt) with print() and input().

        from grader.quiz import quiz
        quiz("q01")                      # asks for your student id
        quiz("q01", student="s1234567")

    Returns the score; the answers are saved in quiz_<id>_<student>.json in the
    current folder (or ``out``) after every question, so running it again
    continues where you stopped.
    """
    if lang is not None:
        set_language(lang)
    q = get_quiz(quiz_id)
    if student is None:
        student = input(_("Your student id") + ": ")
    student = check_student_id(student)
    path = default_answer_path(q.id, student, out)
    try:
        return take(q, student, path, PlainIO())
    except (EOFError, KeyboardInterrupt):
        print(_("Stopped. Your answers so far are saved in {path}; run the same command again to continue.")
              .format(path=path))
        return {"stopped": True, "path": str(path)}


# ------------------------------------------------------------------ command line
def _help() -> str:
    return _("""usage:
  grade quiz list                                  the quizzes and what they cover
  grade quiz QUIZ [--student ID] [--out FILE]      take a quiz in the terminal
  grade quiz grade QUIZ ANSWERS... --out DIR       grade answer files (instructors)

Each question's numbers come from your student id, so your quiz is yours.
You see right or wrong after each answer; your answers are saved after each
question in quiz_<quiz>_<student>.json (continue later with the same command).

Answers may be written "32x32x10", "(32, 32, 10)" or "32 32 10" for shapes,
"760" or "760 params" for counts, and a letter for multiple choice.

options (every form):
  --lang {en,ko}    language of the questions and messages (default: from LANG)

examples:
  grade quiz q01 --student s1234567
  grade quiz q03 --student s1234567 --lang ko
  grade quiz grade q01 submissions/ --out results/

exit status: 0 every answer right (or a listing), 1 some wrong or unanswered, 2 usage error,
130 stopped (the answers so far are saved)""")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _take_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="grade quiz", description=_("Take a self-checking quiz in the terminal."),
                epilog=_help(), formatter_class=options.HelpFormatter, add_help=True)
    p.add_argument("quiz", help=_("a quiz id (q01 ... q05)"))
    p.add_argument("--student", metavar="ID", help=_("your student id (it fixes your questions; asked if left out)"))
    p.add_argument("--out", metavar="FILE",
                   help=_("where to save the answers: a file, or a folder for quiz_<quiz>_<student>.json (default: here)"))
    return p


def _grade_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="grade quiz grade", description=_("Grade quiz answer files; writes results.jsonl and grades.csv "
                                                       "like `grade batch`."),
                formatter_class=options.HelpFormatter)
    p.add_argument("quiz", help=_("a quiz id (q01 ... q05)"))
    p.add_argument("answers", nargs="+", metavar="ANSWERS", help=_("answer files, or folders of them"))
    p.add_argument("--out", metavar="DIR", required=True, help=_("folder for results.jsonl and grades.csv"))
    return p


def _list_quizzes() -> int:
    from rich.console import Console
    from rich.table import Table
    table = Table(title=_("Quizzes"))
    for col in (_("id"), _("title"), _("questions"), _("points"), _("what it covers")):
        table.add_column(col)
    for q in all_quizzes():
        table.add_row(q.id, _(q.title), str(len(q.templates)), f"{q.max_score:g}", _(q.summary) if q.summary else "")
    Console().print(table)
    return 0


def _grade_files(args) -> int:
    from rich.console import Console
    from rich.table import Table
    quiz_ = get_quiz(args.quiz)
    files = _answer_files(args.answers, quiz_.id)
    results = [grade_answer_file(quiz_.id, f) for f in files]
    console = Console()
    seen: dict[str, str] = {}
    for r in results:
        if r["student"] in seen:
            console.print(_("warning: {student} has two answer files: {first} and {second}")
                          .format(student=r["student"], first=seen[r["student"]], second=r["source"]), style="yellow")
        seen.setdefault(r["student"], r["source"])
    out = Path(args.out)
    write_results(results, out, quiz_.id)
    table = Table(title=_("{quiz} -- {n} answer files").format(quiz=quiz_.id, n=len(results)))
    for col in (_("student"), _("score"), _("notes")):
        table.add_column(col)
    for r in results:
        table.add_row(r["student"], f"{r['score']:g}/{r['max_score']:g}", "; ".join(r["notes"]))
    console.print(table)
    console.print(_("wrote {jsonl} and {csv}").format(jsonl=out / "results.jsonl", csv=out / "grades.csv"),
                  soft_wrap=True)  # paths stay whole, to copy
    return 0


def cli_main(argv: list[str]) -> int:
    """``grade quiz ...``; returns the exit status."""
    from grader.front.options import take_language
    startup.start(startup.TOOL)  # a quiz is numbers and text: no Keras
    argv = take_language(argv)  # --lang anywhere, first: help and errors are translated
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(options.fit_text(_help()))
        return 0 if argv else 2
    if argv[0] == "list":
        if len(argv) > 1:
            raise UsageError(_("`grade quiz list` takes no arguments"))
        return _list_quizzes()
    if argv[0] == "grade":
        return _grade_files(_grade_parser().parse_args(argv[1:]))
    args = _take_parser().parse_args(argv)
    quiz_ = get_quiz(args.quiz)
    io = RichIO()
    student, path = args.student, None
    try:
        if student is None:
            student = io.ask(_("Your student id"))
        student = check_student_id(student)
        path = default_answer_path(quiz_.id, student, args.out)
        summary = take(quiz_, student, path, io)
    except (EOFError, KeyboardInterrupt):
        io.say("")
        if path is not None and path.exists():
            io.say(_("Stopped. Your answers so far are saved in {path}; run the same command again to continue.")
                   .format(path=path), "yellow")
        else:
            io.say(_("Stopped before any answer."), "yellow")
        return 130
    return 0 if summary["right"] == summary["total"] else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli_main(sys.argv[1:]))
