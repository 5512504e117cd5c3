"""One engine for both audiences: ``grade exNN`` and ``grade batch`` call ``grade_file``."""
from __future__ import annotations

import contextlib
import os
import platform
import sys
import time
import traceback
from typing import Callable, Iterable

from grader.core.devices import judge_on_cpu
from grader.core import guard
from grader.core.errors import Verdict
from grader.core.i18n import _
from grader.core.outcome import CheckResult, Report, Status
from grader.core.session import Sandbox
from grader.core.spec import PUBLIC_SEED, Exercise, Trial

__version__ = "0.1.0"


def versions() -> dict[str, str]:
    out = {"grader": __version__, "python": platform.python_version()}
    for name in ("numpy", "keras", "tensorflow"):
        mod = sys.modules.get(name)
        if mod is not None:
            out[name] = getattr(mod, "__version__", "?")
    return out


def _seed_judge(seed: int) -> None:
    import keras
    keras.utils.set_random_seed(seed % 2**32)


_heap_frozen = False
_graded = False  # a grade has already run in this process


def _fresh_keras_state() -> None:
    """Fresh layer names and graph state for each submission.  The first grade of a process skips the
    garbage collection that ``clear_session`` runs by default: there is nothing of the grader's to collect
    yet, and collecting TensorFlow's object graph costs about half a second of a cold ``grade``."""
    import keras
    if _graded:
        keras.backend.clear_session()
        return
    try:
        keras.backend.clear_session(free_memory=False)
    except TypeError:  # a Keras without the argument
        keras.backend.clear_session()


def _freeze_heap() -> None:
    """After the first grade of a process, move what is alive (TensorFlow, Keras, the checks) out of the
    garbage collector's sight: ``keras.backend.clear_session()`` runs ``gc.collect()`` before every
    submission, and scanning TensorFlow's object graph costs about 0.5 s each time -- half of a warm
    re-grade (``grade --watch``, a second ``check()``, each task of ``grade batch``).  Garbage made
    afterwards is still collected."""
    global _heap_frozen
    if _heap_frozen:
        return
    import gc

    import keras
    keras.backend.clear_session()  # drop this grade's models first (and collect): only the long-lived is frozen
    gc.freeze()
    _heap_frozen = True


def check_hint(check) -> str:
    """The check's hint in the current language: declared with ``N_("...")`` and
    translated here, or a callable (for hints built from several messages or
    filled with numbers) called here."""
    if callable(check.hint):
        return check.hint()
    return _(check.hint) if check.hint else ""


def _combined_hint(v: Verdict, check) -> str:
    """The hint of a verdict.  A FAIL's own hint replaces the check's; an ERROR
    (the student's code raised) keeps the check's hint beside the traceback
    hint, because the check's hint often names why code that works on a small
    input breaks on the check's (``k.T`` on a batch of matrices, ...)."""
    own = check_hint(check)
    if not v.hint:
        return own
    if v.status is Status.ERROR and own and own not in v.hint:
        return f"{v.hint} {own}"
    return v.hint


def _unexpected(e: Exception, check) -> CheckResult:
    """An exception that is not a verdict: the judge's own memory ceiling (OUT_OF_MEMORY
    for this submission), or a bug in the grader (an ERROR that says so)."""
    if guard.is_out_of_memory(e):
        return CheckResult(check.name, Status.OUT_OF_MEMORY, 0.0, check.points,
                           _("judging what your code returned needed more memory than the grader allows itself "
                             "({mb} MB more); nothing was scored for this check").format(
                               mb=guard.JUDGE_HEADROOM_MB),
                           _("Return what the exercise asks for at the size it states: a model or array far "
                             "bigger than that cannot be judged."), check.hidden)
    tb = traceback.extract_tb(e.__traceback__)[-1]
    return CheckResult(check.name, Status.ERROR, 0.0, check.points,
                       _("internal grader error ({error} at {where}); please tell your "
                         "instructor").format(error=f"{type(e).__name__}: {e}",
                                              where=f"{os.path.basename(tb.filename)}:{tb.lineno}"),
                       check_hint(check), check.hidden)


def _start_early(box: Sandbox, run: list, second: Callable[[object], Trial]) -> dict[str, Trial]:
    """Send the ``early`` requests of the checks in ``run``, each to a child of its own (``second(check)``),
    once the submission has imported in ``box``'s child; {check name: its trial}.  Such a check runs after
    the others, so only one whose functions no other check calls starts early (which check first meets a
    function's timeout stays as declared).  Nothing starts where a second child would cost a Keras import
    (the portable sandbox), or when the import fails (every check then says so)."""
    checks = [c for c in run if c.early is not None and
              not set(c.uses) & {u for other in run if other is not c for u in other.uses}]
    if not checks or not box.backend.forks_cheaply:
        return {}
    try:
        with guard.lifted():  # a fresh forkserver must not inherit the judge's own ceiling
            box.start()
    except Verdict:
        return {}
    started = {}
    for check in checks:
        t = second(check)
        t.start_early()
        started[check.name] = t
    return started


def grade_file(ex: Exercise, source: str, *, seed: int = PUBLIC_SEED, hidden: bool = False,
               timeout: float | None = None, memory_mb: int | None = None, block_solutions: bool = True,
               on_check: Callable[[CheckResult], None] | None = None,
               only: Iterable[str] | None = None, source_text: str | None = None,
               stay_warm: bool = True, overlap: bool = True) -> Report:
    """Grade one file for one exercise.

    Public checks use the fixed public seed; hidden checks (run when ``hidden``)
    draw their cases from ``seed``.  ``only`` restricts the run to the named
    checks.  Never raises for anything the submission does: every outcome is
    in the report.  ``stay_warm=False`` (a one-shot ``grade``, whose process exits next) skips
    readying the process for the next grade.  ``overlap``: a check's ``early`` request (training)
    runs in a second child while the other checks run, where the sandbox forks children cheaply
    (``grade batch`` turns it off: its workers already keep every core busy).
    """
    global _graded
    _fresh_keras_state()
    run = [c for c in ex.ordered() if (hidden or not c.hidden) and (only is None or c.name in only)]
    report = Report(ex.id, _(ex.title), [], hidden_not_run=len(ex.checks) - len(run), versions=versions())
    if source_text is None and not os.path.isfile(source):
        raise FileNotFoundError(source)
    timed_out: dict[str, str] = {}
    memo: dict = {}  # the submission's (Trial.once): dropped when its sandbox closes

    def sandbox() -> Sandbox:
        return Sandbox(source, ex.module, memory_mb=memory_mb or ex.memory_mb,
                       import_timeout=max(timeout or ex.timeout, 10.0),
                       recipe_modules=(ex.recipes,) if ex.recipes else (),
                       block_solutions=block_solutions, source_text=source_text, keras=ex.child_keras,
                       weights=ex.child_weights)

    def trial(box: Sandbox, check) -> Trial:
        return Trial(box, check, seed if check.hidden else PUBLIC_SEED, timeout or check.timeout or ex.timeout,
                     timed_out, memo)
    with guard.budget(guard.Budget(ex.max_params, ex.max_tensor)), sandbox() as box, \
            contextlib.ExitStack() as second_children:
        second_children.callback(memo.clear)  # the submission's memo goes with its sandboxes
        started = _start_early(box, run if overlap else [],
                               lambda check: trial(second_children.enter_context(sandbox()), check))
        # The checks run in the exercise's order (``Exercise.ordered``); those whose request went early run
        # last, so that the others run while it works; the report keeps the exercise's order.
        for check in [c for c in run if c.name not in started] + [c for c in run if c.name in started]:
            t0 = time.monotonic()
            trial_ = started.pop(check.name, None) or trial(box, check)
            _seed_judge(trial_.seed)
            try:
                with judge_on_cpu(), guard.ceiling():  # CPU numbers; the judge's own memory ceiling
                    check.fn(trial_)
                result = CheckResult(check.name, Status.PASS, check.points, check.points, "ok", "", check.hidden)
            except Verdict as v:
                result = CheckResult(check.name, v.status, 0.0, check.points, v.message,
                                     _combined_hint(v, check), check.hidden,
                                     mistake=getattr(v, "mistake", None) or None)
            except Exception as e:  # noqa: BLE001 -- a bug in a check must not lose the others
                result = _unexpected(e, check)
            result.seconds = time.monotonic() - t0
            if trial_.sandbox is not box:  # its own child ends with the check; what it printed counts
                trial_.sandbox.close()
                box.printed += trial_.sandbox.printed
                box.kept += trial_.sandbox.kept
            report.checks.append(result)
            if on_check:
                on_check(result)
        position = {c.name: i for i, c in enumerate(run)}
        report.checks.sort(key=lambda r: position[r.name])
        if box.import_failure is not None:
            report.notes.append(box.import_failure.message)
    printed = box.output_note()
    if printed:
        report.notes.append(printed)
    report.notes.extend(box.backend.notes)  # what this platform's sandbox does not enforce
    _graded = True
    if stay_warm:
        _freeze_heap()
    return report
