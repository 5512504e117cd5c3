"""Preloaded by a fork server whose children need Keras, after ``linux_server``: Keras, imported with the
garbage collector paused and frozen (``grader.core.heap``), so that every child forked from it starts with
Keras already imported.  A numpy-only exercise's server goes without it (``LinuxBackend.warm_up``)."""
from grader.core.heap import import_frozen

import_frozen("keras")
