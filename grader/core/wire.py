"""Plain-data messages between the judge and the child: JSON plus .npy blobs.

Never pickle: what comes back from student code is decoded with ``json`` and
``np.load(allow_pickle=False)`` only, so a forged message can at worst be a
wrong answer.  Framing on a file descriptor: an 8-byte big-endian length, then
the bytes; a message is one JSON frame followed by the number of .npy frames
the JSON announces.
"""
from __future__ import annotations

import dataclasses
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


class FactsError(ValueError):
    """Facts that do not have their declared type (a forged or broken reply)."""


def _text(v: Any, what: str, limit: int = 300) -> str:
    if not isinstance(v, str) or len(v) > limit:
        raise FactsError(f"{what}: not a short text")
    return v


def _count(v: Any, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**53:
        raise FactsError(f"{what}: not a count")
    return v


def _shape(v: Any, what: str) -> tuple:
    if not isinstance(v, (list, tuple)) or len(v) > 8:
        raise FactsError(f"{what}: not a shape")
    return tuple(None if d is None else _count(d, what) for d in v)


def _setting(kv: Any) -> tuple:
    """(key, value) of a layer's config: a number, a text, None, or a short list of numbers."""
    if not isinstance(kv, (list, tuple)) or len(kv) != 2:
        raise FactsError("a setting is not a pair")
    key, value = _text(kv[0], "setting", 60), kv[1]
    if isinstance(value, (list, tuple)):
        items = _items(value, "setting", 8)
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
            raise FactsError("a setting holds something else than numbers")
        return key, tuple(items)
    if value is None or isinstance(value, (bool, int, float)):
        return key, value
    return key, _text(value, "setting", 100)


def _pair(v: Any) -> tuple:
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise FactsError("not a pair")
    return tuple(v)


def _index(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not -1 <= v < 2**31:
        raise FactsError("an index is not a small integer")
    return v


def _items(v: Any, what: str, limit: int) -> list:
    if not isinstance(v, (list, tuple)) or len(v) > limit:
        raise FactsError(f"{what}: not a list of at most {limit}")
    return list(v)


@dataclasses.dataclass(frozen=True)
class LayerFact:
    """One layer of a model the child could not write with built-in layers, as the child measured it while
    the model ran (``grader.core.lowering.opaque_layers``): its class (``builtin`` when it is Keras's), the
    shape of its output without the batch, its parameters, its activation by behaviour, padding and strides."""

    cls: str
    builtin: bool
    output_shape: tuple
    params: int
    activation: str | None = None
    padding: str | None = None
    strides: tuple | None = None
    weights: tuple = ()  # the shapes of the layer's own weights
    weight_indices: tuple = ()  # ... and their places in model.weights (a run's reply)
    epsilon: float | None = None  # a normalization layer's
    settings: tuple = ()  # a built-in layer's plain config values ((key, value) pairs: numbers, texts, pairs)

    @classmethod
    def from_wire(cls, d: Any) -> "LayerFact":
        if not isinstance(d, dict):
            raise FactsError("a layer fact is not an object")
        eps = d.get("epsilon")
        if eps is not None and (isinstance(eps, bool) or not isinstance(eps, (int, float)) or not math.isfinite(eps)):
            raise FactsError("epsilon: not a number")
        return cls(_text(d.get("cls"), "cls", 100), bool(d.get("builtin")), _shape(d.get("output_shape"), "shape"),
                   _count(d.get("params"), "params"),
                   None if d.get("activation") is None else _text(d["activation"], "activation", 40),
                   None if d.get("padding") is None else _text(d["padding"], "padding", 20),
                   None if d.get("strides") is None else _shape(d["strides"], "strides"),
                   tuple(_shape(w, "weight") for w in _items(d.get("weights", ()), "weights", 64)),
                   tuple(_index(i) for i in _items(d.get("weight_indices", ()), "weight_indices", 64)),
                   None if eps is None else float(eps),
                   tuple(_setting(kv) for kv in _items(d.get("settings", ()), "settings", 40)))


@dataclasses.dataclass(frozen=True)
class ModelFacts:
    """What the child measured of a model, beside its config.  Typed and validated when it arrives
    (``from_wire``): the judge reads fields, never a dictionary by key, and checks each fact it can
    against the model it rebuilt (``spec.rebuild``).

    ``written_as``: "sequential", "functional" or "subclassed"; ``opened``: what the child translated to
    built-in layers (a Layer subclass, ``tf.nn.relu``, ...), in words; ``opaque``: why the model could not be
    written with built-in layers (None when it was: the config is then the model); ``custom_init``: an
    initializer of the student's own (the weights sent are the student's initial weights)."""

    written_as: str
    input_shapes: tuple
    output_shapes: tuple
    params: int
    trainable_params: int
    compiled: bool
    optimizer: str | None = None
    learning_rate: float | None = None
    loss: str | None = None
    opened: tuple = ()
    opaque: str | None = None
    opaque_id: str | None = None  # ... as a message the judge translates: msgid and (name, value) params
    opaque_params: tuple = ()
    custom_init: bool = False
    layers: tuple = ()

    MAX_LAYERS = 5000

    def to_wire(self) -> dict:
        d = dataclasses.asdict(self)
        d["layers"] = [dataclasses.asdict(x) for x in self.layers]
        return d

    @classmethod
    def from_wire(cls, d: Any) -> "ModelFacts":
        if not isinstance(d, dict):
            raise FactsError("the facts are not an object")
        lr = d.get("learning_rate")
        if lr is not None and (isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr)):
            raise FactsError("learning_rate: not a number")
        return cls(
            written_as=_text(d.get("written_as"), "written_as", 20),
            input_shapes=tuple(_shape(s, "input shape") for s in _items(d.get("input_shapes"), "inputs", 16)),
            output_shapes=tuple(_shape(s, "output shape") for s in _items(d.get("output_shapes"), "outputs", 16)),
            params=_count(d.get("params"), "params"),
            trainable_params=_count(d.get("trainable_params"), "trainable_params"),
            compiled=bool(d.get("compiled")),
            optimizer=None if d.get("optimizer") is None else _text(d["optimizer"], "optimizer", 100),
            learning_rate=None if lr is None else float(lr),
            loss=None if d.get("loss") is None else _text(d["loss"], "loss", 200),
            opened=tuple(_text(x, "opened") for x in _items(d.get("opened", ()), "opened", 200)),
            opaque=None if d.get("opaque") is None else _text(d["opaque"], "opaque", 500),
            opaque_id=None if d.get("opaque_id") is None else _text(d["opaque_id"], "opaque_id", 300),
            opaque_params=tuple((_text(k, "param", 40), _text(v, "param", 300))
                                for k, v in (_pair(x) for x in _items(d.get("opaque_params", ()), "params", 8))),
            custom_init=bool(d.get("custom_init")),
            layers=tuple(LayerFact.from_wire(x) for x in _items(d.get("layers", ()), "layers", cls.MAX_LAYERS)),
        )


@dataclasses.dataclass(frozen=True)
class ModelRun:
    """The reply to a ``run`` request (``grader.core.lowering.run``): the layer calls of a model the child
    could not write with built-in layers, as they happened, and its outputs (``outputs[0]`` with its own
    weights, then one per assignment of the judge's weights)."""

    layers: tuple
    outputs: tuple

    MAX_OUTPUTS = 64

    def to_wire(self, enc: "Encoder") -> dict:
        return {"__run__": {"layers": [dataclasses.asdict(x) for x in self.layers],
                            "outputs": [[enc.array(a) for a in out] for out in self.outputs]}}

    @classmethod
    def from_wire(cls, d: Any, blobs: list[bytes]) -> "ModelRun":
        if not isinstance(d, dict):
            raise FactsError("a run is not an object")
        outputs = []
        for out in _items(d.get("outputs"), "outputs", cls.MAX_OUTPUTS):
            arrays = tuple(decode(a, blobs) for a in _items(out, "output", 16))
            if not all(isinstance(a, np.ndarray) for a in arrays):
                raise FactsError("an output is not an array")
            outputs.append(arrays)
        return cls(tuple(LayerFact.from_wire(x) for x in _items(d.get("layers"), "layers", ModelFacts.MAX_LAYERS)),
                   tuple(outputs))


@dataclasses.dataclass(frozen=True)
class TrainingRun:
    """The reply to a ``train`` request (``grader.core.lowering.train``): the per-epoch values ``fit``
    reported (loss, accuracy, ...), the model's class probabilities on the images the judge sent (without
    their labels), and whether the CPU budget stopped the training."""

    history: dict
    probabilities: np.ndarray
    exceeded: bool

    def to_wire(self, enc: "Encoder") -> dict:
        return {"__training__": {"history": {k: list(v) for k, v in self.history.items()},
                                 "probabilities": enc.array(self.probabilities), "exceeded": bool(self.exceeded)}}

    @classmethod
    def from_wire(cls, d: Any, blobs: list[bytes]) -> "TrainingRun":
        if not isinstance(d, dict) or not isinstance(d.get("history"), dict) or len(d["history"]) > 10:
            raise FactsError("a training run is not an object with a history")
        history = {}
        for k, vs in d["history"].items():
            values = _items(vs, "history", 1000)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                raise FactsError("a history holds something else than numbers")
            history[_text(k, "history key", 40)] = tuple(float(v) for v in values)
        probs = decode(d.get("probabilities"), blobs)
        if not isinstance(probs, np.ndarray) or probs.ndim != 2 or probs.dtype.kind != "f":
            raise FactsError("the probabilities are not a 2-D array of numbers")
        return cls(history, probs, bool(d.get("exceeded")))


class StudentModel:
    """A Keras model as the child saw it: its config (None when it could not be written with built-in
    layers: ``facts.opaque`` says why), weights if asked for (or if ``facts.custom_init``), and the typed facts
    the child measured (``ModelFacts``; None for a model the judge itself sends to a child)."""

    def __init__(self, config: dict | None, weights: list[np.ndarray] | None, facts: "ModelFacts | None" = None):
        self.config = config
        self.weights = weights
        self.facts = facts

    def __repr__(self) -> str:
        return f"<model {(self.config or {}).get('class_name', '?')}>"


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
    def __init__(self, with_weights: bool = False, input_shapes: Any = None):
        self.blobs: list[bytes] = []
        self.with_weights = with_weights
        self.input_shapes = input_shapes  # what a model that has no inputs of its own is traced on

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
        if isinstance(v, (ModelRun, TrainingRun)):
            return v.to_wire(self)
        if isinstance(v, StudentModel):
            return {"__model__": v.config,
                    "weights": None if v.weights is None else [self.array(w) for w in v.weights],
                    "facts": None if v.facts is None else v.facts.to_wire()}
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
    if isinstance(v, keras.Model):  # (the child encodes models with grader.core.lowering's encoder, first)
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
    if "__run__" in obj:
        return ModelRun.from_wire(obj["__run__"], blobs)
    if "__training__" in obj:
        return TrainingRun.from_wire(obj["__training__"], blobs)
    if "__model__" in obj:
        w, facts = obj.get("weights"), obj.get("facts")
        config = obj["__model__"]
        if config is not None and not isinstance(config, dict):
            raise FactsError("a model's config is not an object")
        return StudentModel(config, None if w is None else [decode(x, blobs) for x in w],
                            None if facts is None else ModelFacts.from_wire(facts))
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


def encode_message(header: dict, value: Any = None, with_weights: bool = False, input_shapes: Any = None) -> bytes:
    """The bytes of one message: ``header`` with ``value`` encoded under the key "value"."""
    enc = Encoder(with_weights=with_weights, input_shapes=input_shapes)
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


def send(fd: int, header: dict, value: Any = None, with_weights: bool = False, input_shapes: Any = None) -> None:
    """Send ``header`` with ``value`` encoded under the key "value"."""
    _write_all(fd, encode_message(header, value, with_weights, input_shapes))


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

    def send(self, header: dict, value: Any = None, with_weights: bool = False, input_shapes: Any = None) -> None:
        send(self.fd, header, value, with_weights, input_shapes)

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

    def send(self, header: dict, value: Any = None, with_weights: bool = False, input_shapes: Any = None) -> None:
        self.conn.send_bytes(encode_message(header, value, with_weights, input_shapes))

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
