"""An id of either kind -- an exercise (ex03, 'ex3', '3') or a quiz (q01, 'q1') -> what it names, with the
"did you mean" message of its kind for an id that names nothing -- for a front end that takes both.  Each kind
keeps its own folder (``grader/checks``, ``grader/quizzes``) and the same ``Registry``
(``grader/core/registry.py``); a command that takes one kind asks that kind's registry directly
(``options.exercise``, ``grader/front/quiz.py``)."""
from __future__ import annotations

from typing import Any

from grader.core.registry import Registry


def kinds() -> dict[str, Registry]:
    """kind -> its registry, the exercises first (a bare number means an exercise)."""
    from grader.checks import EXERCISES
    from grader.quizzes import QUIZZES
    return {"exercise": EXERCISES, "quiz": QUIZZES}


def registry_of(key: Any) -> Registry:
    """The registry an id belongs to: a quiz's starts with q, anything else is an exercise's."""
    found = kinds()
    return found["quiz"] if str(key).strip().lower().startswith("q") else found["exercise"]


def resolve(key: Any) -> tuple[str, str]:
    """(id, module name) of an exercise or a quiz; UsageError with "did you mean" if unknown."""
    return registry_of(key).resolve(key)


def get(key: Any):
    """The ``Exercise`` or ``Quiz`` an id names."""
    return registry_of(key).get(key)
