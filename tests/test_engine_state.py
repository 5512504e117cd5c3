"""Per-submission state is the engine's (issue #27, part 4).

``t.once(key, fn)`` is the memo of one submission: its checks share what ``fn()`` returned, and the engine
drops it when the submission's sandbox closes -- graded one after another, no submission sees another's
values and nothing of one stays behind.  The order the checks run in is the exercise's declared
``order=`` (where it matters: ex12), not the order in which the check module defines them.
"""
from __future__ import annotations

import gc
import weakref

import pytest

from grader import checks
from grader.core import engine
from grader.core.outcome import Status
from grader.core.spec import Exercise, Trial

from conftest import solution_file


class Value:
    """A memoised value a test can hold a weak reference to."""

    def __init__(self, v):
        self.v = v


def _memo_exercise(seen: list):
    ex = Exercise("ex92", "memo", "ex92_memo", timeout=10, memory_mb=512, child_keras=False)

    def ask(t):
        seen.append(("asked", t.check.name))
        return Value(t.call("f"))

    @ex.check(points=1, hint="", uses=("f",))
    def first(t):
        value = t.once("f", lambda: ask(t))
        seen.append(("first", value.v, weakref.ref(value), t._memo))

    @ex.check(points=1, hint="", uses=("f",))
    def second(t):
        value = t.once("f", lambda: ask(t))
        seen.append(("second", value.v, weakref.ref(value), t._memo))

    @ex.check(points=1, hint="", uses=())
    def not_remembered(t):
        def broken():
            raise RuntimeError("asked twice")
        for _ in range(2):
            with pytest.raises(RuntimeError):
                t.once("broken", broken)  # an exception is not remembered: asked again
        assert "broken" not in t._memo
    return ex


def test_the_memo_is_the_submissions_and_dropped_when_its_sandbox_closes(grade, tmp_path):
    """Three submissions graded in a row: each one's checks share one value, asked once; the next
    submission asks again and sees its own; after each grade the memo is empty and the value is gone."""
    seen: list = []
    ex = _memo_exercise(seen)
    memos = []
    for n in (1, 2, 3):
        src = tmp_path / f"s{n}" / "ex92_memo.py"
        src.parent.mkdir()
        src.write_text(f"def f():\n    return {n}\n")
        seen.clear()
        report = engine.grade_file(ex, str(src))
        assert [c.status for c in report.checks] == [Status.PASS] * 3, [c.message for c in report.checks]
        asked = [s for s in seen if s[0] == "asked"]
        first = next(s for s in seen if s[0] == "first")
        second = next(s for s in seen if s[0] == "second")
        assert asked == [("asked", "first")]  # once per submission, by the first check that needs it
        assert first[1] == second[1] == n  # its own value, not the previous submission's
        assert first[3] is second[3]  # one memo for the submission's checks
        memo, ref = first[3], first[2]
        del first, second, seen[:]
        gc.collect()
        assert memo == {}, memo  # dropped with the sandbox
        assert ref() is None, "a memoised value outlived its submission"
        memos.append(memo)
    assert len({id(m) for m in memos}) == 3  # a new memo per submission


def test_a_trial_without_the_engine_has_a_memo_of_its_own():
    check = checks.get("ex01").checks[0]
    a, b = Trial(None, check, 0, 1.0, {}), Trial(None, check, 0, 1.0, {})
    assert a.once("k", lambda: 1) == 1 and a.once("k", lambda: 2) == 1
    assert b.once("k", lambda: 2) == 2


def test_ex04_builds_a_students_network_once_and_keeps_nothing(grade, monkeypatch):
    """ex04's layers and count checks of alexnet share one model built by the child (``t.once``); graded
    twice, the second submission builds it again, and no model stays in the memo."""
    memos, built = [], []
    real_once = Trial.once

    def spy(self, key, fn):
        memos.append(self._memo)
        return real_once(self, key, lambda: built.append(key) or fn())
    monkeypatch.setattr(Trial, "once", spy)
    for _ in range(2):
        report = grade("ex04", solution_file("ex04_parameter_efficiency"), only=["alexnet_layers", "alexnet_params"])
        assert {c.status for c in report.checks} == {Status.PASS}, [c.message for c in report.checks]
    assert len(built) == 2 and built[0] == built[1] and built[0][1] == "alexnet", built
    assert len({id(m) for m in memos}) == 2 and all(m == {} for m in memos)


# ------------------------------------------------------------------ the order checks run in
def _ordered_exercise(order, definitions, ran):
    ex = Exercise("ex93", "order", "ex93_order", timeout=10, memory_mb=512, child_keras=False, order=order)
    for name in definitions:
        ex.check(points=1, hint="", uses=(), name=name)(lambda t: ran.append(t.check.name))
    return ex


def test_the_engine_runs_the_declared_order_whatever_the_definitions(grade, tmp_path):
    src = tmp_path / "ex93_order.py"
    src.write_text("X = 1\n")
    order = ("expensive", "a", "b", "c")
    for definitions in (["a", "b", "c", "expensive"], ["c", "expensive", "b", "a"]):
        ran: list = []
        report = engine.grade_file(_ordered_exercise(order, definitions, ran), str(src))
        assert ran == list(order)
        assert [c.name for c in report.checks] == list(order)  # the report lists them in that order too
    ran = []
    engine.grade_file(_ordered_exercise(None, ["c", "a", "b"], ran), str(src))
    assert ran == ["c", "a", "b"]  # no declared order: the order of definition


def test_an_order_that_does_not_name_every_check_once_is_refused():
    for order in (("a", "b"), ("a", "b", "c", "d"), ("a", "b", "b", "c")):
        with pytest.raises(ValueError, match="order="):
            _ordered_exercise(order, ["a", "b", "c"], []).ordered()


def test_every_declared_order_names_every_check():
    for ex in checks.all_exercises():
        assert [c.name for c in ex.ordered()] == list(ex.order or [c.name for c in ex.checks])


def test_ex12s_expensive_checks_run_first_whatever_the_order_of_definition():
    """ex12's transfer checks (the first pretrains the base in the judge while the child imports Keras) run
    before its counts check: with the definitions reversed, the engine's order is the same."""
    ex12 = checks.get("ex12")
    assert ex12.order is not None
    shuffled = Exercise(ex12.id, ex12.title, ex12.module, order=ex12.order)
    shuffled.checks = list(reversed(ex12.checks))
    assert [c.name for c in shuffled.ordered()] == [c.name for c in ex12.ordered()]
    names = [c.name for c in shuffled.ordered()]
    assert names.index("transfer_head") < names.index("counts_match_keras")
    assert names[0] == "transfer_head"
