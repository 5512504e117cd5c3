"""Verdicts do not depend on the device: the grader computes on the CPU.

Colab's TensorFlow sees a GPU when the runtime has one, and a GPU does not
give the CPU's numbers: cuDNN picks other convolution algorithms, and on
Ampere and newer GPUs TensorFlow runs float32 matrix products in TF32 (about
three significant digits).  A check that compares a student's numbers with
Keras' own at a tolerance of 1e-5 could then pass on one machine and fail on
another.  So wherever the grader needs exact numbers it computes on the CPU:

* the judge runs every check inside ``judge_on_cpu()`` (``tf.device("/CPU:0")``),
  which works even when TensorFlow was initialised with a GPU before -- in a
  notebook, ``check()`` judges inside the student's kernel, whose GPU stays
  the student's for their own training;
* the processes that run student code are started inside
  ``cpu_only_environment()`` (``CUDA_VISIBLE_DEVICES=-1``: TensorFlow in them
  never initialises a GPU), only while they start, so the environment of a
  student's kernel is left as it was;
* a process that is only the grader (``grade``, ``grade batch`` workers)
  calls ``hide_gpus()`` before TensorFlow starts, and ``judge_threads()`` once
  it is imported: one thread per op, one op at a time.

Nothing here imports TensorFlow unless it is already imported (``judge_on_cpu``)
or asked for (``hide_gpus``); no platform-specific module is used.
"""
from __future__ import annotations

import contextlib
import os
import sys

CPU_ONLY_ENV = {"CUDA_VISIBLE_DEVICES": "-1"}


@contextlib.contextmanager
def cpu_only_environment():
    """``os.environ`` with every GPU hidden, for starting child processes; restored afterwards."""
    saved = {k: os.environ.get(k) for k in CPU_ONLY_ENV}
    os.environ.update(CPU_ONLY_ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def hide_gpus() -> None:
    """For a process that is only the grader: no GPU for TensorFlow, before or after it starts
    (``tf.config.set_visible_devices`` when TensorFlow is imported but has not initialised its
    devices; nothing to do once it has, where ``judge_on_cpu`` still places the judge's work)."""
    os.environ.update(CPU_ONLY_ENV)
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        try:
            tf.config.set_visible_devices([], "GPU")
        except (RuntimeError, ValueError, AttributeError):
            pass


def judge_threads() -> bool:
    """For a process that is only the grader, after TensorFlow is imported and before its runtime starts:
    one thread per op and one op at a time.  The judge's models are small (a layer, a block, a cell): a
    second thread only hands work back and forth, and an idle pool thread spins.  Measured on 2 cores, a
    second grade of the reference in one process, judge CPU-seconds: ex10 2.86 -> 1.73, ex13 1.02 -> 0.65,
    ex05 1.61 -> 1.42 (and the first grade of ex13 7.1 -> 4.0), with the wall time down as well.  In a batch
    each worker keeps one core busy anyway.  The children are not touched: their numbers (training) are
    the same whichever front end started them.  Not for a notebook: there the judge shares the student's
    kernel, whose TensorFlow is theirs.  The judge's own sums do depend on it where it trains (ex13): with one
    thread they are the same on every machine, where the default (a thread per core) differs from 2 cores to 8
    (the calibrations of both: tests/test_ex13_regularization.py).  True when this process now computes so (False: no TensorFlow,
    or its runtime started with other settings and keeps its threads)."""
    tf = sys.modules.get("tensorflow")
    threading = getattr(getattr(tf, "config", None), "threading", None)
    if threading is None:
        return False
    try:
        threading.set_intra_op_parallelism_threads(1)
        threading.set_inter_op_parallelism_threads(1)
    except (RuntimeError, ValueError):  # the runtime has started: leave it as it is
        return False
    return True


@contextlib.contextmanager
def judge_on_cpu():
    """Run the judge's TensorFlow/Keras work on the CPU (a no-op without TensorFlow)."""
    tf = sys.modules.get("tensorflow")
    device = getattr(tf, "device", None) if tf is not None else None
    if device is None:
        yield
        return
    with device("/CPU:0"):
        yield
