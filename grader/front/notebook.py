"""Notebooks: ``check()`` inside a running notebook -- the display over ``Submission``.

In a notebook::

    from grader.notebook import check
    check("ex03")                        # every public check of ex03
    check("ex03", "build_conv_stack")    # only the checks that call build_conv_stack

``check`` reads what the kernel has run (``kernel_cells``: IPython's input history, or the kernel's
namespace where a shell keeps none), turns it into the module it defines with the notebook compiler
(``Submission.from_cells``; the steps are in ``grader/front/extract.py``, which also turns a saved
``.ipynb`` into its module for ``grade --file``), grades that with the engine and shows the table of
``grade`` (as HTML in Jupyter).  The student's code runs in the sandbox's child process with the
exercise's time and memory limits, so a notebook kernel never hangs on an endless loop.  What goes into
the module is chosen by what the code *defines*, never by cell position: imports, constants and the last
definition of each name.

``check(exercise, function)`` runs the checks that declare ``function`` in
their ``uses=`` (``@EX.check(..., uses=("fn",))``; ``grader.core.lookup.checks_using``); a check that
calls a function it does not declare ends as an internal grader error, so the
declarations cannot go stale unseen.

Each ``check()`` adds its line to the course's learning-trail history (``grader/front/trail.py``).  In
Jupyter and VS Code the notebook carries that exercise's history itself: the final output of ``check()`` has
it in its metadata (``keras_course_grader.history``, ``carried_lines``), which the front end saves with the
``.ipynb`` and ``grade batch`` reads; the kernel never writes the notebook file.  In Colab it cannot, and the
first ``check()`` says once how to hand ``.grade/history.jsonl`` in beside the notebook.

What ``check()`` remembers between calls lives on ``CHECKER`` (a ``Checker``): the latest report
(``LAST_REPORT`` reads it), whether the language was chosen, and whether Colab's note was said.  ``prepare()`` starts the child server
and imports Keras as the notebook role of ``grader/core/startup.py``.
"""
from __future__ import annotations

import ast
import dataclasses
import inspect
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import _
from grader.core.lookup import checks_using, functions_of_checks
from grader.front.extract import IGNORED_IMPORTS, Cell, Extraction, segment
from grader.front import trail, warm
from grader.front.submission import Submission


# ------------------------------------------------------------------ what the kernel has run
def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def kernel_cells(shell=None) -> list[Cell]:
    """What a running kernel defines, as cells: never the ``.ipynb`` file.

    In Colab (and in any front end) the notebook is not a file the kernel can
    read, so ``check()`` works from the kernel itself: the inputs it has
    executed so far, oldest first (IPython's ``In`` history, which every
    IPython kernel keeps -- Jupyter, Colab, VS Code).  Where a shell keeps no
    history, the kernel's namespace is used instead (``namespace_cells``).
    """
    shell = shell or _ipython()
    if shell is None:
        main = sys.modules.get("__main__")
        path = getattr(main, "__file__", None)
        if path and os.path.isfile(path):  # a plain script calling check(): grade its definitions
            return [Cell(os.path.basename(path), Path(path).read_text(encoding="utf-8", errors="replace"))]
        return namespace_cells(vars(main)) if main is not None else []
    history = shell.user_ns.get("In") or getattr(shell.history_manager, "input_hist_raw", None) or []
    cells = [Cell(f"In [{i}]", src) for i, src in enumerate(history) if i and isinstance(src, str)]
    return cells or namespace_cells(shell.user_ns)


_KERNEL_NAME = re.compile(r"^(__\w*__|_+|_i+\d*|_\d+|_(oh|ih|dh))$")  # IPython's and Python's own names
_SIMPLE = (bool, int, float, complex, str, bytes, type(None))


def _simple_value(value, depth: int = 0) -> bool:
    if isinstance(value, _SIMPLE):
        return True
    if isinstance(value, (tuple, list, frozenset, set)) and depth < 3 and len(value) <= 1000:
        return all(_simple_value(v, depth + 1) for v in value)
    if isinstance(value, dict) and depth < 3 and len(value) <= 1000:
        return all(_simple_value(k, depth + 1) and _simple_value(v, depth + 1) for k, v in value.items())
    return False


def _definition_source(obj) -> str | None:
    """The source of a function or class defined in a kernel.  A class is looked up through its
    methods' code (the cell text IPython keeps for linecache), since ``inspect.getsource`` of a
    class reads the file of its module, which a kernel's ``__main__`` has not."""
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        pass
    if not inspect.isclass(obj):
        return None
    import linecache
    for member in vars(obj).values():
        fn = getattr(member, "__func__", member)
        code = getattr(fn, "__code__", None)
        if code is None:
            continue
        text = "".join(linecache.getlines(code.co_filename))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == obj.__name__
                 and n.lineno <= code.co_firstlineno <= n.end_lineno]
        if found:
            return segment(text.split("\n"), found[-1])
    return None


def namespace_cells(namespace: dict) -> list[Cell]:
    """Cells rebuilt from a kernel's namespace (the objects it holds now): ``import`` lines for
    modules and for functions and classes of importable modules, the source of the functions
    and classes defined in the kernel (``inspect.getsource``: IPython keeps each cell's text),
    and constants of plain values.  A definition whose source is lost is left out."""
    imports, constants, defs = [], [], []
    for name, value in list(namespace.items()):
        if _KERNEL_NAME.match(name) or name in ("In", "Out", "exit", "quit", "get_ipython", "check"):
            continue
        if inspect.ismodule(value):
            if value.__name__ != "__main__" and name != "__builtins__":
                imports.append(f"import {value.__name__}" + (f" as {name}" if name != value.__name__ else ""))
        elif inspect.isfunction(value) or inspect.isclass(value) or inspect.isbuiltin(value):
            module = getattr(value, "__module__", None)
            if module in (None, "__main__", "builtins") or getattr(sys.modules.get(module), "__file__", None) is None:
                source = _definition_source(value)
                if source:
                    defs.append((name, source))
            elif not module.startswith(IGNORED_IMPORTS):
                qual = getattr(value, "__qualname__", name)
                if "." not in qual and "<" not in qual:
                    imports.append(f"from {module} import {qual}" + (f" as {name}" if name != qual else ""))
        elif _simple_value(value) and name.isidentifier():
            constants.append(f"{name} = {value!r}")
    cells = [Cell(_("the kernel's imports"), "\n".join(imports))] if imports else []
    if constants:
        cells.append(Cell(_("the kernel's constants"), "\n".join(constants)))
    cells += [Cell(name, source) for name, source in defs]
    return cells


def _in_colab() -> bool:
    return "google.colab" in sys.modules


def _in_jupyter(shell) -> bool:
    """A notebook front end (Jupyter, VS Code, Colab), not IPython in a terminal."""
    return shell is not None and (hasattr(shell, "kernel") or "google.colab" in sys.modules)


@dataclasses.dataclass
class Checker:
    """``check()`` in one kernel, and what it remembers between calls."""
    last_report: Any = None  # the report of the latest check(), for code that wants the numbers
    language_chosen: bool = False  # the first check() follows LANG, as `grade` does; lang= changes it
    colab_told: bool = False  # Colab: how to hand the history in was said once

    def prepare(self) -> None:
        """Ready what ``check()`` needs, while the student reads and writes: the child server starts (it
        imports Keras in its own process) and this kernel imports Keras with the collector paused
        (``grader/core/startup.py``, the notebook role).  ``from grader.notebook import check`` calls it, so
        the setup cell takes the few seconds of TensorFlow's start-up that the first ``check()`` (or the first
        cell that imports Keras) took before.  Never raises: a Keras that does not import is reported by
        ``check()``.

        Outside a notebook front end (a script, IPython in a terminal) ``check()`` is answered by the warm
        grader's server (``grader/front/warm.py``) as ``grade`` is: this only starts one in the background, and
        this process imports no Keras (unless the server cannot answer: ``GRADE_DAEMON=0``, ...)."""
        if self._warm(_ipython()):
            warm.ensure_started()
            return
        startup.start(startup.NOTEBOOK)

    @staticmethod
    def _warm(shell) -> bool:
        """Whether ``check()`` asks the warm grader: outside a notebook front end, unless it is turned off."""
        return not _in_jupyter(shell) and warm.enabled()

    def check(self, exercise: str, function: str | Callable | None = None, *, timeout: float | None = None,
              memory_mb: int | None = None, lang: str | None = None, quiet: bool = False) -> None:
        """Grade the functions of ``exercise`` as the notebook defines them right now.

        ``function`` (a name, or the function itself) runs only the checks that
        call it.  Prints the same table as ``grade`` (as HTML in Jupyter) with the
        hint of every check that did not pass; the report is kept in
        ``grader.front.notebook.LAST_REPORT`` (``CHECKER.last_report``).  Your code runs in a separate process
        with the exercise's time and memory limits, so an endless loop costs one
        check, never the kernel.

        Works wherever the notebook is not a file (Colab): it grades what the
        kernel ran (``kernel_cells``).  On a runtime with a GPU (Colab) the
        verdict is the CPU's: the judge computes under ``tf.device("/CPU:0")`` and
        the process that runs your code sees no GPU (``grader/core/devices.py``); your
        own cells keep the GPU.
        """
        from grader import checks
        from grader.core import i18n, session
        if lang is not None or not self.language_chosen:  # the first check() follows LANG, as `grade` does
            i18n.set_language(lang)
            self.language_chosen = True
        if callable(function):
            function = function.__name__
        started = time.monotonic()
        shell = _ipython()
        if self._warm(shell):
            report = self._check_warm(exercise, function, shell, timeout, memory_mb, quiet)
            if report is not None:
                self.last_report = report
                if not quiet:
                    show(report, function=function)
                _record(report, time.monotonic() - started, quiet)
                return None
        startup.start(startup.NOTEBOOK)  # (again: the server may have died with an earlier child; the check
        # module imports Keras)
        try:
            with session.quiet_stderr():  # the check modules import Keras: keep TensorFlow's start-up log out
                ex = checks.get(exercise)
                only = checks_using(ex, function) if function else None
        except UsageError as e:
            print(_("check: {error}").format(error=e), file=sys.stderr)
            return None
        sub = Submission.from_cells(kernel_cells(shell), name=_("this notebook"))
        skipped: list[str] = []
        if only is not None:
            only, skipped = _runnable(ex, only, function, sub.extraction)
        jupyter = _in_jupyter(shell)
        handle = None
        if jupyter and not quiet:
            from IPython.display import display
            handle = display({"text/plain": _("running the checks...")}, raw=True, display_id=True)

        def progress(done: int, n: int, result) -> None:
            if quiet:
                return
            text = _("running checks... {done}/{n} done ({name}: {status})").format(
                done=done, n=n, name=result.name, status=result.status.value)
            if handle is not None:
                handle.update({"text/plain": text}, raw=True)
            else:
                print("\r" + text.ljust(79), end="", flush=True)
        report = grade_text(ex, sub, only=only, timeout=timeout, memory_mb=memory_mb, progress=progress)
        if handle is None and not quiet:
            print("\r" + " " * 79 + "\r", end="", flush=True)
        report.notes[len(sub.notes):len(sub.notes)] = skipped
        self.last_report = report
        said: list[str] = []
        recorded = trail.record(report, time.monotonic() - started, via="check", say=said.append)
        if not quiet:
            show(report, function=function, handle=handle, jupyter=jupyter,
                 history=carried_lines(recorded, report.exercise) if jupyter and not _in_colab() else None)
            for line in said:  # (the history's one line, under the table as after a grade)
                print(line)
            self._tell_colab(recorded)
        return None

    def _tell_colab(self, recorded) -> None:
        """In Colab the notebook cannot carry its history (``carried_lines``): say once, at the first check()
        that recorded one, how to hand it in beside the notebook."""
        if self.colab_told or not _in_colab() or recorded.status != "written" or recorded.path is None:
            return
        self.colab_told = True
        print(_("In Colab this notebook cannot carry your history. To hand it in, download {path} (the Files "
                "panel) before the runtime ends and upload it beside your notebook, as history.jsonl in the same "
                "folder or .zip.").format(path=recorded.path))


    def _check_warm(self, exercise: str, function: str | None, shell, timeout, memory_mb, quiet: bool):
        """``check()`` answered by the warm grader: the report a grade in this process would give, or None when
        the server cannot answer (or the request is a mistake, which the grade in this process then reports)."""
        from grader.front import options
        try:
            ex_id, _module = options.exercise(exercise)
            info = warm.describe(ex_id)
            only = checks_using(info, function) if function else None
        except (warm.Unavailable, UsageError):
            return None
        sub = Submission.from_cells(kernel_cells(shell), name=_("this notebook"))
        skipped: list[str] = []
        if only is not None:
            only, skipped = _runnable(info, only, function, sub.extraction)
        request = warm.grade_request(info.id, text=sub.text, name=sub.name, notes=sub.notes, timeout=timeout,
                                     memory_mb=memory_mb, only=only, server_keras=True, progress=not quiet)
        done = [0]
        n = [0]

        def progress(result) -> None:
            done[0] += 1
            if not quiet:
                text = _("running checks... {done}/{n} done ({name}: {status})").format(
                    done=done[0], n=n[0], name=result.name, status=result.status.value)
                print("\r" + text.ljust(79), end="", flush=True)
        try:
            run = warm.open_run(request)
            n[0] = run.n
            report = run.report(on_check=progress)
        except (warm.Unavailable, warm.Refused):
            return None  # (graded in this process, which says it all again)
        if not quiet:
            print("\r" + " " * 79 + "\r", end="", flush=True)
        report.notes[len(sub.notes):len(sub.notes)] = skipped
        return report


def _record(report, seconds: float, quiet: bool) -> None:
    """The check's line in the history of the course folder found from the kernel's working folder
    (``grader/front/trail.py``); never raises.  Its one line (the first time: what is recorded and where)
    is printed unless ``quiet``."""
    trail.record(report, seconds, via="check", say=None if quiet else print)


def carried_lines(recorded, exercise: str) -> tuple[list[dict], int] | None:
    """What the notebook carries of its history (issue #30): this exercise's lines of the course history,
    oldest first, as ``grade submit`` would zip them (the latest ``trail.MAX_CARRIED``, and how many earlier
    ones were left out) -- put in the metadata of the check()'s output
    (``keras_course_grader.history``), which Jupyter and VS Code save in the ``.ipynb`` with the output.  The
    kernel never writes the notebook file itself: the front end holds the notebook and would overwrite (or
    ask about) a file changed under it at its next save.  None when nothing was recorded (history off, not
    writable): then the notebook carries nothing, and ``grade batch`` grades it as any other."""
    if recorded.status not in ("written", "full") or recorded.path is None:
        return None
    try:
        lines = trail.read(recorded.path, exercise=exercise).entries
    except Exception:  # a history never fails a check()
        return None
    return lines[-trail.MAX_CARRIED:], max(0, len(lines) - trail.MAX_CARRIED)


CHECKER = Checker()
check = CHECKER.check  # the students' names: from grader.notebook import check
prepare = CHECKER.prepare


def __getattr__(name: str):
    if name == "LAST_REPORT":  # the report of the latest check() (grader.front.notebook.LAST_REPORT)
        return CHECKER.last_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _runnable(ex, only: list[str], function: str, extraction: Extraction) -> tuple[list[str], list[str]]:
    """The checks of ``function`` whose other functions the notebook already defines, and a note
    for each one left for later (a notebook run top to bottom checks each function right after
    its cell; a check that also calls a function further down runs at that function's check)."""
    uses = functions_of_checks(ex)
    run, notes = [], []
    for name in only:
        missing = sorted(f for f in uses[name] if f != function and not extraction.defines(f))
        if missing:
            notes.append(_("{check} also calls {missing}, which this notebook does not define yet: it runs with "
                           "the check of {missing} or with check(\"{exercise}\")").format(
                check=name, missing=", ".join(missing), exercise=ex.id))
        else:
            run.append(name)
    return run, notes


def grade_text(ex, source_text, *, only=None, timeout=None, memory_mb=None,
               progress: Callable[[int, int, Any], None] | None = None):
    """Grade module text (or a ``Submission``, its notes first in the report) with the engine (the
    forkserver is started in this process)."""
    sub = source_text if isinstance(source_text, Submission) else Submission(f"<{ex.module}>", source_text)
    from grader.core import session
    n = sum(1 for c in ex.checks if not c.hidden and (only is None or c.name in only))
    done = [0]

    def on_check(result) -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], n, result)
    with session.quiet_stderr():
        from grader.core.devices import cpu_only_environment
        with cpu_only_environment():  # (again: the server may have died with an earlier child) no GPU for it
            session.warm_up()
        return sub.grade(ex, only=only, timeout=timeout, memory_mb=memory_mb, on_check=on_check)


def summary_line(report, function: str | None = None) -> str:
    """One line a test (or a student skimming the output) can read: score and statuses."""
    from collections import Counter
    counts = Counter(c.status.value for c in report.checks)
    what = f"{report.exercise} {function}" if function else report.exercise
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return _("{what}: {score:g}/{max_score:g} points ({statuses})").format(
        what=what, score=report.score, max_score=report.max_score, statuses=statuses or "-")


def console_bundle(console) -> dict[str, str]:
    """``text/plain`` and ``text/html`` of everything a recording rich console printed.

    Both exports read the same record buffer, so the first one must keep it
    (``clear=False``): rich's exports clear it by default, and an HTML export
    taken after ``export_text()`` was an empty ``<pre></pre>`` -- the empty box
    every front end (JupyterLab, Colab, VS Code) showed, since they render the HTML.
    """
    text = console.export_text(clear=False)
    html = console.export_html(inline_styles=True, clear=True, code_format='<pre style="font-family:monospace;'
                               'line-height:1.3">{code}</pre>')
    return {"text/plain": text, "text/html": html}


def show(report, *, function: str | None = None, handle=None, jupyter: bool = False,
         history: tuple[list[dict], int] | None = None) -> None:
    """The table of ``grade``: HTML in Jupyter (with a plain-text copy), the terminal otherwise.  ``history``
    (``carried_lines``) goes into the output's metadata, never on screen."""
    import io

    from rich.console import Console

    from grader.front.render import print_report
    line = summary_line(report, function)
    if not jupyter:
        print_report(report, Console())
        print(line)
        return
    console = Console(record=True, file=io.StringIO(), width=110, force_jupyter=False, color_system="truecolor")
    print_report(report, console)
    if any(c.status.value not in ("PASS", "NOT_ATTEMPTED") for c in report.checks):
        console.print(_("Read the hint of each check that did not pass, fix the function, run its cell again, "
                        "then run this check again."))
    console.print(line)
    bundle = console_bundle(console)
    metadata = {"keras_course_grader": {**report.to_dict(), "function": function}}  # for tools, not shown
    if history is not None:  # the student's own account of the way there, saved with the notebook
        metadata["keras_course_grader"][trail.NOTEBOOK_FIELD] = history[0]
        if history[1]:
            metadata["keras_course_grader"][trail.NOTEBOOK_DROPPED] = history[1]
    if handle is not None:
        handle.update(bundle, raw=True, metadata=metadata)
    else:
        from IPython.display import display
        display(bundle, raw=True, metadata=metadata)
