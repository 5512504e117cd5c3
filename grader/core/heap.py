"""Importing Keras without the cyclic garbage collector.

``import keras`` creates about 400,000 objects that live as long as the process.  While they are created,
the collector runs every few hundred allocations and rescans the growing heap: on a 2-core machine that is
about one second of a four-second import.  Every process of the grader that imports Keras (the judge, the
fork server, a spawned child, a batch worker) does so through :func:`import_frozen`, which pauses the
collector for the imports and then freezes what they left alive (``gc.freeze``): later collections, and a
child forked from the fork server, never scan or touch it again (the pattern the ``gc`` documentation gives
for a process that forks).  Garbage made afterwards is collected as usual.
"""
from __future__ import annotations

import gc
import importlib
from types import ModuleType


def import_frozen(*names: str) -> list[ModuleType]:
    """Import ``names`` in order with the collector paused, then freeze the heap; the modules.  The import
    errors are the caller's, as with ``import``; the collector is restored either way."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [importlib.import_module(name) for name in names]
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
