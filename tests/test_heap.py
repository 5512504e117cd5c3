"""Keras is imported with the garbage collector paused and the heap frozen (grader/core/heap.py), in the
judge and in what children are made from: the fork server, or the spawned child of the portable sandbox."""
from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from grader.core import isolation
from grader.core.heap import import_frozen
from grader.core.session import Sandbox

from conftest import ROOT

FREEZE_COUNT = "import gc\n\ndef frozen():\n    return gc.get_freeze_count()\n\ndef enabled():\n    return gc.isenabled()\n"


def _ask(box: Sandbox, fn: str):
    return box.request("call", {"fn": fn}, {"args": [], "kwargs": {}}, 120.0, f"{fn}()")


@pytest.mark.parametrize("backend", ["linux", "portable"])
def test_a_child_starts_from_a_frozen_heap_with_the_collector_on(backend, monkeypatch, tmp_path):
    """What the child inherits (Keras, TensorFlow) is frozen: the child's collections never scan it (nor, on
    Linux, copy its pages); the child's own garbage is still collected."""
    if backend == "linux" and not sys.platform.startswith("linux"):
        pytest.skip("the fork server is Linux's")
    from grader.core import isolation
    monkeypatch.setenv(isolation.ENV, backend)
    sub = tmp_path / "probe.py"
    sub.write_text(FREEZE_COUNT)
    with Sandbox(str(sub), "probe") as box:
        assert _ask(box, "frozen") > 100_000  # TensorFlow and Keras: several hundred thousand objects
        assert _ask(box, "enabled") is True


def test_import_frozen_restores_the_collector_and_raises_import_errors():
    gc.enable()
    before = gc.get_freeze_count()
    (mod,) = import_frozen("json")
    assert mod.__name__ == "json" and gc.isenabled() and gc.get_freeze_count() >= before
    with pytest.raises(ModuleNotFoundError):
        import_frozen("no_such_module_here")
    assert gc.isenabled()
    gc.disable()
    try:
        import_frozen("json")
        assert not gc.isenabled()  # a caller's paused collector stays paused
    finally:
        gc.enable()


def test_the_judge_imports_keras_frozen():
    """``grade`` imports Keras through compat.import_problem: afterwards the collector is on and the import's
    objects are frozen (a fresh interpreter, so that no earlier import of Keras hides it)."""
    code = ("import gc\nfrom grader.core import compat\nassert compat.import_problem() is None\n"
            "print(gc.isenabled(), gc.get_freeze_count())\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    enabled, frozen = out.stdout.split()
    assert enabled == "True" and int(frozen) > 100_000, out.stderr[-2000:]


@pytest.mark.parametrize("backend", ["linux", "portable"])
def test_the_notebook_import_readies_keras_and_the_child_server(backend):
    """``from grader.notebook import check`` (a released notebook's setup cell) imports Keras frozen and starts
    the child server, so that the first check() does not wait for either (bench/watch.py: the first check()
    of ex01 took 7.1 s in a fresh kernel before, 0.4 s after a 3 s setup cell)."""
    if backend == "linux" and not sys.platform.startswith("linux"):
        pytest.skip("the fork-server backend is Linux's")
    code = ("import gc, sys\nfrom grader.notebook import check\n"
            "from grader.core import isolation\n"
            "print('keras' in sys.modules, gc.isenabled(), gc.get_freeze_count())\n"
            "if isolation.current_name() == 'linux':\n"
            "    from grader.core.isolation.linux import forkserver_pid\n"
            "    print(forkserver_pid() is not None)\n"
            "else:\n"
            "    print(isolation.backend()._spare is not None)\n")
    env = {**os.environ, isolation.ENV: backend}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    keras, enabled, frozen, server = out.stdout.split()
    assert keras == "True" and enabled == "True" and int(frozen) > 100_000, out.stdout
    assert server == "True", out.stdout
