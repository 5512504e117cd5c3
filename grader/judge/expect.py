"""Assertions for checks.  Each raises ``Fail`` with a one-line message that
shows what was expected and what came back, side by side, and -- when the
answer equals a known wrong answer -- names that mistake."""
from __future__ import annotations

import functools
import math
from typing import Any, Mapping

import numpy as np

from grader.core.errors import Fail
from grader.core.i18n import _


@functools.lru_cache(maxsize=None)
def _msgids(lang: str) -> dict[str, str]:
    """translated text -> English msgid, for the catalogue of ``lang``."""
    from grader.core.i18n import catalogue
    out: dict[str, str] = {}
    for msgid, msgstr in sorted(catalogue(lang).items()):
        out.setdefault(msgstr, msgid)
    return out


def mistake_id(label: str) -> str:
    """The language-independent id of a mistake label: its English msgid.

    Labels arrive either untranslated (``N_("...")``, translated when shown) or
    already translated by ``_("...")`` in the check; either way the id is the
    English text the catalogue is keyed by."""
    from grader.core.i18n import get_language
    lang = get_language()
    if lang == "en":
        return label
    return _msgids(lang).get(label, label)


def _same(a: Any, b: Any, atol: float | None = None, rtol: float = 0.0) -> bool:
    try:
        if isinstance(a, (np.ndarray, list, tuple)) or isinstance(b, (np.ndarray, list, tuple)):
            a_, b_ = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a_.shape != b_.shape:
                return False
            if atol is None:
                return bool(np.array_equal(a_, b_))
            return bool(np.allclose(a_, b_, atol=atol, rtol=rtol))
        if atol is not None:
            return abs(float(a) - float(b)) <= atol + rtol * abs(float(b))
        return a == b and type(a) is not bool
    except (TypeError, ValueError):
        return False


def _named(got: Any, mistakes: Mapping[str, Any] | None, atol: float | None = None,
           rtol: float = 0.0) -> tuple[str, str | None]:
    """(the translated label, its English msgid) of the first known mistake ``got`` equals; ("", None) if none."""
    for label, wrong in (mistakes or {}).items():
        if _same(got, wrong, atol, rtol):
            # labels marked with N_() are translated here; _() ones already are
            return _(label), mistake_id(label)
    return "", None


def _labelled(message: str, label: str) -> str:
    return message + (f" -- {label}" if label else "")


def fail(message: str, hint: str | None = None, mistake: str | None = None):
    """Fail with ``message``; ``mistake`` (an English msgid, e.g. ``N_("forgot the + 1")``) names the mistake."""
    raise Fail(message, hint, mistake_id(mistake) if mistake else None)


def that(cond: bool, message: str, hint: str | None = None) -> None:
    if not cond:
        raise Fail(message, hint)


def _fmt(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"array{v.shape}"
    r = repr(v)
    return r if len(r) < 80 else r[:77] + "..."


def integer(got: Any, what: str) -> int:
    """The value as an int, failing on floats with a fraction, strings, None..."""
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        raise Fail(_("{what} returned {got} ({type}), expected an int").format(
            what=what, got=_fmt(got), type=type(got).__name__), _("Return a plain Python int."))
    if not math.isfinite(float(got)):
        raise Fail(_("{what} returned {got}, expected a whole number").format(what=what, got=repr(got)),
                   _("Look for a division by zero or 0 * inf."))
    if float(got) != int(got):
        raise Fail(_("{what} returned {got}, expected a whole number").format(what=what, got=repr(got)),
                   _("Use integer division (//) or int(...) where the formula floors."))
    return int(got)


def equal(got: Any, want: Any, what: str, mistakes: Mapping[str, Any] | None = None,
          hint: str | None = None) -> None:
    """``got == want`` (tuples and lists compare by value); names a known mistake."""
    if isinstance(want, tuple) and isinstance(got, list):
        got = tuple(got)
    if _same(got, want):
        return
    label, mistake = _named(got, mistakes)
    msg = _("{what} returned {got}, expected {want}").format(what=what, got=_fmt(got), want=_fmt(want))
    raise Fail(_labelled(msg, label), hint, mistake)


def close(got: Any, want: np.ndarray, what: str, atol: float = 1e-5, rtol: float = 1e-5,
          mistakes: Mapping[str, Any] | None = None, hint: str | None = None) -> None:
    """Numeric arrays equal to a tolerance: type, shape, NaN, then values."""
    want = np.asarray(want)
    if not isinstance(got, (np.ndarray, list, tuple, float, int, np.generic)):
        raise Fail(_("{what} returned a {type}, expected a numpy array of shape {shape}").format(
            what=what, type=type(got).__name__, shape=want.shape),
            _("Return a numpy array (np.asarray(...) converts lists and tensors)."))
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(_("{what} returned something that is not numeric").format(what=what), hint) from None
    if arr.shape != want.shape:
        label, mistake = _named(arr, mistakes, atol, rtol)
        raise Fail(_labelled(_("{what} has shape {got}, expected {want}").format(
            what=what, got=arr.shape, want=want.shape), label), hint, mistake)
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(want)):
        raise Fail(_("{what} contains NaN or inf").format(what=what),
                   hint or _("Look for a division by zero or an overflowing exp()."))
    if np.allclose(arr, want, atol=atol, rtol=rtol):
        return
    label, mistake = _named(arr, mistakes, max(atol, 1e-4), max(rtol, 1e-4))
    diff = np.abs(arr - want)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    where = _(" at index {index}").format(index=tuple(int(i) for i in idx)) if idx else ""
    msg = _("{what} differs from the expected output: max |difference| {diff:.3g}{where} "
            "(got {got:.6g}, expected {want:.6g}; tolerance {atol:g})").format(
        what=what, diff=diff.max(), where=where, got=arr[idx], want=want[idx], atol=atol)
    raise Fail(_labelled(msg, label), hint, mistake)
