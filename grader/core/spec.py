"""How an exercise declares its checks.

    EX = Exercise("ex01", N_("Convolution arithmetic"), module="ex01_conv_arithmetic")

    @EX.check(points=2, hint=N_("'same' keeps ceil(n / stride) positions."), uses=("conv_output_length",))
    def same_padding(t):
        got = t.call("conv_output_length", 7, 3, stride=2, padding="same")
        expect.equal(got, 4, "conv_output_length(7, 3, stride=2, padding='same')",
                     {_("used the 'valid' formula for 'same'"): 3})

A check function receives a ``Trial``: ``t.call`` runs a student function in
the child on judge-chosen arguments and returns plain data; ``t.build`` calls a
tensor function on ``keras.Input``s and returns the model rebuilt in the judge;
``t.rng`` is a generator seeded per check (public seed, or the instructor's for
hidden checks).  A check passes by returning and fails by raising ``Fail`` --
the helpers in ``grader.judge.expect`` do that with a message that names the mistake.
``uses`` names the student functions the check calls; a call to any other is an
internal grader error (``UndeclaredCall``).  Check modules import all this from
``grader.judge``, the check-writing API.

Every message is English in the code and translated from the catalogues
(``grader.core.i18n``): titles, summaries and declaration-time hints are marked
with ``N_()`` and translated where they are shown; messages built while a
check runs use ``_("... {name} ...").format(name=...)``.  A hint made of
several messages (or filled with numbers) may be a callable, called when the
check's result is built: ``hint=lambda: _(A_HINT) + " " + _(B_HINT)``.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hashlib
import hmac
import json
import random
import time
from typing import Any, Callable

import numpy as np

from grader.core import guard
from grader.core.errors import Fail, StudentError, Timeout, UndeclaredCall
from grader.core.i18n import _
from grader.core.wire import StudentModel, Unsupported

PUBLIC_SEED = 0


@dataclasses.dataclass
class Check:
    name: str
    points: float
    hint: "str | Callable[[], str]"  # N_("...") marked, translated by the engine; or a callable
    fn: Callable[["Trial"], None]
    hidden: bool = False
    timeout: float | None = None  # seconds for this check's student calls
    uses: tuple[str, ...] = ()  # the student functions (and classes) the check calls, declared
    # the check's long child request (training, say), sent before the other checks run: ``early(t)`` sends
    # it (``t.recipe_later``) and returns the function that waits; the check reads it with ``t.early()``
    early: "Callable[[Trial], Callable[[], Any]] | None" = None


class Exercise:
    def __init__(self, id: str, title: str, module: str, *, timeout: float = 20.0,
                 memory_mb: int = 2048, summary: str = "",
                 recipes: str | None = None, max_params: int = 5_000_000, max_tensor: int = 16_000_000,
                 child_keras: bool = True, child_weights: bool = True, order: "tuple[str, ...] | None" = None):
        self.id = id
        self.title = title
        self.module = module  # the module name in exercises/ and solutions/
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.summary = summary
        self.checks: list[Check] = []
        self.recipes = recipes  # module with ``@recipe`` functions the child must import
        # The judge's budget for a model a child sends: parameters, and values in the largest
        # tensor (a weight, or one example's layer output); checked from the config before
        # anything is built (``grader.core.guard``).  The exercise's docstring states it.
        self.max_params = max_params
        self.max_tensor = max_tensor
        # Whether the child needs Keras for this exercise's checks (False: numpy-only exercises, whose
        # children on the portable sandbox start without it unless the submission imports it).
        self.child_keras = child_keras
        # Whether any check needs weights the child made (False: every model the child builds for a check is
        # only read as a config, so the child builds it without allocating weights -- ex04, ex05, ex10, whose
        # judge gives both sides the same weights itself).  A module-level layer built that way has no weights later, so
        # an exercise with a training or a with_weights request must keep True.
        self.child_weights = child_weights
        # The order the engine runs the checks in (and the report lists them), by name: every check once.
        # Declared where the order matters (ex12: its expensive check first); without it, the order of
        # definition.
        self.order = tuple(order) if order is not None else None

    def ordered(self, checks: "list[Check] | None" = None) -> list[Check]:
        """``checks`` (default: all of them) in the order the engine runs them: the declared ``order``
        where there is one, else the order of definition.  A declared order that does not name every
        check exactly once is a bug of the check module (ValueError)."""
        checks = list(self.checks if checks is None else checks)
        if self.order is None:
            return checks
        names = [c.name for c in self.checks]
        if sorted(self.order) != sorted(names) or len(set(self.order)) != len(self.order):
            missing = sorted(set(names) - set(self.order))
            extra = sorted(set(self.order) - set(names))
            raise ValueError(f"{self.id}: order= must name every check once (missing {missing}, unknown {extra})")
        position = {n: i for i, n in enumerate(self.order)}
        return sorted(checks, key=lambda c: position[c.name])

    def check(self, *, points: float, hint: "str | Callable[[], str]", uses: "tuple[str, ...]",
              hidden: bool = False, timeout: float | None = None, name: str | None = None,
              early: "Callable[[Trial], Callable[[], Any]] | None" = None):
        """Declare a check.  ``uses`` names every student function or class the check calls
        (through ``t.call``, ``t.build``, ``t.call_model`` or ``t.recipe(..., fn=...)``), or is ``()``
        for a check that calls none; it is required, and a call to anything else is an internal
        grader error when the check runs.

        ``early(t)``: the check's long request to the child (training a model), which it reads with
        ``t.early()`` before drawing from ``t.rng``.  Where the sandbox makes a second child cheaply, the
        engine sends it as grading begins, to a child of its own, so that it runs while the other
        checks run; elsewhere ``t.early()`` sends it then.  The check's time limit counts from the
        sending, and its verdict is the same either way."""
        if isinstance(uses, str) or not all(isinstance(u, str) and u for u in uses):
            raise TypeError(f"{self.id}: uses= takes a tuple of function names, e.g. uses=({uses!r},)"
                            if isinstance(uses, str) else f"{self.id}: uses= takes a tuple of function names")

        def deco(fn: Callable[["Trial"], None]):
            n = name or fn.__name__
            if any(c.name == n for c in self.checks):
                raise ValueError(f"{self.id}: two checks are named {n}")
            self.checks.append(Check(n, points, hint, fn, hidden, timeout, tuple(uses), early))
            return fn
        return deco

    def checks_using(self, function: str) -> list[Check]:
        """The checks that declare they call ``function``, in declaration order."""
        return [c for c in self.checks if function in c.uses]

    @property
    def public_points(self) -> float:
        return sum(c.points for c in self.checks if not c.hidden)

    @property
    def total_points(self) -> float:
        return sum(c.points for c in self.checks)


def show_args(args: tuple, kwargs: dict) -> str:
    def short(v: Any) -> str:
        if isinstance(v, np.ndarray):
            return f"<array {v.shape}>"
        if isinstance(v, StudentModel):
            return "<model>"
        r = repr(v)
        return r if len(r) <= 40 else r[:37] + "..."
    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def case_key(seed: int, check_name: str) -> int:
    """The entropy of a check's cases: HMAC-SHA256 keyed by the seed, so that
    knowing the grader's code (and the check's name) is not enough to compute
    the hidden cases without the instructor's seed."""
    digest = hmac.new(str(int(seed)).encode(), check_name.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest, "big")


class Trial:
    """What one check sees: the sandboxed student module, a seeded rng, a deadline, and the submission's
    memo (``once``)."""

    def __init__(self, sandbox, check: Check, seed: int, timeout: float, timed_out: dict[str, str],
                 memo: "dict | None" = None):
        self.sandbox = sandbox
        self.check = check
        self.seed = seed
        self.rng = np.random.default_rng(case_key(seed, check.name))
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self._timed_out = timed_out  # function -> the check where it timed out
        self._early: "Callable[[], Any] | Exception | None" = None  # the early request sent (or why it was not)
        self._memo = {} if memo is None else memo  # the engine's, shared by the submission's checks

    def once(self, key: Any, fn: Callable[[], Any]) -> Any:
        """``fn()``, asked once per submission: the checks of one submission share what it returned under
        ``key`` (a model the child built, a training's reply), and the engine drops it all when the
        submission's sandbox closes -- nothing of one submission reaches the next.  An exception is not
        remembered (the next check asks again).  A value that depends only on the judge's numbers, not on
        the submission, is ``grader.judge.memo``'s (once per process)."""
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def _left(self) -> float:
        return max(0.05, self.deadline - time.monotonic())

    def _ask(self, op: str, header: dict, payload: dict, doing: str, fn: str | None):
        return self._send(op, header, payload, doing, fn)()

    def _send(self, op: str, header: dict, payload: dict, doing: str, fn: str | None) -> Callable[[], Any]:
        """Send one request to the child; the function returned waits for the value."""
        if fn is not None and fn not in self.check.uses:
            raise UndeclaredCall(f"check {self.check.name} calls {fn}, which is not in its "
                                 f"uses={self.check.uses!r}")
        if fn in self._timed_out:
            raise Timeout(_("{fn} was not run again: it did not finish within the time limit "
                            "in check {check}").format(fn=fn, check=self._timed_out[fn]),
                          hint=_("Look for an endless loop, or work that grows much faster than the input."))
        header = {**header, "seed": int(self.rng.integers(2**31))}

        def noting_timeouts(step: Callable[[], Any]) -> Any:
            try:
                with guard.lifted():  # a fresh forkserver must not inherit the judge's own ceiling
                    return step()
            except Timeout:
                if fn:
                    self._timed_out[fn] = self.check.name
                raise
        receive = noting_timeouts(lambda: self.sandbox.submit(op, header, payload, self._left(), doing, fn,
                                                              limit=self.timeout))
        return lambda: noting_timeouts(receive)

    def start_early(self) -> None:
        """Send the check's ``early`` request now (the engine does, as grading begins)."""
        try:
            self._early = self.check.early(self)
        except Exception as e:  # noqa: BLE001 -- a verdict, or a grader bug, is said when the check runs
            self._early = e

    def early(self) -> Any:
        """The value of the check's ``early`` request: sent as grading began, or sent now."""
        if self.check.early is None:
            raise TypeError(f"check {self.check.name} declares no early request")
        pending, self._early = self._early, None
        if isinstance(pending, Exception):
            raise pending
        return (pending or self.check.early(self))()

    def call(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` from the student's module; returns plain data."""
        doing = f"{fn}({show_args(args, kwargs)})"
        value = self._ask("call", {"fn": fn}, {"args": list(args), "kwargs": kwargs}, doing, fn)
        if isinstance(value, Unsupported):
            raise Fail(_("{doing} returned a {type} ({text}), which is not an answer the grader can read").format(
                doing=doing, type=value.type_name, text=value.text),
                hint=_("Return plain numbers, tuples or numpy arrays as the docstring says."))
        return value

    def call_model(self, fn: str, *args: Any, with_weights: bool = False, trace_shape=None, **kwargs: Any):
        """Run a function that returns a keras.Model; returns it rebuilt in the judge.  ``trace_shape`` (one
        shape, or a list of shapes) is what a model without inputs of its own (a ``keras.Model`` subclass) is
        traced on in the child (``grader.core.lowering``)."""
        doing = f"{fn}({show_args(args, kwargs)})"
        header = {"fn": fn, "with_weights": with_weights}
        if trace_shape is not None:
            header["input_shape"] = ([list(s) for s in trace_shape] if isinstance(trace_shape[0], (list, tuple))
                                     else list(trace_shape))
        value = self._ask("call", header, {"args": list(args), "kwargs": kwargs}, doing, fn)
        origin = {"op": "call", "fn": fn, "args": list(args), "kwargs": kwargs}
        return rebuild(value, doing, opaque=lambda facts: OpaqueModel(self, origin, facts, doing), seed=self.seed)

    def build(self, fn: str, input_shape, *args: Any, with_weights: bool = False, **kwargs: Any):
        """Call a tensor function on keras.Input(shape=input_shape) (a list of
        shapes for several inputs) and return Model(inputs, outputs), rebuilt here."""
        shapes = [list(s) for s in input_shape] if isinstance(input_shape[0], (list, tuple)) else list(input_shape)
        doing = f"{fn}(keras.Input({tuple(input_shape)}){', ' if args or kwargs else ''}{show_args(args, kwargs)})"
        payload = {"shapes": shapes, "args": list(args), "kwargs": kwargs}
        value = self._ask("build", {"fn": fn, "with_weights": with_weights}, payload, doing, fn)
        origin = {"op": "build", "fn": fn, **payload}
        return rebuild(value, doing, opaque=lambda facts: OpaqueModel(self, origin, facts, doing), seed=self.seed)

    def recipe(self, name: str, *args: Any, fn: str | None = None, with_weights: bool = False, **kwargs: Any):
        """Run a grader recipe (``grader.core.child.recipe``) inside the child."""
        return self.recipe_later(name, *args, fn=fn, with_weights=with_weights, **kwargs)()

    def recipe_later(self, name: str, *args: Any, fn: str | None = None, with_weights: bool = False,
                     trace_shape=None, **kwargs: Any) -> Callable[[], Any]:
        """Start a recipe in the child and return a function that waits for its value, so that the judge
        can do its own work (build its reference) while the child works.  Call that function before
        asking the child anything else.  ``trace_shape``: as for ``call_model``, for a model the recipe
        returns."""
        doing = f"{fn or name}({show_args(args, kwargs)})"
        header = {"name": name, "with_weights": with_weights}
        if trace_shape is not None:
            header["input_shape"] = list(trace_shape)
        return self._send("recipe", header, {"args": list(args), "kwargs": kwargs}, doing, fn)


def _check_facts(facts, model, doing: str) -> None:
    """The facts the child sent about a model it wrote out must be those of the model the judge rebuilt: a
    reply that says otherwise was tampered with, and nothing in it is believed."""
    if facts is None:
        return
    import keras
    if not isinstance(model, keras.Model):
        return
    params = int(sum(int(np.prod(v.shape)) for v in model.weights))
    try:
        shapes = [tuple(None if d is None else int(d) for d in t.shape[1:]) for t in keras.tree.flatten(model.outputs)]
    except (AttributeError, ValueError):  # a Sequential without keras.Input: no outputs yet
        shapes = []
    if facts.params != params or list(facts.output_shapes) != shapes:
        raise StudentError(_("{doing}: what your code reported about its model ({n:,} parameters) is not the model it "
                             "sent ({m:,} parameters); the grader believes neither").format(
                                 doing=doing, n=facts.params, m=params),
                           hint=_("Return the keras.Model itself; do not edit what it sends to the grader."))


@contextlib.contextmanager
def starting_weights(seed: int, config: dict):
    """New layers made inside draw their starting weights from ``seed`` and ``config`` alone.

    Keras gives each initializer made without a seed one from Python's ``random`` module
    (``make_default_seed``), and its values follow from that number.  The judge's own Keras work before
    a rebuild -- a reference network, a dry run -- draws from the same module, and a process that keeps
    that work between grades (the warm grader, ``--watch``, ``check()`` again, the weightless models of
    ``stateless.weightless_model``) draws less the second time: the model the judge trains started from
    other weights, and trained to another accuracy, than in a grade of its own.

    Here the module is where a grade of its own puts it: seeded by the check's seed
    (``keras.utils.set_random_seed`` at the start of each check), then advanced by one build of the config's
    layers without weights -- the dry run, which built them afresh before every rebuild until the weightless
    models were kept (f56643f).  A cold single grade gets the weights it got before; every grade of a process
    gets them too; the module's state is put back after.  The panels' figures in the docstrings are these
    draws' (recalibrated on them, 2026-12-08; the figures before could not be reproduced by any grade of its
    own -- most likely measured in test processes whose earlier grades had moved the module)."""
    state = random.getstate()
    layers_only = {k: v for k, v in config.items() if k != "compile_config"}
    try:
        text = json.dumps(layers_only)
    except (TypeError, ValueError):  # not JSON (not from the wire): the module is advanced here, uncached
        random.seed(int(seed) % 2**32)
        _dry_run(copy.deepcopy(layers_only))
    else:
        random.setstate(_after_a_dry_run(int(seed) % 2**32, text))
    try:
        yield
    finally:
        random.setstate(state)


def _dry_run(layers_only: dict) -> None:
    """A weightless build of the layers, for the numbers it draws (the dry run built it already)."""
    import keras

    from grader.core.stateless import no_weights
    try:
        with no_weights():
            keras.saving.deserialize_keras_object(layers_only, safe_mode=True)
    except Exception:  # noqa: BLE001 -- built before: a failure here changes nothing
        pass


@functools.lru_cache(maxsize=32)
def _after_a_dry_run(seed: int, layers_text: str) -> tuple:
    """The state of Python's random module after ``random.seed(seed)`` and a weightless build of the layers
    (JSON): it depends on nothing else, so it is kept (a warm grader meets the same models at every grade)."""
    state = random.getstate()
    random.seed(seed)
    _dry_run(json.loads(layers_text))
    after = random.getstate()
    random.setstate(state)
    return after


def rebuild(value: Any, doing: str, opaque: "Callable[[Any], OpaqueModel] | None" = None, seed: int = 0):
    """A judge-side keras.Model from the config (and weights) the child sent; or, for a model the child could
    not write with built-in layers, ``opaque(facts)`` (an ``OpaqueModel``) where the caller can make one.
    A model sent without weights gets starting weights that follow from ``seed`` and its config only
    (``starting_weights``)."""
    import keras
    if not isinstance(value, StudentModel):
        kind = value.type_name if isinstance(value, Unsupported) else type(value).__name__
        raise Fail(_("{doing} returned a {kind}, expected a keras.Model").format(doing=doing, kind=kind),
                   hint=_("Return the model object (keras.Sequential or keras.Model), not a summary or tensor."))
    if value.config is None and opaque is not None and value.facts is not None:
        return opaque(value.facts)
    if value.config is None:
        from grader.core.session import child_message
        facts = value.facts
        why = "" if facts is None else child_message({"msgid": facts.opaque_id, "params": dict(facts.opaque_params)},
                                                      facts.opaque or "")
        raise StudentError(_("{doing}: the grader cannot write your model with built-in Keras layers ({why})").format(
            doing=doing, why=why), hint=_(guard.REFUSED_HINT))
    # Nothing is built before the config passes the allow-list and the exercise's budget.
    guard.check_config(value.config, doing)
    sent = sum(int(np.asarray(w).size) for w in value.weights or [])
    b = guard.current_budget()
    if b is not None and sent > b.max_params:
        raise Fail(_("{doing}: your model sent {n:,} weight values, over this exercise's budget of {budget:,}; "
                     "the grader did not build it").format(doing=doing, n=sent, budget=b.max_params))
    dry = guard.dry_run(value.config, doing)
    _check_facts(value.facts, dry, doing)
    from keras.src.backend.common.stateless_scope import in_stateless_scope
    if value.weights is None and in_stateless_scope():
        return dry  # the caller builds without weights anyway: the dry run is the rebuild
    fresh = starting_weights(seed, value.config) if value.weights is None else contextlib.nullcontext()
    try:
        with fresh:
            model = keras.saving.deserialize_keras_object(value.config, safe_mode=True)
    except Exception as e:  # noqa: BLE001 -- any failure to rebuild is the submission's
        raise StudentError(
            _("{doing}: the grader cannot rebuild your model from its config ({error})").format(
                doing=doing, error=f"{type(e).__name__}: {str(e)[:200]}"),
            hint=_("Use built-in Keras layers only (no Lambda or custom layers in this model).")) from None
    if value.weights is not None:
        try:
            model.set_weights(value.weights)
        except Exception as e:  # noqa: BLE001 -- weights that do not fit the config are the submission's
            raise StudentError(_("{doing}: the weights sent do not fit the model's config ({error})").format(
                doing=doing, error=f"{type(e).__name__}: {str(e)[:200]}"),
                hint=_("Return the keras.Model itself; do not edit what it sends to the grader.")) from None
    return model


class _Symbol:
    """What an ``OpaqueModel`` has for ``inputs``/``outputs``: a shape with the batch axis first."""

    def __init__(self, shape: tuple):
        self.shape = (None, *shape)


class OpaqueModel:
    """A model the child could not write with built-in layers (a layer that makes its own weights, an
    operation Keras has no twin for): the judge cannot rebuild it, so it reads the facts the child measured
    (``wire.ModelFacts``: shapes, parameters, compile settings) and asks the child to run it
    (``run``: the layer calls and the outputs under weights the judge chose) or to train it (``train``).
    The judge's tools accept it where they can judge by behaviour (``grader.judge.graph``,
    ``grader.judge.structure``); ``why`` says why it was not rebuilt."""

    def __init__(self, trial: "Trial", origin: dict, facts, doing: str):
        self.trial, self.origin, self.facts, self.doing = trial, origin, facts, doing
        self.inputs = [_Symbol(s) for s in facts.input_shapes]
        self.outputs = [_Symbol(s) for s in facts.output_shapes]
        self.compiled = facts.compiled
        self.loss = facts.loss
        self._calls = None

    @property
    def why(self) -> str:
        """Why the child could not write the model with built-in layers, in the current language."""
        from grader.core.session import child_message
        return child_message({"msgid": self.facts.opaque_id, "params": dict(self.facts.opaque_params)},
                             self.facts.opaque or "")

    @property
    def output_shape(self):
        shapes = [o.shape for o in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def count_params(self) -> int:
        return self.facts.params

    def run(self, inputs: list, values: list | None = None, assignments: list | None = None):
        """The child's ``wire.ModelRun`` of the model on ``inputs`` (and once per assignment of ``values``)."""
        from grader.core.wire import ModelRun
        value = self.trial._ask("run", {}, {"origin": self.origin, "inputs": list(inputs), "values": values,
                                          "assignments": assignments}, self.doing, self.origin["fn"])
        if not isinstance(value, ModelRun) or len(value.outputs) != 1 + len(assignments or []):
            raise StudentError(_("{doing}: the grader could not read what running your model gave back").format(
                doing=self.doing))
        return value

    def calls(self) -> tuple:
        """The layer calls of the model (``wire.LayerFact``s, in the order they ran), on a small batch."""
        if self._calls is None:
            rng = np.random.default_rng(0)
            xs = [rng.normal(0.0, 1.0, (2, *s)).astype("float32") for s in self.facts.input_shapes]
            self._calls = self.run(xs).layers
        return self._calls

    def train(self, x_train, y_train, x_score, **settings):
        """The child's ``wire.TrainingRun``: the model trained there (``grader.core.lowering.train``)."""
        from grader.core.wire import TrainingRun
        value = self.trial._ask("train", {}, {"origin": self.origin, "training": {
            "x_train": x_train, "y_train": y_train, "x_score": x_score, **settings}}, self.doing, self.origin["fn"])
        if not isinstance(value, TrainingRun) or value.probabilities.shape[0] != len(x_score):
            raise StudentError(_("{doing}: the grader could not read what training your model gave back").format(
                doing=self.doing))
        return value
