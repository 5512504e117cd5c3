"""Exceptions that carry a verdict from a check (or from the sandbox) to the engine."""
from __future__ import annotations

from grader.core.outcome import Status


class Verdict(Exception):
    """Ends a check with a status other than PASS."""

    status = Status.FAIL

    def __init__(self, message: str, hint: str | None = None, mistake: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.mistake = mistake  # the English msgid of the named mistake (language-independent id), if any


class Fail(Verdict):
    """The student's answer is wrong; ``message`` names the mistake."""

    status = Status.FAIL


class NotAttempted(Verdict):
    """The student's function still raises NotImplementedError (a stub)."""

    status = Status.NOT_ATTEMPTED


class StudentError(Verdict):
    """The student's code raised, was missing, returned something unusable, or exited."""

    status = Status.ERROR


class Timeout(Verdict):
    status = Status.TIMEOUT


class OutOfMemory(Verdict):
    status = Status.OUT_OF_MEMORY


class UndeclaredCall(RuntimeError):
    """A check called a student function it does not declare in ``uses=``: a bug in the grader,
    reported by the engine as an internal grader error (never a verdict on the submission)."""


class UsageError(Exception):
    """A command-line mistake: exit status 2 with a readable message."""
