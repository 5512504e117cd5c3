"""Typed outcomes of a check and the report of one graded exercise, and the forms a report is written in:
``Report.to_dict`` (``grade --json``, a line of ``results.jsonl``) and ``gradescope_results`` (Gradescope's
``results.json``: ``grade --format gradescope``, ``grade batch --format gradescope``)."""
from __future__ import annotations

import dataclasses
import enum
from typing import Any

from grader.core.i18n import _


class Status(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    TIMEOUT = "TIMEOUT"
    OUT_OF_MEMORY = "OUT_OF_MEMORY"
    NOT_ATTEMPTED = "NOT_ATTEMPTED"

    def __str__(self) -> str:  # "PASS", not "Status.PASS"
        return self.value


@dataclasses.dataclass
class CheckResult:
    name: str
    status: Status
    points: float
    max_points: float
    message: str
    hint: str
    hidden: bool = False
    seconds: float = 0.0
    # the named mistake as a language-independent id: the English msgid of its label
    # ("forgot the + 1"), beside the translated ``message``; None when no known mistake matched
    mistake: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "name": self.name,
            "status": self.status.value,
            "points": self.points,
            "max_points": self.max_points,
            "message": self.message,
            "hint": self.hint,
            "hidden": self.hidden,
        }
        if self.mistake:
            d["mistake"] = self.mistake
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CheckResult":
        return cls(d["name"], Status(d["status"]), d["points"], d["max_points"],
                   d["message"], d["hint"], d.get("hidden", False), mistake=d.get("mistake") or None)


@dataclasses.dataclass
class Report:
    exercise: str
    title: str
    checks: list[CheckResult]
    hidden_not_run: int = 0
    versions: dict[str, str] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 4)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 4)

    @property
    def passed(self) -> bool:
        return all(c.status is Status.PASS for c in self.checks)

    @classmethod
    def uniform(cls, ex, status: Status, message: str, hint: str, *, hidden: bool = True,
                notes: list[str] | None = None) -> "Report":
        """Every check of ``ex`` (an ``Exercise``, or a ``Quiz`` whose questions are its checks) gets
        ``status`` and no points, with one message and hint: nothing to grade, a notebook that cannot
        be read, a submission the grader could not grade.  ``hidden=False`` leaves the hidden checks
        out (counted in ``hidden_not_run``), as a run without ``--hidden`` does."""
        from grader.core.i18n import _
        run = [c for c in ex.checks if hidden or not c.hidden]
        return cls(ex.id, _(ex.title), [CheckResult(c.name, status, 0.0, c.points, message, hint, c.hidden)
                                        for c in run],
                   hidden_not_run=len(ex.checks) - len(run), notes=list(notes or []))

    def by_name(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "score": self.score,
            "max_score": self.max_score,
            "checks": [c.to_dict() for c in self.checks],
            "hidden_not_run": self.hidden_not_run,
            "versions": self.versions,
            "notes": self.notes,
        }

    def to_gradescope(self) -> dict[str, Any]:
        """This report in Gradescope's autograder ``results.json`` schema."""
        return gradescope_results(self.to_dict())


def gradescope_results(result: dict) -> dict:
    """One submission in Gradescope's autograder results.json schema, from ``Report.to_dict()`` (or a line of
    results.jsonl, which holds it): a test per check, visible after publishing for a hidden one (whose
    output is its hint, never its inputs)."""
    tests = []
    for c in result["checks"]:
        hidden = c["hidden"]
        output = "" if c["status"] == "PASS" else (
            _("{status}: hidden check; hint: {hint}").format(status=c["status"], hint=c["hint"]) if hidden else
            f"{c['status']}: {c['message']}\n" + _("hint: ") + c["hint"])
        test = {"name": f"{result['exercise']} {c['name']}", "score": c["points"], "max_score": c["max_points"],
                "status": "passed" if c["status"] == "PASS" else "failed", "output": output,
                "visibility": "after_published" if hidden else "visible"}
        if c.get("mistake"):  # the named mistake's language-independent id (Gradescope keeps extra_data)
            test["extra_data"] = {"mistake": c["mistake"]}
        tests.append(test)
    return {"score": result["score"], "tests": tests, "output": f"{result['exercise']}: "
            f"{result['score']:g}/{result['max_score']:g}", "visibility": "visible"}
