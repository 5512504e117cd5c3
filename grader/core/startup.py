"""The start of every process of the grader, in one place: the environment TensorFlow reads when it
starts, the check of the installed TensorFlow and Keras, the devices and threads the judge computes
with, and the order of the imports.  ``start(role)`` is the one way in; no other module sets
``TF_CPP_MIN_LOG_LEVEL`` or the judge's threads.

=========  ==========================================  ===============================================
role       which process                                what ``start`` does, in this order
=========  ==========================================  ===============================================
TOOL       a command that needs no Keras: ``grade       the environment only; nothing imports Keras
           list``, ``--help``, ``quiz``, ``report``,
           ``export``, ``similar``, ``gradescope``
           (the bundle); also ``release``, whose check
           modules import Keras quietly with it
GRADE      ``grade EX``; also Gradescope's               the environment; ``compat.require`` (metadata,
           ``run_autograder``, which runs ``grade EX     before anything slow: one line and exit status
           --format gradescope`` (stdout must hold       2); no GPU; the sandbox backend; the child
           only the JSON)                                server starts (its imports overlap ours); Keras
                                                         imported with the collector paused (stderr
                                                         quiet; a broken build is one line too); one
                                                         thread per op for the judge
BATCH      ``grade batch`` itself (the workers grade)   the environment; ``compat.require``; the sandbox
                                                         backend, which the workers inherit
WORKER     a worker of ``grade batch`` (local pool or   the environment; ends with its parent; the
           a Dask worker)                                language; no GPU; the folders children must not
                                                         see; a spare child; the child server; Keras
                                                         imported frozen (quiet); one thread per op
SERVER     the warm grader's background server          as GRADE, and the backend keeps a child server
           (``grader/front/warm.py``), which grades     of each kind (with and without Keras), so each
           for ``grade EX`` after the first              child is made as a one-shot ``grade`` makes it
NOTEBOOK   ``check()`` in a student's kernel            the environment; the child server, started
                                                         without a GPU (the kernel's environment is
                                                         restored); Keras imported frozen (quiet).  Never
                                                         raises (``check()`` says what is wrong), never
                                                         hides the kernel's GPU or changes its threads:
                                                         its TensorFlow is the student's
=========  ==========================================  ===============================================

The isolation backends call ``environment()`` before they start a process for student code, so a
child started by a library user who never called ``start`` is as quiet.

Why the order: TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL`` and ``CUDA_VISIBLE_DEVICES`` once, when it
loads; the judge's thread counts can be set only before its runtime starts (the first op); the child
server is started before the judge imports Keras so that the two imports overlap.
"""
from __future__ import annotations

import os

TOOL, GRADE, BATCH, WORKER, NOTEBOOK, SERVER = "tool", "grade", "batch", "worker", "notebook", "server"
ROLES = (TOOL, GRADE, BATCH, WORKER, NOTEBOOK, SERVER)

# What TensorFlow reads when it loads, for every process of the grader and every child it starts: its C++
# start-up log ("All log messages before absl::InitializeLog() ...", "cpu_feature_guard ...") is nobody's
# output.  A value the user set (to debug TensorFlow) is kept.
ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3"}


def environment() -> None:
    """The environment of ``ENVIRONMENT`` (values already set are kept)."""
    for key, value in ENVIRONMENT.items():
        os.environ.setdefault(key, value)


def start(role: str, *, sandbox: str | None = None, keras: bool = True, hide: tuple[str, ...] | list[str] = (),
          lang: str | None = None) -> None:
    """Start this process as ``role`` (the table above).  ``sandbox``: the isolation backend (GRADE,
    BATCH); ``keras``: whether the children to come need Keras preloaded (GRADE, WORKER); ``hide``:
    folders children must not see and ``lang``: the language of messages (WORKER)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (choose from {', '.join(ROLES)})")
    environment()
    if role == TOOL:
        return
    if role == NOTEBOOK:
        _notebook()
        return
    from grader.core import compat, devices, session
    if role in (GRADE, BATCH, SERVER):
        compat.require()  # TensorFlow/Keras missing or unsupported: one line with the pip command, exit status 2
        session.use(sandbox)  # (GRADER_SANDBOX: what a batch's workers inherit)
        if role == BATCH:
            return
        if role == SERVER:
            session.isolation().keep_both_kinds()  # every child as a one-shot `grade` of its exercise makes it
    if role == WORKER:
        from grader.core import i18n, isolation
        isolation.exit_with_parent()  # a worker never outlives the batch that started it
        i18n.set_language(lang)
    devices.hide_gpus()  # this process is only the grader: it computes on the CPU (grader/core/devices.py)
    if role == WORKER:
        session.hide(*hide)
        session.isolation().keep_warm(keras)  # a spare child ready for the next submission (portable backend)
    session.warm_up(keras)  # the child server's imports overlap the judge's
    with session.quiet_stderr():  # TensorFlow's log noise never reaches the terminal
        compat.require_import()  # Keras imported with the collector paused; a broken build: one line, status 2
    devices.judge_threads()  # before the first op: one thread per op (grader/core/devices.py)


def _notebook() -> None:
    from grader.core import compat, session
    from grader.core.devices import cpu_only_environment
    try:
        with session.quiet_stderr():
            with cpu_only_environment():  # the child server sees no GPU; the kernel's environment is restored
                session.warm_up()
            compat.import_problem()  # imports Keras frozen; a problem is check()'s to report
    except Exception:  # noqa: BLE001 -- check() says what is wrong, in its own words
        pass
