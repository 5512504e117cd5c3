"""Plain-data messages between the judge and the child: JSON plus .npy blobs.

Never pickle: what comes back from student code is decoded with ``json`` and
``np.load(allow_pickle=False)`` only, so a forged message can at worst be a
wrong answer.  Framing on a file descriptor: an 8-byte big-endian length, then
the bytes; a message is one JSON frame followed by the number of .npy frames
the JSON announces.
"""
from __future__ import annotations

import io
import json
import math
import os
import select
import struct
import time
from typing import Any, Callable

import numpy as np

from .i18n import N_

MAX_MESSAGE_BYTES = 768 * 2**20  # a reply larger than this is refused
# The JSON part of a reply (configs, plain values; arrays travel as .npy): decoding JSON
# costs the judge many times its size in Python objects, so it has its own, smaller cap.
MAX_JSON_BYTES = 32 * 2**20


class MessageError(Exception):
    """An error whose message crosses the pipe untranslated: ``msgid`` is an
    English message marked with ``N_`` and filled from ``params`` (strings);
    the judge translates it (``sandbox``), since the child cannot know the
    language."""

    def __init__(self, msgid: str = "", **params: str):
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid, self.params = msgid, params


class WireError(MessageError):
    pass


class ChildGone(WireError):
    """The other end closed the pipe (the child exited or was killed)."""


class WireTimeout(WireError):
    pass


class StudentModel:
    """A Keras model as the child saw it: its config, and weights if asked for."""

    def __init__(self, config: dict, weights: list[np.ndarray] | None):
        self.config = config
        self.weights = weights

    def __repr__(self) -> str:
        return f"<model {self.config.get('class_name', '?')}>"


class Unsupported:
    """A value of a type that cannot cross the wire (the judge reports its type)."""

    def __init__(self, type_name: str, text: str):
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.text}>"


# Extra encoders for types only some exercises return (a matplotlib Figure, ...).
# Each takes the value and returns a JSON-able replacement or NotImplemented.
ENCODERS: list[Callable[[Any, "Encoder"], Any]] = []


class Encoder:
    def __init__(self, with_weights: bool = False):
        self.blobs: list[bytes] = []
        self.with_weights = with_weights

    def array(self, a: np.ndarray) -> dict:
        a = np.asarray(a)
        if a.dtype == object:
            raise WireError(N_("an array of Python objects (dtype=object) cannot be graded; return numbers"))
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        self.blobs.append(buf.getvalue())
        return {"__nd__": len(self.blobs) - 1}

    def encode(self, v: Any, depth: int = 0) -> Any:
        if depth > 50:
            raise WireError(N_("the value is nested too deeply"))
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v
        if isinstance(v, float):
            return v if math.isfinite(v) else {"__float__": repr(v)}
        if isinstance(v, np.generic):
            return self.encode(v.item(), depth + 1)
        if isinstance(v, np.ndarray):
            return self.array(v)
        if isinstance(v, tuple):
            return {"__tuple__": [self.encode(x, depth + 1) for x in v]}
        if isinstance(v, list):
            return [self.encode(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {"__dict__": [[self.encode(k, depth + 1), self.encode(x, depth + 1)] for k, x in v.items()]}
        if isinstance(v, StudentModel):
            return {"__model__": v.config,
                    "weights": None if v.weights is None else [self.array(w) for w in v.weights]}
        for enc in ENCODERS:
            out = enc(v, self)
            if out is not NotImplemented:
                return out
        keras_value = _encode_keras(v, self)
        if keras_value is not NotImplemented:
            return keras_value
        return {"__unsupported__": type(v).__name__, "text": repr(v)[:200]}


def _encode_keras(v: Any, enc: Encoder) -> Any:
    import sys
    if "keras" not in sys.modules:
        return NotImplemented
    import keras
    if isinstance(v, keras.Model):
        config = keras.saving.serialize_keras_object(v)
        weights = [np.asarray(w) for w in v.get_weights()] if enc.with_weights else None
        return enc.encode(StudentModel(json.loads(json.dumps(config, default=_json_default)), weights))
    if isinstance(v, keras.KerasTensor):
        return {"__unsupported__": "KerasTensor", "text": f"symbolic tensor of shape {v.shape}"}
    if hasattr(v, "numpy") or type(v).__name__ in ("EagerTensor", "Variable"):
        try:
            return enc.array(keras.ops.convert_to_numpy(v))
        except Exception:
            return NotImplemented
    return NotImplemented


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return repr(o)


def decode(obj: Any, blobs: list[bytes]) -> Any:
    if isinstance(obj, list):
        return [decode(x, blobs) for x in obj]
    if not isinstance(obj, dict):
        return obj
    if "__nd__" in obj:
        return np.load(io.BytesIO(blobs[obj["__nd__"]]), allow_pickle=False)
    if "__float__" in obj:
        return float(obj["__float__"])
    if "__tuple__" in obj:
        return tuple(decode(x, blobs) for x in obj["__tuple__"])
    if "__dict__" in obj:
        return {_hashable(decode(k, blobs)): decode(v, blobs) for k, v in obj["__dict__"]}
    if "__model__" in obj:
        w = obj.get("weights")
        return StudentModel(obj["__model__"], None if w is None else [decode(x, blobs) for x in w])
    if "__unsupported__" in obj:
        return Unsupported(obj["__unsupported__"], obj.get("text", ""))
    return {k: decode(v, blobs) for k, v in obj.items()}


def _hashable(k: Any) -> Any:
    return tuple(k) if isinstance(k, list) else k


# ---------------------------------------------------------------- framing

def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def send(fd: int, header: dict, value: Any = None, with_weights: bool = False) -> None:
    """Send ``header`` with ``value`` encoded under the key "value"."""
    enc = Encoder(with_weights=with_weights)
    msg = dict(header)
    if value is not None:
        msg["value"] = enc.encode(value)
    msg["blobs"] = len(enc.blobs)
    body = json.dumps(msg, default=_json_default).encode()
    total = len(body) + sum(len(b) for b in enc.blobs)
    if len(body) > MAX_JSON_BYTES:
        raise WireError(N_("the result is too large to grade ({size} MB of plain values; return numpy arrays)"),
                        size=f"{len(body) / 2**20:.0f}")
    if total > MAX_MESSAGE_BYTES:
        raise WireError(N_("the result is too large to grade ({size} MB)"), size=f"{total / 2**20:.0f}")
    out = [struct.pack(">Q", len(body)), body]
    for b in enc.blobs:
        out += [struct.pack(">Q", len(b)), b]
    _write_all(fd, b"".join(out))


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WireTimeout()
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                raise WireTimeout()
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise ChildGone()
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None, budget: list[int], cap: int | None = None) -> bytes:
    (n,) = struct.unpack(">Q", _read_exact(fd, 8, deadline))
    if cap is not None and n > cap:
        raise WireError(N_("the result is too large to grade"))
    budget[0] -= n
    if budget[0] < 0:
        raise WireError(N_("the result is too large to grade"))
    return _read_exact(fd, n, deadline)


def recv(fd: int, deadline: float | None = None) -> tuple[dict, Any]:
    """Receive one message; returns (header, decoded value or None)."""
    budget = [MAX_MESSAGE_BYTES]
    try:
        header = json.loads(_read_frame(fd, deadline, budget, MAX_JSON_BYTES))
        if not isinstance(header, dict):
            raise ValueError("not an object")
        blobs = [_read_frame(fd, deadline, budget) for _ in range(int(header.get("blobs", 0)))]
        value = decode(header["value"], blobs) if "value" in header else None
    except (ValueError, KeyError, TypeError, IndexError, struct.error) as e:
        raise WireError(N_("an unreadable message came back ({error})"), error=str(e)) from None
    return header, value
