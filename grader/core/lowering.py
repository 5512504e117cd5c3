"""Child side: a student's Keras model written any way, as built-in layers the judge can rebuild.

Students write the same model as a ``keras.Sequential``, a functional model, a ``keras.Model`` subclass, or
with ``keras.layers.Layer`` subclasses inside either; they spell activations ``"relu"``,
``keras.activations.relu`` or ``tf.nn.relu`` and initializers ``"he_normal"`` or
``tf.random_normal_initializer(0., 0.02)``.  The judge never runs student code, so it can only rebuild a
model made of built-in Keras layers (``grader.core.guard``).  ``lower`` runs here, in the child, where the
student's classes live, and writes the model out that way:

- **Subclassed layers and models are inlined.**  The model is called once more on ``keras.Input``s with
  every student-defined layer (and every ``Lambda``) opened: its ``call`` runs on the symbolic tensors
  itself, so the built-in layers and ``keras.ops`` it uses become the nodes of one functional graph.  The
  layers are the student's own objects: their weights are the model's weights.  A student class that
  inherits ``call`` from a built-in layer (``class MyConv(Conv2D)`` with another ``__init__``) is that
  built-in layer with the config it ended up with.
- **TensorFlow's functions on tensors** (``tf.nn.relu(x)``, ``tf.concat``, ``tf.matmul``, ...) are
  translated to ``keras.ops`` while the model is traced (``tf_ops``, TensorFlow's own dispatch), and only then.
- **Activations are identified by what they compute** (``identify_activation``): the function is run on
  probe values and compared with Keras's activations, so ``tf.nn.softmax`` (``softmax_v2``),
  ``lambda x: keras.activations.relu(x)`` and ``"relu"`` are all ``relu``/``softmax``.
- **TensorFlow-namespace initializers** (``tf.random_normal_initializer``, ``tf.initializers.HeNormal``)
  become the Keras initializer of the same class and arguments.  One Keras does not have is replaced by
  Keras's default, and the model is marked ``custom_init``: the judge then starts its training from the
  weights this child drew (the student's own initializer).

What cannot be written with built-in layers (a layer that creates its own weights with ``add_weight``, an
operation with no Keras counterpart, an activation no Keras activation matches) leaves the model
``opaque``: the judge then reads the facts measured here (``wire.ModelFacts``) and asks this child for
the model's outputs.  Nothing here decides a verdict; the judge checks what it can against what it rebuilds.
"""
from __future__ import annotations

import contextlib
import inspect
import json
import threading
from typing import Any, Callable, Iterator

import numpy as np

from grader.core.i18n import N_
from grader.core.wire import ENCODERS, MessageError

# Keras's activations, in the order they are tried: the first that matches on every probe names the function.
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu", "softplus", "softsign",
               "silu", "relu6", "leaky_relu", "hard_sigmoid", "hard_silu", "mish", "exponential", "log_softmax",
               "celu", "log_sigmoid", "hard_tanh", "squareplus", "sparse_plus", "tanh_shrink", "soft_shrink",
               "hard_shrink")
# Initializer classes with the same name and arguments in TensorFlow and Keras.
INITIALIZERS = ("RandomNormal", "RandomUniform", "TruncatedNormal", "Zeros", "Ones", "Constant", "GlorotUniform",
                "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal", "Identity",
                "VarianceScaling")
_TF_INITIALIZER_NAMES = {"random_normal_initializer": "RandomNormal", "random_uniform_initializer": "RandomUniform",
                         "truncated_normal_initializer": "TruncatedNormal", "zeros_initializer": "Zeros",
                         "ones_initializer": "Ones", "constant_initializer": "Constant",
                         "glorot_uniform_initializer": "GlorotUniform", "glorot_normal_initializer": "GlorotNormal"}


class Opaque(MessageError):
    """The model cannot be written with built-in layers; why, as a message the judge translates (``msgid`` and
    ``params`` travel in the facts: ``ModelFacts.opaque_id``)."""


# ------------------------------------------------------------------ activations
def _probes() -> list[np.ndarray]:
    rng = np.random.default_rng(20261207)
    wide = np.linspace(-9.0, 9.0, 36, dtype="float32").reshape(4, 9)  # beyond relu6's clip and hard_sigmoid's knees
    return [wide, rng.normal(0.0, 2.0, (3, 2, 7)).astype("float32"), (0.1 * wide).astype("float32")]


_PROBES: list[np.ndarray] | None = None
_REFERENCE: dict[str, list[np.ndarray]] = {}


def _reference_outputs(name: str) -> list[np.ndarray] | None:
    import keras
    if name not in _REFERENCE:
        fn = getattr(keras.activations, name, None)
        if fn is None:
            return None
        try:
            _REFERENCE[name] = [np.asarray(keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(p))))
                                for p in _probes_()]
        except Exception:  # noqa: BLE001 -- an activation this Keras spells otherwise: not a candidate
            return None
    return _REFERENCE[name]


def _probes_() -> list[np.ndarray]:
    global _PROBES
    if _PROBES is None:
        _PROBES = _probes()
    return _PROBES


def identify_activation(fn: Any) -> str | None:
    """The name of the Keras activation that ``fn`` computes on every probe, or None.  ``None`` (no
    activation) is ``linear``; a Keras activation is named without running it."""
    import keras
    if fn is None:
        return "linear"
    if isinstance(fn, str):
        try:
            fn = keras.activations.get(fn)
        except (ValueError, TypeError):
            return None
    known = _keras_activation_name(fn)
    if known is not None:
        return known
    try:
        got = [np.asarray(keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(p))), dtype="float32")
               for p in _probes_()]
    except Exception:  # noqa: BLE001 -- a function that does not run on a tensor is no activation we know
        return None
    for name in ACTIVATIONS:
        want = _reference_outputs(name)
        if want is None:
            continue
        if all(g.shape == w.shape and np.allclose(g, w, rtol=1e-4, atol=1e-5) for g, w in zip(got, want)):
            return name
    return None


def _keras_activation_name(fn: Any) -> str | None:
    """The name Keras serializes one of its own activation functions by (None for anything else)."""
    import keras
    module = getattr(fn, "__module__", "") or ""
    name = getattr(fn, "__name__", None)
    if not (module.startswith("keras.") and name and getattr(keras.activations, name, None) is fn):
        return None
    return name


# ------------------------------------------------------------------ initializers
def keras_initializer(init: Any) -> tuple[Any, bool]:
    """(the Keras initializer for ``init``, whether it is the student's own: not Keras's and not one of
    TensorFlow's with a Keras twin).  A string or a Keras initializer is kept as it is."""
    import keras
    if init is None or isinstance(init, (str, dict)) or isinstance(init, keras.initializers.Initializer):
        return init, False
    cls = type(init).__name__
    twin = _TF_INITIALIZER_NAMES.get(cls, cls)
    if twin in INITIALIZERS and type(init).__module__.startswith("tensorflow") and hasattr(init, "get_config"):
        try:
            config = dict(init.get_config())
            config.pop("dtype", None)
            return getattr(keras.initializers, twin).from_config(config), False
        except Exception:  # noqa: BLE001 -- arguments Keras does not take: the student's own after all
            pass
    return keras.initializers.get("glorot_uniform"), True


# ------------------------------------------------------------------ TensorFlow functions on symbolic tensors
def _bind(api: Callable, impl: Callable) -> Callable:
    """A dispatch target with ``api``'s own signature (TensorFlow checks it), calling ``impl(**arguments)``."""
    signature = inspect.signature(api)

    def target(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("name", None)
        for k, v in list(arguments.items()):  # *inputs (einsum), **kwargs
            if signature.parameters[k].kind is inspect.Parameter.VAR_KEYWORD:
                arguments.pop(k)
                arguments.update(v)
        return impl(**arguments)
    target.__signature__ = signature
    target.__name__ = f"keras_for_{getattr(api, '__name__', 'api')}"
    return target


def _first(arguments: dict) -> Any:
    return next(iter(arguments.values()))


def _table() -> list[tuple[Callable, str, Callable]]:
    """(TensorFlow API, the name of its tensor argument, what it is in keras.ops)."""
    import keras
    import tensorflow as tf
    ops = keras.ops

    def unary(op):
        return lambda **a: op(_first(a))

    def binary(op):
        return lambda x, y, **_a: op(x, y)

    def reduce(op):
        return lambda input_tensor, axis=None, keepdims=False, **_a: op(input_tensor, axis=axis, keepdims=keepdims)

    def reshape(tensor, shape, **_a):
        shape = [(-1 if s is None else s) for s in (shape if isinstance(shape, (list, tuple)) else list(shape))]
        return ops.reshape(tensor, tuple(shape))

    def matmul(a, b, transpose_a=False, transpose_b=False, **_a):
        return ops.matmul(ops.swapaxes(a, -1, -2) if transpose_a else a, ops.swapaxes(b, -1, -2) if transpose_b else b)

    def transpose(a, perm=None, **_a):
        return ops.transpose(a, axes=perm)

    def softmax(logits, axis=None, **_a):
        return ops.softmax(logits, axis=-1 if axis is None else axis)

    def log_softmax(logits, axis=None, **_a):
        return ops.log_softmax(logits, axis=-1 if axis is None else axis)

    out: list[tuple[Callable, str, Callable]] = []
    for name, op in [("relu", ops.relu), ("relu6", ops.relu6), ("elu", ops.elu), ("selu", ops.selu),
                     ("softplus", ops.softplus), ("softsign", ops.softsign)]:
        out.append((getattr(tf.nn, name), "features", unary(op)))
    out += [
        (tf.nn.gelu, "features", lambda features, approximate=False, **_a: ops.gelu(features, approximate=approximate)),
        (tf.nn.leaky_relu, "features", lambda features, alpha=0.2, **_a: ops.leaky_relu(features, alpha)),
        (tf.nn.silu, "features", lambda features, beta=1.0, **_a: features * ops.sigmoid(beta * features)),
        (tf.nn.softmax, "logits", softmax), (tf.nn.log_softmax, "logits", log_softmax),
        (tf.nn.bias_add, "value", lambda value, bias, **_a: ops.add(value, bias)),
    ]
    for name, op in [("sigmoid", ops.sigmoid), ("tanh", ops.tanh), ("exp", ops.exp), ("log", ops.log),
                     ("sqrt", ops.sqrt), ("square", ops.square), ("abs", ops.abs), ("negative", ops.negative),
                     ("rsqrt", ops.rsqrt), ("reciprocal", ops.reciprocal), ("erf", ops.erf),
                     ("floor", ops.floor), ("ceil", ops.ceil), ("sign", ops.sign), ("sin", ops.sin),
                     ("cos", ops.cos)]:
        api = getattr(tf.math, name, None)
        if api is not None:
            out.append((api, "x", unary(op)))
    for name, op in [("add", ops.add), ("subtract", ops.subtract), ("multiply", ops.multiply),
                     ("divide", ops.divide), ("truediv", ops.true_divide), ("maximum", ops.maximum),
                     ("minimum", ops.minimum), ("pow", ops.power),
                     ("squared_difference", lambda x, y: ops.square(ops.subtract(x, y)))]:
        api = getattr(tf.math, name, None)
        if api is not None:
            out.append((api, "x", binary(op)))
            out.append((api, "y", binary(op)))
    for name, op in [("reduce_mean", ops.mean), ("reduce_sum", ops.sum), ("reduce_max", ops.max),
                     ("reduce_min", ops.min)]:
        out.append((getattr(tf.math, name), "input_tensor", reduce(op)))
    out += [
        (tf.concat, "values", lambda values, axis, **_a: ops.concatenate(list(values), axis=axis)),
        (tf.stack, "values", lambda values, axis=0, **_a: ops.stack(list(values), axis=axis)),
        (tf.reshape, "tensor", reshape), (tf.linalg.matmul, "a", matmul), (tf.transpose, "a", transpose),
        (tf.expand_dims, "input", lambda input, axis, **_a: ops.expand_dims(input, axis)),
        (tf.squeeze, "input", lambda input, axis=None, **_a: ops.squeeze(input, axis=axis)),
        (tf.shape, "input", lambda input, **_a: ops.shape(input)),
        (tf.cast, "x", lambda x, dtype, **_a: ops.cast(x, getattr(dtype, "name", dtype))),
        (tf.identity, "input", lambda input, **_a: input),
        (tf.clip_by_value, "t", lambda t, clip_value_min, clip_value_max, **_a:
         ops.clip(t, clip_value_min, clip_value_max)),
        (tf.einsum, "inputs", lambda equation, inputs, **_a: ops.einsum(equation, *inputs)),
        (tf.math.add_n, "inputs", lambda inputs, **_a: _add_n(list(inputs))),
        (tf.split, "value", lambda value, num_or_size_splits, axis=0, **_a:
         ops.split(value, num_or_size_splits, axis=axis)),
    ]
    return out


def _add_n(xs):
    import keras
    total = xs[0]
    for x in xs[1:]:
        total = keras.ops.add(total, x)
    return total


_DISPATCH_LOCK = threading.Lock()
_REGISTERED_TYPE = False


@contextlib.contextmanager
def tf_ops() -> Iterator[None]:
    """While the model is traced, TensorFlow's functions given a ``keras.KerasTensor`` compute the
    ``keras.ops`` twin (TensorFlow's type-based dispatch); afterwards they raise again as in plain Keras, so
    that student code behaves here as it does anywhere else."""
    import sys
    tf = sys.modules.get("tensorflow")
    if tf is None:
        yield
        return
    import typing

    import keras
    from tensorflow.python.util import dispatch
    kt = keras.KerasTensor
    other = typing.Union[int, float, np.ndarray, np.generic, tf.Tensor, tf.Variable]
    global _REGISTERED_TYPE
    with _DISPATCH_LOCK:
        if not _REGISTERED_TYPE:  # (once per process: TensorFlow refuses a second registration)
            dispatch.register_dispatchable_type(kt)
            _REGISTERED_TYPE = True
        targets = []
        for api, arg, impl in _table():
            if arg == "y":
                spec = {"x": other, "y": kt}
            elif arg in ("values", "inputs"):
                spec = {arg: typing.List[kt]}
            else:
                spec = {arg: kt}
            try:
                target = _bind(api, impl)
                tf.experimental.dispatch_for_api(api, spec)(target)
                targets.append(target)
            except (ValueError, TypeError):  # an API this TensorFlow spells otherwise: left as it is
                continue
        try:
            yield
        finally:
            for target in targets:
                try:
                    tf.experimental.unregister_dispatch_for(target)
                except ValueError:
                    pass


# ------------------------------------------------------------------ which layers are the student's
def _builtin(cls: type) -> bool:
    return (cls.__module__ or "").startswith("keras.")


def _keras_ancestor(layer) -> type | None:
    """The nearest built-in layer class of a student class, when the student class computes what it computes:
    ``call`` (and ``build``) are that class's own (None: the student class defines its own)."""
    cls = type(layer)
    ancestor = next((base for base in cls.__mro__[1:] if _builtin(base)), None)
    if ancestor is None:
        return None
    same = all(getattr(cls, name, None) is getattr(ancestor, name, None) for name in ("call", "build"))
    return ancestor if same else None


def _is_container(layer) -> bool:
    import keras
    from keras.src.models.functional import Functional
    return isinstance(layer, (Functional, keras.Sequential)) and _builtin(type(layer))


def needs_opening(layer) -> bool:
    """A layer whose ``call`` is inlined (its inner layers become nodes): a student's class, a Lambda, and
    the built-in models that hold them."""
    import keras
    if isinstance(layer, keras.layers.Lambda):
        return True
    if _is_container(layer):
        return True
    return not _builtin(type(layer))


# ------------------------------------------------------------------ the trace
class _Tracer:
    """Calls every student-defined layer's ``call`` on the symbolic tensors themselves (see the module's
    docstring); a student class with a built-in ``call`` is replaced by that built-in layer."""

    def __init__(self, substitute: Callable | None = None):
        self.opened: list[str] = []  # what was opened, in words, for the facts
        self.clones: dict[int, Any] = {}
        # substitute(layer, args) -> a built-in layer to call in its place (built, its weights set), or None:
        # an exercise's own translation of a layer the student wrote as the exercise asks (ex08's LSTMCell
        # inside keras.layers.RNN becomes keras.layers.LSTMCell)
        self.substitute = substitute

    def __enter__(self):
        from keras.src.layers.layer import Layer
        self._original = Layer.__call__
        tracer = self

        def traced_call(layer, *args, **kwargs):
            from keras.src.backend.common.keras_tensor import any_symbolic_tensors
            if not any_symbolic_tensors(args, kwargs):
                return tracer._original(layer, *args, **kwargs)
            if tracer.substitute is not None:
                twin = tracer.substitute(layer, args)
                if twin is not None:
                    tracer._note(f"{type(layer).__name__} (written as {type(twin).__name__})")
                    return tracer._original(twin, *args, **kwargs)
            if not needs_opening(layer):
                return tracer._original(layer, *args, **kwargs)
            return tracer.open(layer, args, kwargs)
        Layer.__call__ = traced_call
        return self

    def __exit__(self, *exc):
        from keras.src.layers.layer import Layer
        Layer.__call__ = self._original

    def open(self, layer, args, kwargs):
        ancestor = None if _is_container(layer) else _keras_ancestor(layer)
        if ancestor is not None and not isinstance(layer, __import__("keras").layers.Lambda):
            return self.as_builtin(layer, ancestor, args, kwargs)
        # Built as Keras builds it (and checked on the tensors given), then traced with its inner layers open.
        # A layer that is built already is not called again: calling it traces everything inside it, and a
        # DenseNet of nested blocks would be traced once per level of nesting.
        if not layer.built:
            self._original(layer, *args, **kwargs)
        if _is_container(layer):
            return self.open_container(layer, args)
        if not _builtin(type(layer)):
            kind = "Model" if isinstance(layer, __import__("keras").Model) else "Layer"
            self._note(f"{type(layer).__name__} (a keras.{kind} subclass)")
        elif type(layer).__name__ == "Lambda":
            self._note("Lambda")
        signature = inspect.signature(layer.call)
        accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
        call_kwargs = {k: v for k, v in kwargs.items() if accepts_any or k in signature.parameters}
        return layer.call(*args, **call_kwargs)

    def open_container(self, model, args):
        """A built-in model's graph run on the tensors given, each of its layers called (and opened) again."""
        import keras
        graph = getattr(model, "_functional", None) if isinstance(model, keras.Sequential) else model
        x = args[0]
        if graph is None:  # a Sequential that never learned its input shape: its layers in turn
            for layer in model.layers:
                x = layer(x)
            return x
        outputs = graph._run_through_graph(keras.tree.flatten(x), operation_fn=lambda op: op)
        return outputs[0] if isinstance(outputs, (list, tuple)) and len(outputs) == 1 else outputs

    def as_builtin(self, layer, ancestor, args, kwargs):
        clone = self.clones.get(id(layer))
        if clone is None:
            self._original(layer, *args, **kwargs)  # builds the student's layer
            clone = ancestor.from_config(ancestor.get_config(layer))
            self.clones[id(layer)] = clone
            self._note(f"{type(layer).__name__} (a subclass of {ancestor.__name__})")
            out = self._original(clone, *args, **kwargs)
            if layer.weights:
                try:
                    clone.set_weights(layer.get_weights())
                except Exception:  # noqa: BLE001 -- built without weights (Exercise.child_weights): none to copy
                    pass
            return out
        return self._original(clone, *args, **kwargs)

    def _note(self, text: str) -> None:
        text = text if len(text) <= 200 else text[:197] + "..."  # (a class name can be as long as it likes)
        if text not in self.opened and len(self.opened) < 100:
            self.opened.append(text)


def _input_shapes(model, hint) -> list[tuple]:
    inputs = getattr(model, "inputs", None)
    try:
        if inputs:
            return [tuple(t.shape[1:]) for t in inputs]
    except (AttributeError, ValueError):
        pass
    if hint is None:
        raise Opaque(N_("the grader could not tell what input shape the model takes"))
    multi = bool(hint) and isinstance(hint[0], (list, tuple))
    return [tuple(s) for s in hint] if multi else [tuple(hint)]


def _as_is(model) -> dict | None:
    """The model's config when the judge can rebuild it as it is (built-in layers with Keras's activations
    and initializers), else None: it must be lowered."""
    import keras
    from grader.core.guard import refusal
    from grader.core.wire import _json_default
    if not _builtin(type(model)):
        return None
    for layer in _leaves(model):
        if needs_opening(layer) and not _is_container(layer):
            return None
        act = getattr(layer, "activation", None)
        if act is not None and callable(act) and _keras_activation_name(act) is None:
            return None
        for attr in _initializer_attrs(layer):
            init = getattr(layer, attr)
            if init is not None and not isinstance(init, (str, keras.initializers.Initializer)):
                return None
    try:
        config = json.loads(json.dumps(keras.saving.serialize_keras_object(model), default=_json_default))
    except Exception:  # noqa: BLE001 -- not serializable as it is
        return None
    return config if refusal(config) is None else None


def _leaves(model) -> list:
    out, todo = [], [model]
    while todo:
        layer = todo.pop()
        inner = getattr(layer, "layers", None) if _is_container(layer) else None
        if inner is not None:
            todo.extend(reversed(inner))
        elif layer is not model:
            out.append(layer)
    return out


def _initializer_attrs(layer) -> list[str]:
    return [a for a in vars(layer) if a.endswith("_initializer")]


def _normalise_leaves(model, notes: list[str]) -> bool:
    """Activations named by behaviour, initializers as Keras's; True when an initializer is the student's
    own (the judge then trains from this child's weights).  Raises Opaque for an unknown activation."""
    import keras
    custom_init = False
    for layer in _leaves(model):
        act = getattr(layer, "activation", None)
        if act is not None and callable(act) and _keras_activation_name(act) is None:
            name = identify_activation(act)
            if name is None:
                raise Opaque(N_("the activation of {layer} ({function}) computes no Keras activation"),
                             layer=f"{type(layer).__name__[:80]} '{layer.name[:80]}'",
                             function=str(getattr(act, "__name__", type(act).__name__))[:80])
            what = getattr(act, "__name__", type(act).__name__)
            layer.activation = keras.activations.get(name)
            _note(notes, f"activation {what} -> {name}")
        for attr in _initializer_attrs(layer):
            init = getattr(layer, attr)
            new, own = keras_initializer(init)
            if new is not init:
                setattr(layer, attr, new)
                custom_init |= own
                if not own:
                    _note(notes, f"initializer {type(init).__name__} -> keras.initializers.{type(new).__name__}")
    return custom_init


def _note(notes: list[str], text: str) -> None:
    text = text if len(text) <= 200 else text[:197] + "..."
    if text not in notes and len(notes) < 100:
        notes.append(text)


def lower(model, input_shapes=None, substitute: Callable | None = None) -> tuple[Any, list[str], bool, dict | None]:
    """(a functional model of built-in layers computing what ``model`` computes, what was translated (in
    words), whether an initializer is the student's own, the model's config when it was rebuildable as it
    is).  Raises ``Opaque`` when it cannot be written so.  ``substitute``: see ``_Tracer``."""
    import keras
    config = _as_is(model)
    if config is not None:
        return model, [], False, config
    shapes = _input_shapes(model, input_shapes)
    notes: list[str] = []
    inputs = [keras.Input(shape=s) for s in shapes]
    tracer = _Tracer(substitute)
    try:
        with tf_ops(), tracer:
            outputs = model(inputs[0] if len(inputs) == 1 else inputs)
    except Opaque:
        raise
    except Exception as e:  # noqa: BLE001 -- code the symbolic trace cannot follow
        raise _trace_failure(e) from None
    notes.extend(tracer.opened)
    try:
        lowered = keras.Model(inputs[0] if len(inputs) == 1 else inputs, outputs, name=model.name)
    except Exception as e:  # noqa: BLE001
        raise Opaque(N_("the traced model is not a graph of layers ({error})"), error=type(e).__name__) from None
    custom_init = _normalise_leaves(lowered, notes)
    _same_weights(model, lowered)
    _copy_compile(model, lowered)
    return lowered, notes, custom_init, None


def _trace_failure(e: BaseException) -> Opaque:
    """Why the symbolic trace failed, at the line of the student's code that failed (the deepest frame that
    is neither Keras's, TensorFlow's nor the grader's)."""
    import os
    import traceback
    where = None
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        path = os.path.abspath(frame.filename)
        if not any(part in path for part in (f"{os.sep}site-packages{os.sep}", f"{os.sep}grader{os.sep}",
                                              f"{os.sep}lib{os.sep}python")):
            where = frame
            break
    if where is not None and "KerasTensor cannot be used as input to a TensorFlow function" in str(e):
        return Opaque(N_("line {line} ({code}) computes with a TensorFlow function the grader cannot write with "
                         "Keras layers"), line=str(where.lineno), code=(where.line or "").strip()[:120])
    text = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
    if where is not None:
        return Opaque(N_("tracing the model failed at line {line} ({code}): {error}"), line=str(where.lineno),
                      code=(where.line or "").strip()[:120], error=text)
    return Opaque(N_("tracing the model failed: {error}"), error=text)


def _leaves_deep(model) -> list:
    """Every layer inside ``model``, student classes opened too."""
    try:
        return list(model._flatten_layers(include_self=False))
    except Exception:  # noqa: BLE001
        return []


def _variables(model) -> dict[int, Any]:
    """The variables the model's layers created, read from Keras's own lists (not from ``weights``, which a
    student's class may redefine), by id."""
    out = {}
    for layer in [model, *_leaves_deep(model)]:
        for attr in ("_trainable_variables", "_non_trainable_variables"):
            for v in getattr(layer, attr, None) or []:
                out[id(v)] = v
    return out


def _same_weights(model, lowered) -> None:
    """Every weight of the student's model is a weight of a layer of the lowered one (a layer that made its
    own weights with add_weight has them used as constants in the trace: that model is opaque).  A student
    class written out as its built-in ancestor (``_Tracer.as_builtin``) has a twin with weights of the same
    shapes: they are counted by size."""
    before = sum(int(np.prod(v.shape)) for v in _variables(model).values())
    after = sum(int(np.prod(v.shape)) for v in _variables(lowered).values())
    if before != after:
        owners = ", ".join(sorted({type(layer).__name__ for layer in _leaves_deep(model) if not _builtin(type(layer))
                                   and _own_weights(layer)}))[:200] or "?"
        raise Opaque(N_("{layers} makes weights of its own (add_weight), which no built-in Keras layer holds"),
                     layers=owners)


def _copy_compile(model, lowered) -> None:
    config = getattr(model, "_compile_config", None)
    if getattr(model, "compiled", False) and config is not None:
        lowered._compile_config = config
        lowered.optimizer = model.optimizer
        lowered.compiled = True
        for attr in ("loss", "_loss_tracker", "_compile_loss", "_compile_metrics", "steps_per_execution",
                     "_jit_compile", "_run_eagerly"):
            if hasattr(model, attr):
                try:
                    setattr(lowered, attr, getattr(model, attr))
                except (AttributeError, TypeError):
                    pass


# ------------------------------------------------------------------ the reply: config, weights, facts
def _written_as(model) -> str:
    import keras
    if not _builtin(type(model)):
        return "subclassed"
    return "sequential" if isinstance(model, keras.Sequential) else "functional"


def _shapes(tensors) -> list[tuple]:
    import keras
    flat = keras.tree.flatten(tensors)
    return [tuple(None if d is None else int(d) for d in t.shape[1:]) for t in flat]


def _compile_facts(model) -> dict:
    out: dict[str, Any] = {"compiled": bool(getattr(model, "compiled", False))}
    if not out["compiled"]:
        return out
    import keras
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        out["optimizer"] = type(optimizer).__name__[:100]
        try:
            lr = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
            out["learning_rate"] = lr if np.isfinite(lr) else None
        except Exception:  # noqa: BLE001 -- a schedule, say: no single rate
            out["learning_rate"] = None
    loss = getattr(model, "loss", None)
    if loss is not None:
        out["loss"] = (loss if isinstance(loss, str) else getattr(loss, "name", None)
                       or getattr(loss, "__name__", None) or type(loss).__name__)[:200]
    return out


def _facts(model, written_as: str, **extra):
    from grader.core.wire import ModelFacts
    params = int(sum(int(np.prod(v.shape)) for v in model.weights))
    trainable = int(sum(int(np.prod(v.shape)) for v in model.trainable_weights))
    try:  # (a Sequential without keras.Input has neither yet)
        inputs, outputs = tuple(_shapes(model.inputs)), tuple(_shapes(model.outputs))
    except (AttributeError, ValueError):
        inputs, outputs = (), ()
    return ModelFacts(written_as=written_as, input_shapes=inputs, output_shapes=outputs, params=params,
                      trainable_params=trainable, **_compile_facts(model), **extra)


def describe(model, with_weights: bool = False, input_shapes=None, substitute: Callable | None = None):
    """The reply for a model a student's function returned (``wire.StudentModel``): the config of the model
    written with built-in layers, its weights when asked for (or when an initializer is the student's own),
    and the facts measured here.  Never raises for what the student wrote: a model that cannot be written
    so is sent as facts only (``opaque``).  ``substitute``: an exercise's own translation of a layer (see
    ``_Tracer``)."""
    from grader.core.wire import StudentModel, _json_default
    import keras
    written_as = _written_as(model)
    try:
        lowered, opened, custom_init, config = lower(model, input_shapes, substitute)
        if config is None:
            config = json.loads(json.dumps(keras.saving.serialize_keras_object(lowered), default=_json_default))
            from grader.core.guard import refusal
            why = refusal(config)
            if why is not None:
                raise Opaque(N_("the grader cannot rebuild it ({why})"), why=why)
        weights = [np.asarray(w) for w in lowered.get_weights()] if with_weights or custom_init else None
        return StudentModel(config, weights, _facts(lowered, written_as, opened=tuple(opened),
                                                    custom_init=custom_init))
    except Opaque as e:
        return StudentModel(None, None, opaque_facts(model, written_as, e, input_shapes))
    except (MemoryError, RecursionError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as e:  # noqa: BLE001 -- whatever the trace met, the facts say so
        return StudentModel(None, None, opaque_facts(model, written_as, _trace_failure(e), input_shapes))


def opaque_facts(model, written_as: str, why: Opaque, input_shapes=None):
    """What the child can say of a model it could not write with built-in layers: shapes, parameters, the
    compile settings and the layers that ran (``opaque_layers``)."""
    from grader.core.wire import ModelFacts
    import keras
    inputs, outputs = [], []
    try:
        shapes = _input_shapes(model, input_shapes)
        symbolic = [keras.Input(shape=s) for s in shapes]
        out = model(symbolic[0] if len(symbolic) == 1 else symbolic)
        inputs, outputs = [tuple(s) for s in shapes], _shapes(out)
    except Exception:  # noqa: BLE001 -- the facts stay empty; the judge says the model could not be read
        pass
    try:
        params = int(sum(int(np.prod(v.shape)) for v in model.weights))
        trainable = int(sum(int(np.prod(v.shape)) for v in model.trainable_weights))
    except Exception:  # noqa: BLE001
        params = trainable = 0
    return ModelFacts(written_as=written_as, input_shapes=tuple(inputs), output_shapes=tuple(outputs),
                      params=params, trainable_params=trainable, **_compile_facts(model), opaque=str(why)[:500],
                      opaque_id=why.msgid, opaque_params=tuple((k, str(v)[:300]) for k, v in why.params.items()))


# ------------------------------------------------------------------ an opaque model, run here
def _own_weights(layer) -> list:
    """The variables a layer holds for itself: a built-in layer's (a MultiHeadAttention's projections
    included), or those a student's layer created with ``add_weight``, not those of its inner layers."""
    if _builtin(type(layer)):
        return list(layer.weights)
    inner = {id(v) for sub in getattr(layer, "_layers", []) or [] for v in sub.weights}
    return [v for v in layer.weights if id(v) not in inner]


def _layer_fact(layer, output, weight_index: dict[int, int] | None = None):
    from grader.core.wire import LayerFact
    import keras
    own = _own_weights(layer)
    first = keras.tree.flatten(output)[0] if output is not None else None
    act = getattr(layer, "activation", None)
    cfg = {}
    if _builtin(type(layer)):
        try:
            cfg = layer.get_config()
        except Exception:  # noqa: BLE001
            cfg = {}
    strides = cfg.get("strides")
    return LayerFact(
        cls=(type(layer).__name__)[:100], builtin=_builtin(type(layer)),
        output_shape=tuple(None if d is None else int(d) for d in getattr(first, "shape", (None,))[1:]),
        params=int(sum(int(np.prod(v.shape)) for v in own)),
        activation=(identify_activation(act) or "unknown") if callable(act) else None,
        padding=cfg.get("padding") if isinstance(cfg.get("padding"), str) else None,
        strides=tuple(int(x) for x in strides) if isinstance(strides, (list, tuple)) else
        ((int(strides), int(strides)) if isinstance(strides, int) else None),
        weights=tuple(tuple(int(d) for d in v.shape) for v in own),
        weight_indices=tuple(weight_index.get(id(v), -1) for v in own) if weight_index is not None else (),
        epsilon=float(cfg["epsilon"]) if isinstance(cfg.get("epsilon"), (int, float)) else None,
        settings=_settings(cfg))


def _settings(cfg: dict) -> tuple:
    """The plain values of a built-in layer's config (a RandomFlip's mode, a Dropout's rate): numbers, short
    texts, short lists of numbers."""
    out = []
    for k, v in cfg.items():
        if k in ("name", "dtype", "trainable") or len(out) >= 40:
            continue
        if isinstance(v, (list, tuple)) and len(v) <= 8 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                                  for x in v):
            out.append((str(k)[:60], [float(x) if isinstance(x, float) else int(x) for x in v]))
        elif v is None or isinstance(v, (bool, int, float)) or (isinstance(v, str) and len(v) <= 100):
            out.append((str(k)[:60], v))
    return tuple(out)


def trace_calls(model, inputs) -> tuple[list, list[np.ndarray]]:
    """Run ``model`` eagerly on ``inputs`` (inference) and record each layer call that does the work: a
    built-in layer (a MultiHeadAttention as one call, not its inner projections) and a layer of the
    student's own that holds weights of its own.  ([LayerFact per call, in the order the calls finished],
    the outputs.)"""
    import keras
    from keras.src.layers.layer import Layer
    original = Layer.__call__
    weight_index = {id(v): i for i, v in enumerate(model.weights)}
    calls: list = []
    inside = [0]  # how deep the current call is inside a recorded built-in layer

    def recording(layer, *args, **kwargs):
        if inside[0] or layer is model or _is_container(layer):
            return original(layer, *args, **kwargs)
        if _builtin(type(layer)):
            inside[0] += 1
            try:
                out = original(layer, *args, **kwargs)
            finally:
                inside[0] -= 1
            calls.append(_layer_fact(layer, out, weight_index))
            return out
        out = original(layer, *args, **kwargs)
        if _own_weights(layer):
            calls.append(_layer_fact(layer, out, weight_index))
        return out
    Layer.__call__ = recording
    try:
        out = model(inputs, training=False)
    finally:
        Layer.__call__ = original
    return calls, [np.asarray(keras.ops.convert_to_numpy(y)) for y in keras.tree.flatten(out)]


def run(model, inputs, values=None, assignments=None):
    """``wire.ModelRun``: the layer calls of ``model`` on ``inputs`` and its outputs, then its outputs once
    per assignment (a list giving, for each of ``model.weights``, the index of the value in ``values`` it
    takes, or -1 to keep its own)."""
    from grader.core.wire import ModelRun
    import keras
    x = [np.asarray(a, dtype="float32") for a in inputs]
    x = x[0] if len(x) == 1 else x
    calls, first = trace_calls(model, x)
    outputs = [tuple(first)]
    for assignment in assignments or []:
        for variable, k in zip(model.weights, assignment):
            if int(k) >= 0:
                variable.assign(np.asarray(values[int(k)], dtype=variable.dtype))
        y = model(x, training=False)
        outputs.append(tuple(np.asarray(keras.ops.convert_to_numpy(v)) for v in keras.tree.flatten(y)))
    return ModelRun(layers=tuple(calls), outputs=tuple(outputs))


def train(model, x_train, y_train, x_score, epochs: int, batch_size: int, seed: int, budget_s: float,
          steps_per_execution: int = 1):
    """``wire.TrainingRun``: a compiled model the judge could not rebuild, trained here as the judge trains
    one (``fit`` from the model's own weights, seeded, shuffled), then its class probabilities on ``x_score``.
    The judge scores them: the labels of ``x_score`` never come here."""
    import time

    import keras

    from grader.core.wire import TrainingRun
    if not getattr(model, "compiled", False):
        raise Opaque(N_("the model is not compiled"))

    class Budget(keras.callbacks.Callback):  # CPU seconds of this process, as the judge's own training
        def __init__(self):
            super().__init__()
            self.start, self.exceeded = time.process_time(), False

        def on_train_batch_end(self, batch, logs=None):
            if time.process_time() - self.start > budget_s:
                self.exceeded = True
                self.model.stop_training = True
    keras.utils.set_random_seed(int(seed) % 2**32)
    budget = Budget()
    model.steps_per_execution = int(steps_per_execution)
    history = model.fit(np.asarray(x_train, "float32"), np.asarray(y_train), epochs=int(epochs),
                        batch_size=int(batch_size), shuffle=True, verbose=0, callbacks=[budget])
    x = np.asarray(x_score, "float32")
    probs = np.concatenate([np.asarray(keras.ops.convert_to_numpy(model(x[i:i + 256], training=False)))
                            for i in range(0, len(x), 256)])
    curves = {str(k)[:40]: tuple(float(v) for v in vs)[:1000] for k, vs in list(history.history.items())[:10]}
    return TrainingRun(history=curves, probabilities=probs.astype("float32"), exceeded=budget.exceeded)


def _encode_model(value, enc):
    """``wire.ENCODERS``: a Keras model a student's function returned goes out as ``describe`` writes it."""
    import sys
    keras = sys.modules.get("keras")
    if keras is None or not isinstance(value, keras.Model):
        return NotImplemented
    return enc.encode(describe(value, enc.with_weights, enc.input_shapes))


ENCODERS.append(_encode_model)
