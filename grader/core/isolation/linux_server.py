"""Imported once by the Linux fork server before it forks any child.

It makes the server (and every child forked from it) non-dumpable, so that a
child running as the same user can neither ptrace the server nor read or
write its memory through /proc: a submission cannot take over the server to
outlive its own grading or reach the next student's work.  Then it imports
what every child needs (``WITHOUT_KERAS``) with the garbage collector paused
and the result frozen (``grader.core.heap``); a server for children that need
Keras preloads ``linux_keras`` next.
"""
import ctypes

from grader.core.heap import import_frozen
from grader.core.isolation import WITHOUT_KERAS

PR_SET_DUMPABLE = 4
try:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
except (OSError, AttributeError):  # not Linux: nothing to do
    pass

import_frozen(*WITHOUT_KERAS)
