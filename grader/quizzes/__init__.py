"""Quiz question banks: one module per quiz (``q01_conv_arithmetic.py``), each
defining ``QUIZ``.  Answers are computed with ``formulas``, never typed in.
Questions are written with ``grader/judge/quizkit.py``; the registry is the
exercises' kind (``grader/core/registry.py``)."""
from __future__ import annotations

from grader.core.i18n import _
from grader.core.registry import Registry


def _unknown(quiz_id, hint: str) -> str:
    return _("unknown quiz {quiz!r}{hint} (`grade quiz list` shows them all)").format(quiz=quiz_id, hint=hint)


QUIZZES = Registry(__name__, __path__, "q", "QUIZ", _unknown)
