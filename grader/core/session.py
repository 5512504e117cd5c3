"""The judge's side of a child process: a session of requests, deadlines and verdicts.

One ``Sandbox`` per graded file.  How the child is made and walled in is the
isolation backend's business (``grader.core.isolation``: ``linux`` forks it from a
Keras-preloaded fork server in bubblewrap namespaces; ``portable`` spawns it
on macOS and Windows).  This module sends the requests, keeps every deadline,
watches the child's resident memory while it computes, and turns a child
that dies, hangs, or blows its budget into a typed verdict for the check
that was running; the next check gets a fresh child.  What the child prints
goes to a capped sink: never fatal, and the report says how much was dropped.
"""
from __future__ import annotations

import os
import shutil
import signal
import time
from typing import Any, Callable

from grader.core import isolation as _iso
from grader.core import wire
from grader.core.errors import NotAttempted, OutOfMemory, StudentError, Timeout, Verdict
from grader.core.i18n import N_, _, catalogue
from grader.core.isolation import STARTUP_TIMEOUT, hide, quiet_stderr  # noqa: F401 -- the front ends' API

SIGKILL = getattr(signal, "SIGKILL", 9)


def isolation() -> _iso.Backend:
    """The isolation backend of this process (``describe()``, ``notes``)."""
    return _iso.backend()


def use(name: str | None) -> None:
    """Choose the isolation backend (``--sandbox``): ``linux``, ``portable``, or None for the platform's."""
    _iso.choose(name)


def warm_up(keras: bool = True) -> None:
    """Start what children are made from now, so its imports overlap with the judge's own (``keras=False``:
    the children to come need no Keras, ``Backend.warm_up``)."""
    _iso.backend().warm_up(keras)


from grader.core.imports import KERAS_MODULES, imports_keras  # noqa: E402,F401 -- where it lives: light


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


class Sandbox:
    def __init__(self, source: str, module_name: str, *, memory_mb: int = 2048,
                 import_timeout: float = 30.0, recipe_modules: tuple[str, ...] = (),
                 block_solutions: bool = True, source_text: str | None = None, keras: bool = True,
                 weights: bool = True):
        """``source`` is the submission's path (shown in messages); the child
        gets its text (``source_text``, or the file read here), never the path.  ``keras``: the checks
        need Keras in the child (else only a submission that imports it gets it preloaded).  ``weights``:
        False when no check needs weights the child made (``Exercise.child_weights``): the child then builds
        models for ``build`` requests without allocating them."""
        self.source = os.path.abspath(source)
        if source_text is None:
            with open(self.source, encoding="utf-8", errors="replace") as f:
                source_text = f.read()
        self.source_text = source_text
        self.module_name = module_name
        self.memory_mb = memory_mb
        self.import_timeout = import_timeout
        self.recipe_modules = recipe_modules
        self.block_solutions = block_solutions
        self.keras = keras or imports_keras(source_text)
        self.weights = weights
        self.backend = isolation()
        self.scratch = self.backend.make_scratch()
        self.child: _iso.Child | None = None
        self.import_failure: Verdict | None = None
        self._killed_for_memory = False
        self.children_started = 0
        self.baseline = 0  # resident bytes of a fresh child before the submission loads (portable backend)
        self.printed = 0  # bytes the submission's children wrote to stdout/stderr
        self.kept = 0  # of which the sink kept

    # ------------------------------------------------------------ lifecycle
    def _start(self) -> None:
        job = {"source_text": self.source_text, "module_name": self.module_name, "memory_mb": self.memory_mb,
               "scratch": self.scratch, "block_solutions": self.block_solutions,
               "recipe_modules": list(self.recipe_modules), "keras": self.keras, "weights": self.weights}
        for attempt in range(2):
            self.child = self.backend.start(job)
            self.children_started += 1
            self._killed_for_memory = False
            try:  # the server may still be importing Keras (first use, or restarted): not the student's time
                started, _value = self._receive(STARTUP_TIMEOUT, _("starting the grader's sandbox"),
                                                watch_memory=False)
            except Verdict as v:
                raise StudentError(_("the grader's sandbox did not start ({reason})").format(reason=v.message),
                                   hint=_("The grading machine is overloaded; grade again later.")) from None
            if started.get("status") != "unconfined":
                break
            self._reap()  # a server restarted outside its walls: take it down, start it properly
            self.backend.shutdown()
        if started.get("status") != "started":
            raise StudentError(_("the grader's sandbox did not start properly"))
        # A spawned child holds its own copy of Keras; the budget is for what the submission adds.
        self.baseline = self.child.rss() if self.backend.rss_baseline else 0
        try:
            header, _value = self._receive(self.import_timeout, _("importing your file"))
        except Verdict as v:
            self.import_failure = v
            raise
        if header.get("status") == "import_error":
            self.import_failure = self._import_verdict(header)
            self._reap()
            raise self.import_failure

    def _import_verdict(self, h: dict) -> Verdict:
        if h.get("syntax"):
            return StudentError(_("your file does not compile: SyntaxError at {where}: {message}").format(
                where=h["where"] or _("unknown line"), message=h["message"]),
                hint=_("Fix the syntax error; `python -m py_compile FILE` shows it too."))
        if h["kind"] == "exit":
            return StudentError(_("your file calls sys.exit() (or exit/quit) when imported, so nothing can be graded"),
                                hint=_("Remove top-level exit() calls and test code; guard it with "
                                       "`if __name__ == \"__main__\":`."))
        if h["kind"] == "memory":
            return OutOfMemory(_("importing your file ran out of memory ({mb} MB budget)").format(mb=self.memory_mb),
                               hint=_("Do not build big arrays or train models at the top level of the file."))
        if h["kind"] == "not_implemented":
            return NotAttempted(_("your file raises NotImplementedError when imported"))
        where = f" ({h['where']})" if h.get("where") else ""
        return StudentError(_("importing your file failed: {error}{where}").format(
            error=f"{h['type']}: {h['message']}", where=where),
            hint=_("Run the file with python yourself: it must import without errors. "
                   "Top-level test code belongs under `if __name__ == \"__main__\":`."))

    def start(self) -> None:
        """Start the child and import the submission now (raises its Verdict if the import fails);
        otherwise the first request does."""
        if self.import_failure is not None:
            raise self.import_failure
        if self.child is None:
            self._start()

    @property
    def pid(self) -> int:
        return self.child.pid if self.child is not None else -1

    def close(self) -> None:
        self._reap()
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.backend.idle()

    def _reap(self) -> None:
        child, self.child = self.child, None
        if child is None:
            return
        child.kill()
        if child.channel is not None:
            child.channel.close()
        if child.output is not None:
            child.output.close()
            self.printed += child.output.total
            self.kept += child.output.total - child.output.dropped

    def output_note(self) -> str | None:
        """What the report says when the submission printed more than the sink kept."""
        if self.printed <= self.kept:
            return None
        return _("your code printed {printed}; only the first and last {kept} were kept (printing does not "
                 "change a grade, but it slows grading)").format(printed=_mb(self.printed), kept=_mb(64 * 2**10))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------ requests
    def request(self, op: str, header: dict, payload: Any, timeout: float, doing: str,
                fn: str | None = None, limit: float | None = None) -> Any:
        """Send one request and return the decoded value, or raise a Verdict."""
        return self.submit(op, header, payload, timeout, doing, fn, limit)()

    def submit(self, op: str, header: dict, payload: Any, timeout: float, doing: str,
               fn: str | None = None, limit: float | None = None) -> Callable[[], Any]:
        """Send one request; the function returned waits for its value (or raises a Verdict) within
        ``timeout`` of now.  It must be called before anything else is asked of the child."""
        if self.import_failure is not None:
            raise self.import_failure
        if self.child is None:
            self._start()
        try:
            self.child.channel.send({"op": op, **header}, payload)
        except OSError:
            self._reap()
            self._start()
            self.child.channel.send({"op": op, **header}, payload)
        deadline = time.monotonic() + timeout
        lost = Lost(self.child)

        def receive() -> Any:
            reply, value = self._receive(max(0.05, deadline - time.monotonic()), doing,
                                         limit if limit is not None else timeout, lost=lost)
            if reply.get("status") == "ok":
                return value
            return self._raise_error(reply, doing, fn)
        return receive

    def _raise_error(self, r: dict, doing: str, fn: str | None):
        kind = r.get("kind")
        where = f" ({r['where']})" if r.get("where") else ""
        if kind == "not_implemented":
            raise NotAttempted(_("{fn} is not implemented yet (it raises NotImplementedError)").format(fn=fn or doing),
                               hint=_("Replace the `raise NotImplementedError` in {fn} with your code.").format(
                                   fn=fn or _("the function")))
        if kind == "missing":
            raise StudentError(child_message(r),
                               hint=_("Keep the function name and signature from the stub: {fn}.").format(
                                   fn=r.get("fn", fn)))
        if kind == "memory":
            raise OutOfMemory(_("{doing} ran out of memory (budget {mb} MB){where}").format(
                doing=doing, mb=self.memory_mb, where=where), hint=_(BIG_ARRAYS_HINT))
        if kind == "exit":
            raise StudentError(_("{doing} called sys.exit() or raised KeyboardInterrupt{where}").format(
                doing=doing, where=where), hint=_("Return a value instead of exiting."))
        if kind == "recursion":
            raise StudentError(_("{doing} recursed too deeply (RecursionError){where}").format(
                doing=doing, where=where), hint=_("Check the stopping condition of your recursion, or use a loop."))
        if kind == "bad_result":
            raise StudentError(f"{doing}: {child_message(r)}", hint=_("Return the type the docstring asks for."))
        raise StudentError(_("{doing} raised {error}{where}").format(
            doing=doing, error=f"{r.get('type', 'an error')}: {r.get('message', '')}", where=where),
            hint=_("Run the function yourself on a small input and read the traceback."))

    def _receive(self, timeout: float, doing: str, limit_s: float | None = None,
                 watch_memory: bool = True, lost: "Lost | None" = None) -> tuple[dict, Any]:
        """Wait for one message; ``limit_s`` is the limit to name in a TIMEOUT (default ``timeout``).

        The deadline moves by the time the machine took from the child meanwhile (``Lost``, counted
        from when it was made, by default from now), up to ``MAX_QUEUED_CREDIT`` times the limit: on a
        machine busy with other work a submission still gets its seconds of running, and a loop that
        never ends still ends in TIMEOUT.  A child whose resident memory still grows (``Growth``) may
        have up to ``MAX_GROWING_CREDIT`` times the limit: it is on its way to its memory limit."""
        stated = _("{seconds:g} s").format(seconds=limit_s if limit_s is not None else timeout)
        deadline = time.monotonic() + timeout
        limit = self.memory_mb * 2**20 + self.baseline
        child = self.child
        lost = Lost(child) if lost is None else lost
        base = limit_s if limit_s is not None else timeout
        most_credit, most_growing, credit = MAX_QUEUED_CREDIT * base, MAX_GROWING_CREDIT * base, 0.0
        growth = Growth()

        def over_limit() -> bool:
            return watch_memory and growth.look(child.rss(), time.monotonic()) > limit

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if over_limit():  # a judge that was itself kept waiting looks now
                    return self._over_memory(doing)
                grown = min(most_growing if growth.growing(time.monotonic()) else most_credit, lost())
                if grown > credit + 0.01:
                    deadline += grown - credit
                    credit = grown
                    continue
                self._reap()
                raise Timeout(_("{doing} did not finish within {limit} (time limit)").format(doing=doing, limit=stated),
                              hint=_("Look for an endless loop, or work that grows much faster than the input."))
            if child.channel.poll(min(0.05, left)):
                break
            if over_limit():
                return self._over_memory(doing)
        try:
            return child.channel.recv(deadline=max(deadline, time.monotonic() + 30))
        except wire.WireTimeout:
            self._reap()
            raise Timeout(_("{doing} did not finish within {limit} (time limit)").format(doing=doing, limit=stated)) \
                from None
        except wire.ChildGone:
            return self._died(doing)
        except wire.WireError as e:
            self._reap()
            raise StudentError(f"{doing}: {child_message({'msgid': e.msgid, 'params': e.params}, str(e))}") from None

    def _over_memory(self, doing: str):
        self._killed_for_memory = True
        self._reap()
        raise OutOfMemory(_("{doing} used more than {mb} MB of memory (memory limit)").format(
            doing=doing, mb=self.memory_mb), hint=_(BIG_ARRAYS_HINT))

    def _died(self, doing: str):
        code = self.child.wait(2)
        self._reap()
        if self._killed_for_memory or code == -SIGKILL:
            raise OutOfMemory(_("{doing} was killed (out of memory, budget {mb} MB)").format(doing=doing,
                                                                                           mb=self.memory_mb),
                              hint=_("Look for arrays far bigger than the inputs."))
        if code is not None and code < 0:
            raise StudentError(_("{doing} crashed the Python process (signal {signal})").format(
                doing=doing, signal=_signal_name(-code)),
                hint=_("This is usually a native-library crash caused by a huge or malformed input."))
        raise StudentError(_("{doing} ended the grading process (exit status {code}); "
                             "sys.exit/os._exit/killing processes is not allowed in a submission").format(
            doing=doing, code=code), hint=_("Return a value instead of exiting."))


# At most this share of a time limit is added for the time the machine took from the child (so a check's
# wall time stays within twice its limit, however busy the machine).
MAX_QUEUED_CREDIT = 1.0
# ... and at most this share for a child whose memory still grows: it needs CPU to reach its memory limit,
# and that limit ends it whatever the clock says.  Touching memory costs CPU, much more on a virtual machine
# whose host backs the guest's free pages only when they are first touched: 1.6-2.0 s of CPU per 500 MB
# on the CI's Firecracker VMs against 0.3 s for pages the host already backs (measured 2026-12-02), and
# `make test` keeps such a 2-CPU machine at a load of about 10.  With the first cap alone, a memory bomb
# with a 3 s limit and a 512 MB budget got TIMEOUT there instead of OUT_OF_MEMORY (CI of stops 18, 19 and
# 21).  Reaching 512 MB of cold pages takes up to 2.3 s of CPU; at a load of 15 on 2 CPUs a child gets about
# 13% of one, so about 18 s of wall time: 5 limits of credit, and one more for margin.
MAX_GROWING_CREDIT = 6.0


class Growth:
    """Whether a child's resident memory grew by ``STEP`` bytes within the last ``WINDOW`` seconds, from
    the judge's looks at it."""

    STEP = 8 * 2**20
    WINDOW = 1.0

    def __init__(self):
        self.mark: int | None = None
        self.grew_at = float("-inf")

    def look(self, rss: int, now: float) -> int:
        if self.mark is None:
            self.mark = rss
        elif rss >= self.mark + self.STEP:
            self.mark, self.grew_at = rss, now
        return rss

    def growing(self, now: float) -> bool:
        return now - self.grew_at <= self.WINDOW


class Lost:
    """The seconds the machine took from a child since this object was made: the time its main thread
    waited for a CPU (``Child.queued``), and, on a virtual machine, its share of the time the hypervisor
    gave the machine's CPUs to others (``isolation.stolen``) while it was running: Linux counts neither
    as the child's running, and a wall-clock deadline counts both.  A sleeping child loses nothing."""

    def __init__(self, child: _iso.Child):
        self.child, self.t0 = child, time.monotonic()
        self.queued0, self.ran0, self.stolen0 = child.queued(), child.ran(), _iso.stolen()

    def __call__(self) -> float:
        queued = self.child.queued() - self.queued0
        stolen = _iso.stolen() - self.stolen0
        if stolen <= 0:
            return queued
        # the part of the machine's own time (wall less stolen) that the child ran: its part of the stolen time
        running = min(1.0, (self.child.ran() - self.ran0) / max(time.monotonic() - self.t0 - stolen, 1e-3))
        return queued + stolen * max(0.0, running)  # (a child that is gone reads as never having run)

BIG_ARRAYS_HINT = N_("Look for arrays far bigger than the inputs (a wrong shape, an accidental outer product).")


def child_message(r: dict, default: str | None = None) -> str:
    """The text of an error the child sent as ``msgid`` + ``params`` (``wire.MessageError``),
    in the current language.  Only msgids of the grader's own catalogue are used as
    format strings (a forged reply cannot bring its own); anything else falls back to
    the plain ``message``."""
    msgid, params = r.get("msgid"), r.get("params")
    fallback = str(r.get("message", "")) if default is None else default
    if not (isinstance(msgid, str) and isinstance(params, dict) and msgid in catalogue("ko")):
        return fallback
    try:
        return _(msgid).format(**{str(k): str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return fallback


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
