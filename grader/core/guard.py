"""The judge's own guard: what it checks before it builds anything a child sent.

The judge is the one unsandboxed process that reads what student code made,
so a model config from the child goes through two gates before Keras
deserializes it for real (``spec.rebuild``):

1. ``check_config`` -- an allow-list, on the plain JSON, before Keras sees it.
   Every object in the config must come from a Keras module the grader
   rebuilds (``module`` is ``keras`` or ``keras.<something known>``), must not
   be a registered custom object (``registered_name`` other than the class
   name), and every layer must be a built-in class from ``LAYERS``:
   ``Lambda``, ``TFSMLayer``, Python functions and anything outside Keras are
   refused with an ERROR that says why.  This holds whatever Keras's own
   ``safe_mode`` does (it has been bypassed: CVE-2025-1550, CVE-2025-9906,
   CVE-2026-1462).
2. ``measure`` -- the parameter count and the largest tensor, from the config
   alone: Keras builds the layer graph inside a ``StatelessScope`` that never
   allocates a weight (shapes only), and the judge refuses a model over the
   exercise's stated budget (``Exercise.max_params`` / ``max_tensor``) with a
   FAIL that says so.

The judge also has a memory ceiling of its own (``ceiling``): an address-space
style limit on its data segment while a check's judge-side code runs, so a
Python, numpy or TensorFlow allocation past it fails with a MemoryError that
the engine turns into OUT_OF_MEMORY for that submission.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import sys
from typing import Any, Iterator

from grader.core.errors import Fail, StudentError
from grader.core.i18n import N_, _

# Built-in layer classes the judge never rebuilds: they run Python code from the config (Lambda; JAX, Flax and
# Torch wrappers), load files (TFSMLayer; the lookup layers' vocabulary may be a path), or are abstract.  Every
# other class of ``keras.layers`` is rebuilt: a student may use any built-in layer, and a layer the exercise does
# not want is the check's FAIL (naming it), never a refusal to look.
DENIED = frozenset("""
Lambda TFSMLayer JaxLayer FlaxLayer TorchModuleWrapper Layer Wrapper StringLookup IntegerLookup TextVectorization
""".split())
MODELS = frozenset({"Sequential", "Functional", "Model"})


class _Layers:
    """The built-in layer classes the judge rebuilds: every class ``keras.layers`` exports, less ``DENIED``
    (read from the Keras the judge runs, the first time a config is checked)."""

    _names: frozenset | None = None

    def names(self) -> frozenset:
        if self._names is None:
            import keras
            from keras.src.layers.layer import Layer
            found = {n for n in dir(keras.layers)
                     if isinstance(getattr(keras.layers, n), type) and issubclass(getattr(keras.layers, n), Layer)}
            _Layers._names = frozenset((found - DENIED) | MODELS)
        return self._names

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and name in self.names()


LAYERS = _Layers()

# Modules whose objects may appear in a config (initializers, optimizers, ...).
MODULES = frozenset({"keras", "keras.layers", "keras.models", "keras.src.models.functional",
                     "keras.src.models.sequential", "keras.src.models.model", "keras.initializers",
                     "keras.regularizers", "keras.constraints", "keras.optimizers",
                     "keras.optimizers.schedules", "keras.losses", "keras.metrics", "keras.activations"})
LAYER_MODULES = frozenset({"keras.layers", "keras.models", "keras.src.models.functional",
                           "keras.src.models.sequential", "keras.src.models.model"})
MAX_OBJECTS = 20_000  # objects in one config (a layer, an initializer, ...)
# Numbers a config may carry as constants of its graph (``x / 255.0``, a reshape's shape, a small table):
# a model that carries data -- the public test set and its labels, say -- would be scored on what it holds.
MAX_CONSTANT_VALUES = 4096
# Plain values Keras writes into a functional config (tensors of the graph, constants):
# data, not code.  ``__lambda__`` (Python bytecode) and ``__typespec__`` (a class by name) are not among them.
STRUCTURAL = frozenset({"__keras_tensor__", "__tensor__", "__numpy__", "__bytes__", "__ellipsis__", "__slice__"})

REFUSED_HINT = N_("Use built-in Keras layers only (no Lambda, TFSMLayer or custom layers in this model).")


@dataclasses.dataclass
class Budget:
    max_params: int
    max_tensor: int  # values in the largest weight or per-example layer output


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("judge_budget", default=None)


@contextlib.contextmanager
def budget(b: Budget) -> Iterator[None]:
    token = _budget.set(b)
    try:
        yield
    finally:
        _budget.reset(token)


def current_budget() -> Budget | None:
    return _budget.get()


def _refuse(doing: str, why: str) -> StudentError:
    return StudentError(_("{doing}: the grader refuses to rebuild this model before building anything: {why}").format(
        doing=doing, why=why), hint=_(REFUSED_HINT))


def check_config(config: Any, doing: str) -> None:
    """Raise an ERROR (``StudentError``) naming what is not on the allow-list."""
    why = refusal(config)
    if why is not None:
        raise _refuse(doing, why)


def refusal(config: Any) -> str | None:
    """Why the judge would refuse to rebuild ``config`` (in the current language), or None.  The child asks
    it too (``grader.core.lowering``), to know whether a model must be written out with built-in layers."""
    if not isinstance(config, dict) or "class_name" not in config:
        return _("the config is not a Keras object")
    count, constants = 0, 0
    stack: list[tuple[Any, int]] = [(config, 0)]
    while stack:
        obj, depth = stack.pop()
        if depth > 200:
            return _("the config is nested too deeply")
        if isinstance(obj, dict) and obj.get("class_name") in ("__numpy__", "__tensor__") and obj.get("module") is None:
            constants += _numbers(obj.get("config"), MAX_CONSTANT_VALUES + 1 - constants)
            if constants > MAX_CONSTANT_VALUES:
                return _("the model carries more than {n:,} constant values in its graph (data, not weights)").format(
                    n=MAX_CONSTANT_VALUES)
        if isinstance(obj, list):
            stack.extend((x, depth + 1) for x in obj)
            continue
        if not isinstance(obj, dict):
            continue
        if "class_name" in obj:
            count += 1
            if count > MAX_OBJECTS:
                return _("the config holds more than {n:,} objects").format(n=MAX_OBJECTS)
            why = _object_refusal(obj)
            if why is not None:
                return why
        stack.extend((v, depth + 1) for k, v in obj.items() if k != "module")
    return None


def _numbers(value: Any, limit: int) -> int:
    """How many numbers ``value`` holds (nested lists and dicts), counting no further than ``limit``."""
    n, stack = 0, [value]
    while stack and n < limit:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            n += 1
    return n


def _keras_operation(module: str, cls: str) -> bool:
    """Is ``module.cls`` one of Keras's own operations (``keras.ops.softmax`` in a
    functional model is serialized as ``keras.src.ops.nn.Softmax``; ``keras.activations.relu`` applied to a
    tensor as ``keras.src.activations.activations.ReLU``)?"""
    import importlib
    import re
    if not re.fullmatch(r"keras\.src\.(ops\.\w+|activations\.activations)", module) \
            or not re.fullmatch(r"[A-Z]\w*", cls):
        return False
    try:
        from keras.src.ops.operation import Operation
        obj = getattr(importlib.import_module(module), cls, None)
    except ImportError:
        return False
    return isinstance(obj, type) and issubclass(obj, Operation) and obj.__module__ == module


def _object_refusal(obj: dict) -> str | None:
    cls, module, registered = obj.get("class_name"), obj.get("module"), obj.get("registered_name")
    if cls in STRUCTURAL and module is None:
        return None
    if cls in ("__lambda__", "function") or (module is None and cls not in LAYERS):
        return _("it holds a Python function ({name}); only built-in Keras objects are rebuilt").format(
            name=repr(cls))
    if not isinstance(cls, str):
        return _("an object has no class name")
    if cls == "Lambda":
        return _("it holds a Lambda layer, which would run Python code from the config in the grader")
    if cls == "TFSMLayer":
        return _("it holds a TFSMLayer, which would load a saved model from a file")
    if registered not in (None, cls):
        return _("{name} is a custom object (registered as {registered})").format(
            name=cls, registered=repr(registered))
    if module is not None and (not isinstance(module, str) or not (module == "keras" or module.startswith("keras."))):
        return _("{name} comes from the module {module}, outside keras").format(name=cls, module=repr(module))
    if module is not None and module not in MODULES and not _keras_operation(module, cls):
        return _("{name} comes from {module}, a Keras module the grader does not rebuild from").format(
            name=cls, module=module)
    if (module in LAYER_MODULES or module is None) and cls not in LAYERS:
        return _("{name} is not a built-in layer the grader rebuilds").format(name=cls)
    return None


def _size(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d) if d is not None else 1
    return n


def measure(model) -> tuple[int, int, str]:
    """(parameters, values in the largest tensor, what that tensor is) of a model
    built without weights."""
    params, largest, what = 0, 0, ""
    for v in model.weights:
        n = _size(v.shape)
        params += n
        if n > largest:
            largest, what = n, _("the weight {name} {shape}").format(name=v.path, shape=tuple(v.shape))
    todo = list(model.layers)
    while todo:
        layer = todo.pop()
        todo.extend(getattr(layer, "layers", []) or [])
        try:
            outs = layer.output if isinstance(layer.output, (list, tuple)) else [layer.output]
        except (AttributeError, ValueError):
            continue
        for o in outs:
            shape = getattr(o, "shape", None)
            if shape is None:
                continue
            n = _size(shape[1:]) if len(shape) else 1
            if n > largest:
                largest, what = n, _("the output of {layer} {shape}").format(layer=layer.name, shape=tuple(shape))
    return params, largest, what


def dry_run(config: dict, doing: str):
    """The model built from ``config`` without allocating a weight; a Budget refusal is a FAIL."""
    import keras

    from grader.core.stateless import weightless_model
    # The layers only: compiling would create the optimizer's variables, which a StatelessScope forbids.
    layers_only = {k: v for k, v in config.items() if k != "compile_config"}
    try:
        model = weightless_model(layers_only, safe_mode=True)
    except Fail:
        raise
    except Exception as e:  # noqa: BLE001 -- any failure to rebuild is the submission's
        raise StudentError(
            _("{doing}: the grader cannot rebuild your model from its config ({error})").format(
                doing=doing, error=f"{type(e).__name__}: {str(e)[:200]}"),
            hint=_("Use built-in Keras layers only (no Lambda or custom layers in this model).")) from None
    b = current_budget()
    if b is not None and isinstance(model, keras.Model):
        params, largest, what = measure(model)
        if params > b.max_params:
            raise Fail(_("{doing}: your model has {n:,} parameters, over this exercise's budget of {budget:,}; "
                         "the grader did not build it").format(doing=doing, n=params, budget=b.max_params),
                       hint=_("The exercise states the largest model it grades; look for a Dense layer after a "
                              "Flatten of a large map."))
        if largest > b.max_tensor:
            raise Fail(_("{doing}: {what} holds {n:,} values, over this exercise's budget of {budget:,} per "
                         "tensor; the grader did not build it").format(doing=doing, what=what, n=largest,
                                                                       budget=b.max_tensor),
                       hint=_("The exercise states the largest model it grades; look for a Dense layer after a "
                              "Flatten of a large map."))
    return model


# ------------------------------------------------------------------ the judge's memory ceiling
JUDGE_HEADROOM_MB = 1024  # the judge's data may grow this much while one check's judge-side code runs


def _vm_data() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


_ceiling_depth = contextvars.ContextVar("judge_ceiling_on", default=False)


@contextlib.contextmanager
def ceiling(headroom_mb: int = JUDGE_HEADROOM_MB) -> Iterator[None]:
    """Limit the judge's data segment (RLIMIT_DATA, Linux) to what it holds now plus
    ``headroom_mb`` for the duration; an allocation past it raises MemoryError
    (or TensorFlow's ResourceExhaustedError) in the judge instead of growing
    without bound.  Elsewhere (macOS, Windows) it does nothing."""
    if not sys.platform.startswith("linux") or _ceiling_depth.get():
        yield
        return
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    used = _vm_data()
    cap = used + headroom_mb * 2**20 if used else resource.RLIM_INFINITY
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    except (ValueError, OSError):
        yield
        return
    token = _ceiling_depth.set(True)
    try:
        yield
    finally:
        _ceiling_depth.reset(token)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


@contextlib.contextmanager
def lifted() -> Iterator[None]:
    """Lift the judge's ceiling while the sandbox works (it may start a fresh
    forkserver, which must not inherit the judge's limit)."""
    if not _ceiling_depth.get():
        yield
        return
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))
    try:
        yield
    finally:
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
        except (ValueError, OSError):
            pass


def is_out_of_memory(e: BaseException) -> bool:
    return isinstance(e, MemoryError) or type(e).__name__ == "ResourceExhaustedError"
