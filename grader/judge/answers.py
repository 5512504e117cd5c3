"""Expected values whose truth is not Keras's own layer (issue #27, part 7): the code stays with the instructor.

    ANSWERS = answers.Table("ex06_vision_applications")
    want = ANSWERS("nms", boxes, scores, max_outputs, threshold, suppress=False)

In the instructor's grader the value is computed by the function of that name in
``grader/answers/<module>.py`` -- the instructor's side, which ``grade release`` leaves out.  In the student
release that package is missing, and the value is read from ``grader/checks/<module>.answers.json``, written
by ``grade release``: the values its public checks asked for when it ran them on the reference solution
(``record``).  Both read the value back through the same JSON form, so a check gives the same verdict either
way.  A case the release holds no value for (a hidden check's) is NOT_ATTEMPTED there: the hidden checks
run with the instructor's grader.

The quizzes' formulas are a table too, ``Table("formulas", home="quizzes")``: computed by
``grader/answers/formulas.py``, released as ``grader/quizzes/formulas.answers.json`` (the values of every
question of the bank, ``grader.judge.quizkit``).

Without Keras, so that a check module imports it without importing Keras.
"""
from __future__ import annotations

import contextlib
import fractions
import hashlib
import importlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from grader.core.errors import NotAttempted
from grader.core.i18n import _

MEMO = 4096  # cases of a table kept computed in a process (the oldest goes first)
PACKAGE = "grader.answers"  # the instructor's side: not in the release
SUFFIX = ".answers.json"  # next to the module that asks (a check module's, the quizzes'), in the release only
FULL_KEY = 32  # hex digits of a case's key
_recording: "dict[str, dict[str, Any]] | None" = None  # module -> {key: encoded value}, while grade release records
_blind = False  # while grade release holds the release's functions against the solutions (answers.blind)


def _float32_numbers(value: np.ndarray) -> list:
    """A float32 array's numbers as the shortest decimals that read back as the same float32 (``0.33333334``,
    not the 17 digits of its float64): a table of float32 values takes half the room.  Each number is checked
    to read back; one that would not (a decimal read through float64 could round twice) keeps its float64."""
    short = value.astype(str).astype(np.float64)
    same = (short.astype(np.float32) == value) | np.isnan(value)
    return np.where(same, short, value.astype(np.float64)).tolist()


def encode(value: Any) -> Any:
    """A value as JSON: arrays with their dtype and shape, tuples told from lists, numpy scalars typed,
    fractions exact."""
    if isinstance(value, np.ndarray):
        numbers = _float32_numbers(value) if value.dtype == np.float32 else value.tolist()
        return {"array": numbers, "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return {"scalar": value.item(), "dtype": value.dtype.str}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, fractions.Fraction):
        return {"fraction": [value.numerator, value.denominator]}
    if isinstance(value, float) and not np.isfinite(value):
        return {"float": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"answers: cannot keep a {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "array" in value:
        return np.asarray(value["array"], dtype=np.dtype(value["dtype"])).reshape(value["shape"])
    if "scalar" in value:
        return np.dtype(value["dtype"]).type(value["scalar"])
    if "tuple" in value:
        return tuple(decode(v) for v in value["tuple"])
    if "dict" in value:
        return {decode(k): decode(v) for k, v in value["dict"]}
    if "float" in value:
        return float(value["float"])
    if "fraction" in value:
        return fractions.Fraction(*value["fraction"])
    raise ValueError(f"answers: unreadable value {value!r}")


def key(name: str, args: tuple, kwargs: dict) -> str:
    """The case's key: its function and arguments, as the same JSON on every platform and numpy."""
    def plain(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            v = np.ascontiguousarray(v)
            return {"a": v.dtype.str, "s": list(v.shape), "h": hashlib.sha256(v.tobytes()).hexdigest()}
        if isinstance(v, np.generic):
            return plain(v.item())
        if isinstance(v, (tuple, list)):
            return [type(v).__name__, [plain(x) for x in v]]
        if isinstance(v, dict):
            return ["dict", sorted([str(k), plain(x)] for k, x in v.items())]
        if isinstance(v, float):
            return ["float", repr(v)]
        return v
    text = json.dumps([name, plain(list(args)), plain(dict(kwargs))], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:FULL_KEY]


def _computed(code, name: str, *args: Any, **kwargs: Any) -> Any:
    """The value of ``code.<name>(*args, **kwargs)`` in its JSON form."""
    return encode(getattr(code, name)(*args, **kwargs))


class Table:
    """The expected values of one exercise: ``table(name, *args, **kwargs)``.  ``home``: the package of
    ``grader`` whose folder holds the released values (``grader/<home>/<module>.answers.json``);
    ``key_chars``: how much of each case's key they are kept under (a table of thousands of small values
    keeps a shorter one, and ``record`` refuses two values under one shortened key)."""

    def __init__(self, module: str, home: str = "checks", key_chars: int = FULL_KEY):
        self.module = module
        self.home = home
        self.key_chars = key_chars
        self._code = None
        self._values: dict | None = None
        self._computed: dict[str, Any] = {}  # full key -> JSON form: each case computed once per process

    def _instructor(self):
        """The instructor's module, when it is beside this grader (``grader/answers/<module>.py``); False in
        the student release.  Looked for as a file next to this package, not through the import system: an
        installed course elsewhere on the path must not answer for the release."""
        if self._code is None:
            here = Path(__file__).resolve().parents[1] / PACKAGE.split(".")[1] / f"{self.module}.py"
            self._code = importlib.import_module(f"{PACKAGE}.{self.module}") if here.is_file() else False
        return self._code

    def released_path(self, grader: Path) -> Path:
        """Where the values are released, in the ``grader`` folder given."""
        return grader / self.home / f"{self.module}{SUFFIX}"

    def _released(self) -> dict:
        if self._values is None:
            path = self.released_path(Path(__file__).resolve().parents[1])
            self._values = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return self._values

    def __call__(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if _blind:
            raise LookupError("answers.blind(): no table answers while the release is searched for answers")
        full = key(name, args, kwargs)
        k = full[:self.key_chars]
        code = self._instructor()
        if code:
            # A case's value depends on its arguments alone: a warm server or a batch worker builds ex05's
            # reference blocks once, not at every grade (they were 2.2 s of its 11).  Kept in its JSON form
            # (the last MEMO cases), so every caller gets its own copy from the decoding below.
            value = self._computed.get(full)
            if value is None:
                value = self._computed[full] = _computed(code, name, *args, **kwargs)
                if len(self._computed) > MEMO:
                    self._computed.pop(next(iter(self._computed)))
            if _recording is not None:
                kept = _recording.setdefault(self.module, {})
                if self.key_chars < FULL_KEY and k in kept and json.dumps(kept[k]) != json.dumps(value):
                    raise ValueError(f"answers: {self.module} has two values under the short key {k} ({name})")
                kept[k] = value
        else:
            try:
                value = self._released()[k]
            except KeyError:
                raise NotAttempted(_("this case's expected value is not in the student release: the hidden "
                                     "checks run with your instructor's grader")) from None
        return decode(json.loads(json.dumps(value)))


@contextlib.contextmanager
def record():
    """Note every value the tables compute meanwhile: {module: {key: value}} (``grade release``)."""
    global _recording
    saved, _recording = _recording, {}
    try:
        yield _recording
    finally:
        _recording = saved


@contextlib.contextmanager
def blind():
    """No table answers meanwhile (LookupError): ``grade release`` holds every function of the release
    against the solutions, and a function that only looks up the values shipped is no answer's code."""
    global _blind
    saved, _blind = _blind, True
    try:
        yield
    finally:
        _blind = saved
