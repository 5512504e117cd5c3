"""The child: the only process that imports student code.

It is forked from a server that already imported numpy (and Keras, when the
exercise needs it), so it starts in a fraction of a second.  It loads the
submission, then answers the judge's requests one at a time: call a function
on judge-chosen arguments, build a model from a tensor function, or run one of
the grader's recipes.  Replies are plain data (see ``wire``).  Nothing the
child says is trusted: the judge recomputes every verdict itself.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import os
import sys
import traceback
from typing import Any, Callable

from grader.core import lowering  # noqa: F401 -- registers the encoder of the models students return
from grader.core import wire
from grader.core.i18n import N_
from grader.core.stateless import no_weights  # preloaded with the child, not imported after a submission ran

RECIPES: dict[str, Callable[..., Any]] = {}
RECURSION_LIMIT = 3000
NOBODY = 65534


def recipe(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a function the judge can ask the child to run (``t.recipe(name, ...)``).

    A recipe is grader code that runs *in the child*, where the student's module
    is loaded; it receives that module as its first argument.
    """
    RECIPES[fn.__name__] = fn
    return fn


class _BlockSolutions(importlib.abc.MetaPathFinder):
    """Keeps ``import solutions`` out of a student's submission (a speed bump;
    real isolation of the file system comes from the sandbox)."""

    def find_spec(self, name, path=None, target=None):
        if name == "solutions" or name.startswith("solutions."):
            raise ImportError("the reference solutions are not available while grading")
        return None


def _vm_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit(memory_mb: int, max_file_mb: int = 64) -> None:
    """POSIX rlimits (the Linux backend; macOS refuses RLIMIT_AS and Windows has none)."""
    import resource
    import signal
    # Virtual address space: what is mapped now (the preloaded libraries) plus
    # the memory budget plus room for thread stacks and malloc arenas.  The
    # judge also watches the resident size and kills at the budget.
    slack = 1536 * 2**20
    cap = _vm_bytes() + memory_mb * 2**20 + slack
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_mb * 2**20, max_file_mb * 2**20))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _drop_to_nobody() -> None:
    """User nobody: cannot signal the grader or read its environment (Linux, as root)."""
    import resource
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    resource.setrlimit(resource.RLIMIT_NPROC, (1024, 1024))  # threads count too


def describe_exception(e: BaseException, source: str) -> dict:
    """Type, message, and the deepest line of the student's file in the traceback."""
    where = ""
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        if os.path.abspath(frame.filename) == source:
            where = f"line {frame.lineno}" + (f": {frame.line.strip()}" if frame.line else "")
            break
    if isinstance(e, SyntaxError) and e.lineno:
        where = f"line {e.lineno}" + (f": {e.text.strip()}" if e.text else "")
    msg = str(e.msg if isinstance(e, SyntaxError) else e)
    return {"type": type(e).__name__, "message": msg[:500], "where": where}


def _classify(e: BaseException, source: str | None = None) -> str:
    """The kind of an exception.  ``not_implemented`` only when the student's own file raised it (a stub's
    ``raise NotImplementedError``): Keras raises NotImplementedError too (``get_config`` of a subclass), and
    that is not "not attempted"."""
    if isinstance(e, NotImplementedError):
        return "not_implemented" if source is None or _raised_in(e, source) else "exception"
    if isinstance(e, MemoryError):
        return "memory"
    if isinstance(e, (SystemExit, KeyboardInterrupt)):
        return "exit"
    if isinstance(e, RecursionError):
        return "recursion"
    return "exception"


def _raised_in(e: BaseException, source: str) -> bool:
    """Whether the frame that raised ``e`` is in ``source`` (the student's file)."""
    frames = traceback.extract_tb(e.__traceback__)
    return bool(frames) and os.path.abspath(frames[-1].filename) == source


def load_module(source: str, module_name: str):
    directory = os.path.dirname(source)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(module_name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def call(module, fn: str, args=(), kwargs=None):
    f = getattr(module, fn, None)
    if f is None:
        raise Missing(fn)
    if not callable(f):
        raise Missing(fn, N_("{fn} in your file is a {type}, not a function"), type=type(f).__name__)
    return f(*args, **(kwargs or {}))


class Missing(wire.MessageError):
    """The student's file lacks ``fn`` (or it is not callable); the message travels as msgid + params."""

    def __init__(self, fn: str, msgid: str = N_("your file does not define {fn}"), **params: str):
        super().__init__(msgid, fn=fn, **params)
        self.fn = fn


def _build(module, fn: str, input_shapes, args=(), kwargs=None, with_weights=False):
    """Call a tensor function on keras.Input(s) and wrap the result in a Model."""
    import keras
    multi = bool(input_shapes) and isinstance(input_shapes[0], (list, tuple))
    shapes = input_shapes if multi else [input_shapes]
    inputs = [keras.Input(shape=tuple(s)) for s in shapes]
    out = call(module, fn, (*inputs, *args), kwargs)
    if isinstance(out, (list, tuple)):
        out = list(out)
        bad = [o for o in out if not isinstance(o, keras.KerasTensor)]
    else:
        bad = [] if isinstance(out, keras.KerasTensor) else [out]
    if bad:
        raise _BadResult(N_("{fn} returned {type}, expected a Keras tensor (the output of calling layers on "
                            "the input)"), fn=fn, type=type(bad[0]).__name__)
    return keras.Model(inputs if multi else inputs[0], out)


def _recreate(module, origin: dict):
    """The model of an earlier ``build`` or ``call`` request, made again (with weights) for a ``run`` or
    ``train`` request: the judge could not rebuild it, so it is run here."""
    import keras
    if origin.get("op") == "build":
        return _build(module, origin["fn"], origin["shapes"], origin.get("args", ()), origin.get("kwargs"))
    model = call(module, origin["fn"], origin.get("args", ()), origin.get("kwargs"))
    if not isinstance(model, keras.Model):
        raise _BadResult(N_("{fn} returned {type}, expected a keras.Model"), fn=origin["fn"], type=type(model).__name__)
    return model


def _train_reproducibly(seed: int) -> None:
    """Before a ``train`` request makes the model again: one thread per op where TensorFlow's runtime has not
    started in this child (the judge's own training runs so: the same sums on every machine), and the check's
    seed drawn before the model's starting weights are, so that a seed gives the same training every time
    (a calibration on ten seeds is then a calibration)."""
    import keras
    try:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except (ImportError, RuntimeError, ValueError, AttributeError):  # started already: left as it is
        pass
    keras.utils.set_random_seed(seed % 2**32)


def _weightless(on: bool):
    """``no_weights()`` when the exercise needs no weights from the child (``Exercise.child_weights``):
    creating a dense block's variables took half of building it (0.05 of 0.09 s), and only its config is
    sent."""
    return no_weights() if on else contextlib.nullcontext()


class _BadResult(wire.MessageError):
    pass


def _confined(expect: dict) -> bool:
    """Is this child inside the sandbox the judge asked for (its user, its hidden folders)?"""
    if expect.get("uid") is not None and os.getuid() != expect["uid"]:
        return False
    return not any(os.path.exists(p) and os.listdir(p) for p in expect.get("absent", ()) if os.path.isdir(p))


def run_job(chan, job: dict, *, posix_limits: bool, drop_uid: bool = False) -> None:
    """Load the submission of ``job`` and answer requests on ``chan`` until the judge
    closes it.  The backend has already sent descriptors 1 and 2 to the judge's
    output sink; ``posix_limits`` applies rlimits and a process group of its own."""
    scratch = job["scratch"]
    if posix_limits:
        os.setsid()  # its own process group: the judge kills the whole group
    if not _confined(job.get("confinement") or {}):
        chan.send({"status": "unconfined"})  # never run student code outside the walls the judge expects
        os._exit(0)
    chan.send({"status": "started"})  # the import time limit counts from here
    _one_inter_op_thread()
    for var in [k for k in os.environ if k.startswith("GRADE")]:
        del os.environ[var]
    os.environ["HOME"] = scratch
    if drop_uid:
        _drop_to_nobody()
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
    except OSError:
        pass
    sys.stdout = open(1, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")
    os.chdir(scratch)
    for name in job.get("recipe_modules", ()):
        importlib.import_module(name)
    if posix_limits:
        _limit(job["memory_mb"])
    if job.get("block_solutions", True):
        sys.meta_path.insert(0, _BlockSolutions())
    sys.setrecursionlimit(RECURSION_LIMIT)

    module_name = job["module_name"]
    source = os.path.join(scratch, f"{module_name}.py")
    with open(source, "w", encoding="utf-8") as f:
        f.write(job["source_text"])
    try:
        module = load_module(source, module_name)
    except BaseException as e:  # noqa: BLE001 -- anything the import does is reported
        chan.send({"status": "import_error", "kind": _classify(e, source),
                   "syntax": isinstance(e, SyntaxError), **describe_exception(e, source)})
        os._exit(0)
    chan.send({"status": "ready"})

    while True:
        try:
            req, payload = chan.recv()
        except wire.WireError:
            os._exit(0)
        op = req.get("op")
        sys.setrecursionlimit(RECURSION_LIMIT)  # the grader's limit, whatever the submission set
        try:
            if "seed" in req:
                _seed(req["seed"])
            if op == "call":
                value = call(module, req["fn"], payload["args"], payload["kwargs"])
            elif op == "build":
                with _weightless(not job.get("weights", True) and not req.get("with_weights")):
                    value = _build(module, req["fn"], payload["shapes"], payload["args"], payload["kwargs"])
            elif op == "recipe":
                value = RECIPES[req["name"]](module, *payload["args"], **payload["kwargs"])
            elif op == "run":
                from grader.core import lowering
                value = lowering.run(_recreate(module, payload["origin"]), payload["inputs"],
                                     payload.get("values"), payload.get("assignments"))
            elif op == "train":
                from grader.core import lowering
                _train_reproducibly(int(payload["training"]["seed"]))
                value = lowering.train(_recreate(module, payload["origin"]), **payload["training"])
            else:
                raise RuntimeError(f"unknown request {op!r}")
            try:
                chan.send({"status": "ok"}, value, with_weights=bool(req.get("with_weights")),
                          input_shapes=req.get("input_shape"))
            except wire.WireError as e:
                chan.send({"status": "error", "kind": "bad_result", "type": "WireError",
                           "message": str(e), "where": "", "msgid": e.msgid, "params": e.params})
        except Missing as e:
            chan.send({"status": "error", "kind": "missing", "type": "AttributeError",
                       "message": str(e), "where": "", "fn": e.fn, "msgid": e.msgid, "params": e.params})
        except _BadResult as e:
            chan.send({"status": "error", "kind": "bad_result", "type": "TypeError",
                       "message": str(e), "where": "", "msgid": e.msgid, "params": e.params})
        except BaseException as e:  # noqa: BLE001
            chan.send({"status": "error", "kind": _classify(e, source), **describe_exception(e, source)})


def _one_inter_op_thread() -> None:
    """One TensorFlow inter-op thread in a child (before anything starts TensorFlow's runtime).  A child's
    small models gain nothing from running independent ops side by side, and the idle threads of the
    pool spin: ex08's training took 6.3 CPU-seconds with the default pool and 4.5 with one thread (5.0
    and 4.7 s of wall time), with the same test MSE to the last digit.  Every CPU-second a child saves
    is one the judge, or another child, can use."""
    tf = sys.modules.get("tensorflow")  # preloaded by the fork server (or the spawned child)
    if tf is None:
        return
    try:
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except (RuntimeError, AttributeError):  # the runtime has started already: leave it as it is
        pass


def _seed(seed: int) -> None:
    import random

    import numpy as np
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if "keras" in sys.modules:
        import keras
        keras.utils.set_random_seed(seed % 2**32)
