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
  calls ``hide_gpus()`` before TensorFlow starts.

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
