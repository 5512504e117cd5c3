"""The registry: one module per exercise, named like the exercise's module
(``grader/checks/ex03_conv_stack.py`` judges ``exercises/ex03_conv_stack.py``)
and defining ``EXERCISE``.  The quizzes' registry is the same kind
(``grader/core/registry.py``); ``grader/front/registry.py`` resolves either."""
from __future__ import annotations

from grader.core.i18n import _
from grader.core.registry import Registry


def _unknown(ex_id, hint: str) -> str:
    return _("unknown exercise {id}{hint} (`grade list` shows them all)").format(id=repr(ex_id), hint=hint)


EXERCISES = Registry(__name__, __path__, "ex", "EXERCISE", _unknown)
module_names = EXERCISES.module_names  # exercise id -> check module name, without importing any of them
normalise = EXERCISES.normalise  # 'ex3', '3', 'EX03' and 'ex03_conv_stack' all mean ex03
get = EXERCISES.get  # the Exercise; UsageError with "did you mean" for an unknown id
all_exercises = EXERCISES.all
