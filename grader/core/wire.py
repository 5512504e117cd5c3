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

from grader.core.i18n import N_

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
#
# A message is one JSON frame followed by the .npy frames it announces; each
# frame is an 8-byte big-endian length and the bytes.  Two channels carry it:
# ``FdChannel`` (a raw POSIX descriptor, waited on with ``select``: the Linux
# fork-server backend) and ``ConnChannel`` (a ``multiprocessing`` Connection,
# read by a thread so that a deadline works on every platform, Windows pipes
# included: the portable backend).  ``send(fd, ...)`` / ``recv(fd, ...)`` keep
# working on a bare descriptor.

def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def encode_message(header: dict, value: Any = None, with_weights: bool = False) -> bytes:
    """The bytes of one message: ``header`` with ``value`` encoded under the key "value"."""
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
    return b"".join(out)


def send(fd: int, header: dict, value: Any = None, with_weights: bool = False) -> None:
    """Send ``header`` with ``value`` encoded under the key "value"."""
    _write_all(fd, encode_message(header, value, with_weights))


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


def _decode_message(read_frame: Callable[..., bytes]) -> tuple[dict, Any]:
    """``read_frame(cap)`` returns the next frame, refusing one longer than ``cap`` bytes."""
    try:
        header = json.loads(read_frame(MAX_JSON_BYTES))
        if not isinstance(header, dict):
            raise ValueError("not an object")
        blobs = [read_frame() for _ in range(int(header.get("blobs", 0)))]
        value = decode(header["value"], blobs) if "value" in header else None
    except (ValueError, KeyError, TypeError, IndexError, struct.error) as e:
        raise WireError(N_("an unreadable message came back ({error})"), error=str(e)) from None
    return header, value


def recv(fd: int, deadline: float | None = None) -> tuple[dict, Any]:
    """Receive one message from a descriptor; returns (header, decoded value or None)."""
    budget = [MAX_MESSAGE_BYTES]

    def read_frame(cap: int | None = None) -> bytes:
        (n,) = struct.unpack(">Q", _read_exact(fd, 8, deadline))
        if cap is not None and n > cap:
            raise WireError(N_("the result is too large to grade"))
        budget[0] -= n
        if budget[0] < 0:
            raise WireError(N_("the result is too large to grade"))
        return _read_exact(fd, n, deadline)
    return _decode_message(read_frame)


def decode_message(data: bytes) -> tuple[dict, Any]:
    """Decode the bytes of one whole message (``encode_message``'s inverse)."""
    view, pos = memoryview(data), [0]

    def read_frame(cap: int | None = None) -> bytes:
        if pos[0] + 8 > len(view):
            raise ValueError("truncated frame")
        (n,) = struct.unpack(">Q", view[pos[0]:pos[0] + 8])
        if cap is not None and n > cap:
            raise WireError(N_("the result is too large to grade"))
        start, pos[0] = pos[0] + 8, pos[0] + 8 + n
        if pos[0] > len(view):
            raise ValueError("truncated frame")
        return bytes(view[start:pos[0]])
    return _decode_message(read_frame)


class FdChannel:
    """A raw descriptor (POSIX): the deadline is kept with ``select``."""

    def __init__(self, fd: int):
        self.fd = fd

    def send(self, header: dict, value: Any = None, with_weights: bool = False) -> None:
        send(self.fd, header, value, with_weights)

    def recv(self, deadline: float | None = None) -> tuple[dict, Any]:
        return recv(self.fd, deadline)

    def poll(self, timeout: float) -> bool:
        r, _w, _x = select.select([self.fd], [], [], timeout)
        return bool(r)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class ConnChannel:
    """A ``multiprocessing`` Connection, whole messages as ``send_bytes`` frames.

    On the judge's side (``threaded=True``) a daemon thread receives, so that
    waiting has a deadline on every platform (``select`` cannot wait on a
    Windows pipe) and a child that sends half a message cannot block the judge:
    when the deadline passes the judge kills the child, the pipe closes and the
    thread ends.  The child's side reads directly."""

    _GONE = object()

    def __init__(self, conn, threaded: bool = False):
        self.conn = conn
        self._pending: Any = None
        self._queue = None
        if threaded:
            import queue
            import threading
            self._queue = queue.SimpleQueue()
            threading.Thread(target=self._pump, name="grader-wire", daemon=True).start()

    def _pump(self) -> None:
        while True:
            try:
                data = self.conn.recv_bytes(MAX_MESSAGE_BYTES + 2**20)
            except (EOFError, OSError, ValueError) as e:  # closed, or a length over the limit
                self._queue.put(self._GONE if isinstance(e, EOFError) or self.conn.closed else e)
                return
            self._queue.put(data)

    def send(self, header: dict, value: Any = None, with_weights: bool = False) -> None:
        self.conn.send_bytes(encode_message(header, value, with_weights))

    def poll(self, timeout: float) -> bool:
        if self._queue is None:
            return self.conn.poll(timeout)
        if self._pending is None:
            import queue
            try:
                self._pending = self._queue.get(timeout=max(0.0, timeout))
            except queue.Empty:
                return False
        return True

    def recv(self, deadline: float | None = None) -> tuple[dict, Any]:
        if self._queue is None:
            try:
                return decode_message(self.conn.recv_bytes(MAX_MESSAGE_BYTES + 2**20))
            except EOFError:
                raise ChildGone() from None
        left = None if deadline is None else deadline - time.monotonic()
        if not self.poll(3600.0 * 24 if left is None else left):
            raise WireTimeout()
        item, self._pending = self._pending, None
        if item is self._GONE:
            self._pending = item  # stays gone
            raise ChildGone()
        if isinstance(item, BaseException):
            raise WireError(N_("an unreadable message came back ({error})"), error=str(item))
        return decode_message(item)

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
