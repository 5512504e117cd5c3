"""A rebuilt Keras model as a graph (ex03-ex06): read it, name its parts, and
compare it with a reference under identical weights.  Its layer table is
``grader.judge.structure.layer_rows``.

``Graph(model)`` flattens a functional model (nested Sequential/functional
models are expanded in place; ``keras.ops`` calls such as ``x + y`` or
``keras.ops.relu`` are nodes too) into nodes that know their inputs, their
consumers and their output shape.  ``Graph.order`` is a *canonical* order: a
depth-first walk from the outputs that visits the inputs of a Concatenate in
their (meaningful) order and the inputs of an Add from the branch with the
most weighted layers to the one with the fewest.  Two models wired the same
way therefore list their layers in the same order, whichever order the
student created them in -- that is how ``share_weights`` pairs a student's
layers with the reference's and gives both the same random weights.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Callable, Iterable

import keras
import numpy as np

from grader.core.errors import Fail
from grader.core.stateless import no_weights, weightless_model  # noqa: F401 -- the checks use them through graph
from grader.core.i18n import _
from grader.judge.cache import memo

# Op classes (keras.ops) named like the layer that does the same thing.
_OP_CLASS = {"MaxPool": "MaxPooling2D", "AveragePool": "AveragePooling2D"}
_COMMUTATIVE = {"Add", "Multiply", "Average", "Maximum", "Minimum"}
_STANDALONE_ACTIVATIONS = {"Relu": "relu", "Softmax": "softmax", "Sigmoid": "sigmoid", "Tanh": "tanh",
                           "Elu": "elu", "Selu": "selu", "Gelu": "gelu", "Silu": "silu",
                           "LeakyRelu": "leaky_relu", "LeakyReLU": "leaky_relu", "ELU": "elu"}
PASSTHROUGH = {"Dropout", "SpatialDropout2D", "GaussianNoise", "Identity"}
# Left out of layer tables: no parameters, identity at inference or folded into
# the next layer's output shape (ZeroPadding2D + "valid" is "same" spelled out).
SILENT = PASSTHROUGH | {"ZeroPadding2D"}


def _key(t) -> tuple:
    op, ni, ti = t._keras_history
    return id(op), ni, ti


class Node:
    __slots__ = ("index", "op", "inputs", "shape", "cls", "consumers", "_config")

    def __init__(self, index: int, op, inputs: list[int], shape: tuple):
        self.index = index
        self.op = op
        self.inputs = inputs
        self.shape = tuple(shape)
        name = "Input" if op is None else type(op).__name__
        self.cls = _OP_CLASS.get(name, name)
        self.consumers: list[int] = []
        self._config: dict | None = None

    @property
    def is_input(self) -> bool:
        return self.op is None

    @property
    def channels(self) -> int:
        return int(self.shape[-1])

    def config(self) -> dict:
        """The op's ``get_config()``, read once: a Graph is a snapshot of the model as it was read (like
        ``shape``), and a summary of DenseNet-121 reads each layer's config three times.  Do not mutate."""
        if self._config is None:
            self._config = self._read_config()
        return self._config

    def _read_config(self) -> dict:
        if self.op is None or not hasattr(self.op, "get_config"):
            return {}
        try:
            return self.op.get_config()
        except Exception:  # noqa: BLE001 -- some ops have no config
            return {}

    def attr(self, name: str, default=None):
        if self.op is not None and hasattr(self.op, name):
            return getattr(self.op, name)
        return self.config().get(name, default)

    @property
    def n_weights(self) -> int:
        return len(getattr(self.op, "weights", []) or []) if self.op is not None else 0

    def __repr__(self) -> str:
        return f"<{self.index}: {describe(self)}>"


def is_opaque(model) -> bool:
    """A model the child could not write with built-in layers (``grader.core.spec.OpaqueModel``): the judge
    has no graph of it and judges it by what it computes (``compare_behaviour`` runs it in the child)."""
    from grader.core.spec import OpaqueModel
    return isinstance(model, OpaqueModel)


class Graph:
    """A model's graph with nested models expanded and a canonical order."""

    def __init__(self, model):
        if is_opaque(model):  # a check that reads a graph judges such a model by behaviour first (see is_opaque)
            raise TypeError("an opaque model has no graph; judge it with compare_behaviour")
        self.nodes: list[Node] = []
        self.inputs = [self._add(None, [], t.shape) for t in model.inputs]
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))
        try:
            self.outputs = self._expand(model, self.inputs)
        finally:
            sys.setrecursionlimit(old)
        for n in self.nodes:
            for i in n.inputs:
                self.nodes[i].consumers.append(n.index)
        self._weighted_ancestors()
        self.order = self._canonical()

    # ------------------------------------------------------------ building
    def _add(self, op, inputs, shape) -> int:
        n = Node(len(self.nodes), op, list(inputs), tuple(shape))
        self.nodes.append(n)
        return n.index

    def _expand(self, model, in_ids: list[int]) -> list[int]:
        memo = {_key(t): i for t, i in zip(model.inputs, in_ids)}

        def visit(t) -> int:
            k = _key(t)
            if k in memo:
                return memo[k]
            op, ni, ti = t._keras_history
            node = op._inbound_nodes[ni]
            ins = [visit(x) for x in node.input_tensors]
            if isinstance(op, keras.Model):
                outs = self._expand(op, ins)
                for j, o in enumerate(outs):
                    memo[(id(op), ni, j)] = o
                return outs[ti]
            idx = self._add(op, ins, t.shape)
            memo[k] = idx
            return idx

        return [visit(t) for t in model.outputs]

    def _weighted_ancestors(self) -> None:
        bits = []
        for n in self.nodes:  # creation order is topological
            b = 0
            for i in n.inputs:
                b |= bits[i]
            if n.n_weights:
                b |= 1 << n.index
            bits.append(b)
        self._wcount = [bin(b).count("1") for b in bits]

    def _canonical(self) -> list[Node]:
        seen: set[int] = set()
        order: list[Node] = []
        stack: list[tuple[int, bool]] = [(o, False) for o in reversed(self.outputs)]
        while stack:
            i, expanded = stack.pop()
            if expanded:
                order.append(self.nodes[i])
                continue
            if i in seen:
                continue
            seen.add(i)
            stack.append((i, True))
            ins = self.ordered_inputs(self.nodes[i])
            for j in reversed(ins):
                if j not in seen:
                    stack.append((j, False))
        return order

    def ordered_inputs(self, n: Node) -> list[int]:
        if n.cls in _COMMUTATIVE:
            return sorted(n.inputs, key=lambda j: -self._wcount[j])
        return list(n.inputs)

    # ------------------------------------------------------------ reading
    def __getitem__(self, i: int) -> Node:
        return self.nodes[i]

    def weighted(self) -> list[Node]:
        """Layers with weights, in canonical order (a shared layer once)."""
        out, ids = [], set()
        for n in self.order:
            if n.n_weights and id(n.op) not in ids:
                ids.add(id(n.op))
                out.append(n)
        return out

    def count(self, *classes: str) -> int:
        return sum(1 for n in self.order if n.cls in classes)

    def find(self, *classes: str) -> list[Node]:
        return [n for n in self.order if n.cls in classes]

    def skip_back(self, i: int, classes: Iterable[str] = PASSTHROUGH) -> int:
        """Walk back from node i through the given single-input layers."""
        classes = set(classes)
        while self.nodes[i].cls in classes and len(self.nodes[i].inputs) == 1:
            i = self.nodes[i].inputs[0]
        return i

    def branch(self, i: int, stop: Iterable[int] = (), include_first: bool = False) -> tuple[list[Node], int]:
        """The branch that ends at node i: walk back through single-input nodes
        and stop *before* a fork (a tensor that feeds several layers), an input,
        a merge (several inputs) or a node in ``stop``; with ``include_first``
        node i itself belongs to the branch even when it is a fork.  Returns
        (the nodes, oldest first; the index of the node the branch starts from)."""
        stop = set(stop)
        path = []
        first = include_first
        while (not self.nodes[i].is_input and len(self.nodes[i].inputs) == 1
               and (first or (i not in stop and len(set(self.nodes[i].consumers)) <= 1))):
            first = False
            path.append(self.nodes[i])
            i = self.nodes[i].inputs[0]
        return path[::-1], i

    def concat_leaves(self, i: int) -> list[int]:
        """The tensors a (nested) channel concatenation at node i is made of, in order."""
        n = self.nodes[self.skip_back(i)]
        if n.cls == "Concatenate" and concat_axis(n) in (-1, len(n.shape) - 1):
            out = []
            for j in n.inputs:
                out.extend(self.concat_leaves(j))
            return out
        return [n.index]


def concat_axis(n: Node) -> int:
    axis = n.attr("axis", -1)
    return int(axis) if axis is not None else -1


# ------------------------------------------------------------ descriptions
def activation(n: Node) -> str | None:
    """The activation a node applies: a standalone activation layer/op, or a layer's own."""
    if n.cls == "ReLU":
        cfg = n.config()
        plain = not cfg.get("max_value") and not cfg.get("negative_slope") and not cfg.get("threshold")
        return "relu" if plain else "relu(clipped/leaky)"
    if n.cls == "Activation":
        return _act_name(n.config().get("activation"))
    if n.cls in _STANDALONE_ACTIVATIONS:
        return _STANDALONE_ACTIVATIONS[n.cls]
    return None


def is_standalone_activation(n: Node) -> bool:
    return n.cls in ("ReLU", "Activation") or n.cls in _STANDALONE_ACTIVATIONS


def own_activation(n: Node) -> str | None:
    """The ``activation=`` of a layer such as Conv2D/Dense (None for linear)."""
    cfg = n.config()
    if "activation" not in cfg or is_standalone_activation(n):
        return None
    return _act_name(cfg["activation"])


def _act_name(act) -> str | None:
    if isinstance(act, dict):
        act = act.get("config", {}).get("name") or act.get("class_name")
    if act in (None, "linear"):
        return None
    return str(act)


def _pair(v) -> tuple:
    if v is None:
        return ()
    return tuple(int(x) for x in v) if isinstance(v, (list, tuple)) else (int(v), int(v))


def _size(v) -> str:
    p = _pair(v)
    return "x".join(str(x) for x in p) if p else "?"


def describe(n: Node) -> str:
    """A short human name: 'Conv2D 3x3/2, 64 filters', 'MaxPooling2D 3x3/2', 'the block input'."""
    if n.is_input:
        return "the block input"
    cfg = n.config()
    cls = n.cls
    if "kernel_size" in cfg:
        s = _pair(cfg.get("strides"))
        stride = f"/{s[0]}" if s and max(s) > 1 and s[0] == s[1] else (f"/{s}" if s and max(s) > 1 else "")
        units = f", {cfg['filters']} filters" if "filters" in cfg else ""
        act = own_activation(n)
        return f"{cls} {_size(cfg['kernel_size'])}{stride}{units}" + (f" ({act})" if act else "")
    if "pool_size" in cfg or n.cls in ("MaxPooling2D", "AveragePooling2D"):
        s = _pair(cfg.get("strides") or n.attr("strides"))
        return f"{cls} {_size(cfg.get('pool_size') or n.attr('pool_size'))}" + (f"/{s[0]}" if s else "")
    if cls == "Dense":
        act = own_activation(n)
        return f"Dense {cfg.get('units')}" + (f" ({act})" if act else "")
    return cls


def kinds(path: Iterable[Node]) -> list[str]:
    """A branch as short words: conv3x3/2, bn, relu, maxpool3x3/1, ... (passthroughs dropped)."""
    out = []
    for n in path:
        if n.cls in SILENT:
            continue
        cfg = n.config()
        if n.cls == "Conv2D":
            s = _pair(cfg.get("strides"))
            out.append(f"conv{_size(cfg['kernel_size'])}" + (f"/{s[0]}" if s and max(s) > 1 else ""))
        elif n.cls in ("MaxPooling2D", "AveragePooling2D"):
            size = _pair(cfg.get("pool_size") or n.attr("pool_size"))
            s = _pair(cfg.get("strides") or n.attr("strides")) or size
            out.append(f"{'max' if n.cls.startswith('Max') else 'avg'}pool{'x'.join(map(str, size))}/{s[0]}")
        elif n.cls == "BatchNormalization":
            out.append("bn")
        elif is_standalone_activation(n):
            out.append(activation(n) or n.cls.lower())
            continue
        else:
            out.append(n.cls)
        act = own_activation(n)
        if act:
            out.append(act)
    return out


# ------------------------------------------------------------ identical weights
def _random_value(var, rng: np.random.Generator) -> np.ndarray:
    shape = tuple(var.shape)
    name = var.path.split("/")[-1] if hasattr(var, "path") else var.name
    if name == "gamma":
        v = rng.uniform(0.5, 1.5, shape)
    elif name == "moving_variance":
        v = rng.uniform(0.5, 2.0, shape)
    elif name in ("beta", "moving_mean", "bias"):
        v = rng.normal(0.0, 0.3, shape)
    else:
        fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
        v = rng.normal(0.0, 1.2 / np.sqrt(max(fan_in, 1)), shape)
    return v.astype("float32")


def _shape_text(n: Node) -> str:
    return ", ".join(str(tuple(w.shape)) for w in n.op.weights)


def share_weights(student: Graph, reference: Graph, rng: np.random.Generator, what: str,
                  bias_open: Iterable[str] = ()) -> dict[int, np.ndarray]:
    """The same random weights for the student's layers and the reference's.

    Layers are paired in canonical order; a pair must have the same class and
    weight shapes.  A BatchNormalization gets random moving statistics too and
    the reference copies the student's epsilon (the syllabus leaves it open).
    For classes in ``bias_open`` (e.g. "Conv2D" where the syllabus does not fix
    use_bias) a missing bias on either side counts as a zero bias.  Returns
    {id(variable): value} for both models (see ``outputs``): the models may be
    built without weights (``no_weights``); nothing is assigned.
    """
    bias_open = set(bias_open)
    s_layers, r_layers = student.weighted(), reference.weighted()
    for i, (s, r) in enumerate(zip(s_layers, r_layers), start=1):
        s_shapes = [tuple(w.shape) for w in s.op.weights]
        r_shapes = [tuple(w.shape) for w in r.op.weights]
        if s.cls == r.cls and s.cls in bias_open:
            s_shapes, r_shapes = s_shapes[:1], r_shapes[:1]
        if s.cls != r.cls or s_shapes != r_shapes:
            raise Fail(_("{what}: layer with weights number {i} is {got} with weights {got_weights}; "
                         "expected {want} with weights {want_weights}").format(
                what=what, i=i, got=describe(s), got_weights=_shape_text(s), want=describe(r),
                want_weights=_shape_text(r)))
    if len(s_layers) != len(r_layers):
        raise Fail(_("{what} has {n} layers with weights, expected {m} ({layers})").format(
            what=what, n=len(s_layers), m=len(r_layers), layers=", ".join(describe(r) for r in r_layers)))
    values: dict[int, np.ndarray] = {}
    for s, r in zip(s_layers, r_layers):
        s_vars, r_vars = list(s.op.weights), list(r.op.weights)
        if len(s_vars) == len(r_vars):
            for sv, rv in zip(s_vars, r_vars):
                values[id(sv)] = values[id(rv)] = _random_value(rv, rng)
        else:  # bias open: kernels shared; the side that has a bias gets a zero one
            kernel = _random_value(r_vars[0], rng)
            values[id(s_vars[0])] = values[id(r_vars[0])] = kernel
            for v in s_vars + r_vars:
                if id(v) not in values:
                    values[id(v)] = np.zeros(tuple(v.shape), "float32")
        if s.cls == "BatchNormalization":
            r.op.epsilon = float(s.op.epsilon)
    return values


def _value(v, values: dict[int, np.ndarray]):
    if id(v) in values:
        return values[id(v)]
    if getattr(v, "_value", None) is None and getattr(v, "_initializer", None) is not None:
        return v._initializer(tuple(v.shape), v.dtype)  # a deferred variable (a seed state, ...)
    return v.value


def outputs(model, x, values: dict[int, np.ndarray] | None = None) -> list[np.ndarray]:
    """The model's outputs in inference mode, with its variables read from ``values``."""
    if values is None:
        ys = model(x, training=False)
    else:
        tv = [_value(v, values) for v in model.trainable_variables]
        ntv = [_value(v, values) for v in model.non_trainable_variables]
        ys, _ = model.stateless_call(tv, ntv, x, training=False)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    return [keras.ops.convert_to_numpy(y) for y in ys]


def largest_tensor(g: Graph) -> int:
    """Values in the largest tensor of the graph (per sample; unknown sizes count as 1)."""
    return max((int(np.prod([d or 1 for d in n.shape[1:]], dtype=np.int64)) for n in g.nodes), default=0)


def check_sizes(g: Graph, limit: int, what: str) -> None:
    """The judge runs rebuilt student models itself: refuse one whose tensors are
    absurdly large before it can exhaust the judge's memory."""
    big = largest_tensor(g)
    if big > limit:
        raise Fail(_("{what} builds a tensor of {big:,} values per example, far more than this block needs "
                     "(at most {limit:,} here)").format(what=what, big=big, limit=limit))


def with_input_shape(model, input_shape):
    """The model rebuilt (without weights) on a concrete input shape, so every
    tensor in it has a known size: only the top-level inputs are changed."""
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    for layer in config.get("config", {}).get("layers", []):
        if layer.get("class_name") == "InputLayer":
            layer["config"]["batch_shape"] = [None, *input_shape]
    if isinstance(config.get("build_config"), dict):
        config["build_config"] = {"input_shape": [None, *input_shape]}
    return weightless_model(config, safe_mode=True)


def compare_behaviour(student_model, reference_model, input_shapes, rng, what: str, *,
                      atol: float = 1e-4, rtol: float = 1e-4, bias_open: Iterable[str] = (),
                      batch: int = 2, mistakes: dict | None = None, names: tuple[str, ...] = ()) -> None:
    """Same random weights on both, same random inputs: the outputs must agree."""
    if is_opaque(student_model):
        return _compare_opaque(student_model, reference_model, input_shapes, rng, what, atol=atol, rtol=rtol,
                               bias_open=bias_open, batch=batch, mistakes=mistakes, names=names)
    s_graph, r_graph = Graph(student_model), Graph(reference_model)
    check_sizes(s_graph, max(64 * largest_tensor(r_graph), 2**20), what)
    values = share_weights(s_graph, r_graph, rng, what, bias_open)
    shapes = input_shapes if isinstance(input_shapes[0], (list, tuple)) else [input_shapes]
    xs = [rng.normal(0.0, 1.0, (batch, *s)).astype("float32") for s in shapes]
    x = xs if len(xs) > 1 else xs[0]
    got, want = outputs(student_model, x, values), outputs(reference_model, x, values)
    if len(got) != len(want):
        raise Fail(_("{what} returned {n} tensors, expected {m}").format(what=what, n=len(got), m=len(want)))
    from grader.judge import expect
    for k, (g, w) in enumerate(zip(got, want)):
        label = names[k] if k < len(names) else ("" if len(want) == 1 else _(" output {n}").format(n=k + 1))
        expect.close(g, w, _("{what}{label} on random inputs (same weights as the reference)").format(
                         what=what, label=label), atol=atol, rtol=rtol, mistakes=mistakes)


MAX_PAIRINGS = 24  # the ways of pairing an opaque model's layers with the reference's that are tried


def _pairings(student: list, reference: list, what: str, bias_open: set):
    """The ways to pair the student's layers with weights (``wire.LayerFact``s, in the order they ran) with
    the reference's (``Node``s, canonical order): layers with the same weight shapes, in order first, then
    the other orders of layers whose shapes are alike (two BatchNormalizations of one width), at most
    ``MAX_PAIRINGS``.  Classes do not matter: a layer of the student's own that holds a kernel and a bias
    of Dense's shapes is paired with the Dense.  A reference class in ``bias_open`` is paired by its kernel
    alone.  Fails naming the first layer that has no partner."""
    import itertools
    groups: dict[tuple, list[int]] = {}
    for j, n in enumerate(reference):
        shapes = tuple(tuple(w.shape) for w in n.op.weights)
        groups.setdefault(shapes[:1] if n.cls in bias_open and len(shapes) == 2 else shapes, []).append(j)
    members: dict[tuple, list[int]] = {}
    for i, c in enumerate(student):
        full = tuple(c.weights)
        sig = next((g for g in (full, full[:1] if len(full) == 2 else None)
                    if g in groups and len(members.get(g, [])) < len(groups[g])), None)
        if sig is None:
            raise Fail(_("{what}: layer with weights number {i} is {got} with weights {got_weights}; the reference "
                         "has no such layer left ({layers})").format(
                what=what, i=i + 1, got=c.cls, got_weights=", ".join(str(w) for w in c.weights),
                layers=", ".join(describe(n) for n in reference)))
        members.setdefault(sig, []).append(i)
    if len(student) != len(reference):
        raise Fail(_("{what} has {n} layers with weights, expected {m} ({layers})").format(
            what=what, n=len(student), m=len(reference), layers=", ".join(describe(n) for n in reference)))
    sigs = list(groups)
    for k, choice in enumerate(itertools.product(*(itertools.permutations(members[g]) for g in sigs))):
        if k >= MAX_PAIRINGS:
            return
        yield {i: j for g, chosen in zip(sigs, choice) for i, j in zip(chosen, groups[g])}


def _compare_opaque(student, reference_model, input_shapes, rng, what: str, *, atol, rtol, bias_open, batch,
                    mistakes, names) -> None:
    """``compare_behaviour`` for a model the judge cannot rebuild: the child runs it, with the reference's
    random weights given to its layers in each way of pairing them (``_pairings``); one pairing that gives
    the reference's outputs is a PASS."""
    bias_open = set(bias_open)
    r_graph = Graph(reference_model)
    reference = r_graph.weighted()
    shapes = input_shapes if isinstance(input_shapes[0], (list, tuple)) else [input_shapes]
    xs = [rng.normal(0.0, 1.0, (batch, *s)).astype("float32") for s in shapes]
    seen, weighted = set(), []
    for c in student.calls():
        if c.weights and c.weight_indices and c.weight_indices not in seen:
            seen.add(c.weight_indices)
            weighted.append(c)
    by_id: dict[int, np.ndarray] = {}
    for n in reference:
        for v in n.op.weights:
            by_id[id(v)] = _random_value(v, rng)
    values: list[np.ndarray] = []
    index: dict[Any, int] = {}

    def value_index(key, value) -> int:
        if key not in index:
            values.append(np.asarray(value, "float32"))
            index[key] = len(values) - 1
        return index[key]
    assignments, tried = [], []
    n_weights = 1 + max((i for c in weighted for i in c.weight_indices), default=-1)
    for pairing in _pairings(weighted, reference, what, bias_open):
        assignment = [-1] * n_weights
        for i, j in pairing.items():
            s_layer, r_vars = weighted[i], list(reference[j].op.weights)
            s_idx = list(s_layer.weight_indices)
            if len(s_idx) == len(r_vars):
                for k, v in zip(s_idx, r_vars):
                    assignment[k] = value_index(id(v), by_id[id(v)])
            else:  # bias open: the kernel shared, a bias on one side only is zero
                assignment[s_idx[0]] = value_index(id(r_vars[0]), by_id[id(r_vars[0])])
                if len(s_idx) == 2:
                    assignment[s_idx[1]] = value_index(("zeros", s_layer.weights[1]), np.zeros(s_layer.weights[1]))
                if len(r_vars) == 2:
                    by_id[id(r_vars[1])] = np.zeros(tuple(r_vars[1].shape), "float32")
        assignments.append(assignment)
        tried.append(pairing)
    for s_layer, j in ((weighted[i], j) for i, j in (tried[0].items() if tried else ())):
        if s_layer.epsilon is not None and hasattr(reference[j].op, "epsilon"):  # left open by the syllabus
            reference[j].op.epsilon = float(s_layer.epsilon)
    got_runs = student.run(xs, values, assignments).outputs[1:]
    x = xs if len(xs) > 1 else xs[0]
    want = outputs(reference_model, x, by_id)
    from grader.judge import expect

    def agrees(got) -> bool:
        return len(got) == len(want) and all(
            g.shape == w.shape and np.allclose(g, w, atol=atol, rtol=rtol) for g, w in zip(got, want))
    if any(agrees(got) for got in got_runs):
        return
    got = got_runs[0] if got_runs else ()
    if len(got) != len(want):
        raise Fail(_("{what} returned {n} tensors, expected {m}").format(what=what, n=len(got), m=len(want)))
    note = _(" (judged by what your model computes: {why})").format(why=student.why)
    for k, (g, w) in enumerate(zip(got, want)):
        label = names[k] if k < len(names) else ("" if len(want) == 1 else _(" output {n}").format(n=k + 1))
        expect.close(g, w, _("{what}{label} on random inputs (same weights as the reference)").format(
                         what=what, label=label) + note, atol=atol, rtol=rtol, mistakes=mistakes)


def judged_by_behaviour(model, reference_model, input_shapes, rng, what: str, **kwargs) -> bool:
    """For a check that reads a model's graph: when ``model`` is opaque (``is_opaque``) there is no graph to
    read, so it is judged by its output shapes and by what it computes beside ``reference_model``
    (``compare_behaviour``): True when it was (it passed; a difference is a FAIL).  False for a model the
    judge rebuilt: the check reads its graph as usual."""
    if not is_opaque(model):
        return False
    got = [tuple(s.shape[1:]) for s in model.outputs]
    want = [tuple(t.shape[1:]) for t in reference_model.outputs]
    if got != want:
        raise Fail(_("{what} has output shape {got}, expected {want}").format(
            what=what, got=got[0] if len(got) == 1 else got, want=want[0] if len(want) == 1 else want))
    compare_behaviour(model, reference_model, input_shapes, rng, what, **kwargs)
    return True


# ------------------------------------------------------------ ground truth helpers
@memo
def receptive_field(layers) -> int:
    """Receptive field measured by Keras: feed one-hot impulses through a stack of
    Conv1D layers with all-ones kernels; the span of the inputs that reach output 0."""
    layers = [(int(k), int(s)) for k, s in layers]
    n = 1
    jump = 1
    for k, s in layers:
        n += k * jump
        jump *= s
    x = np.eye(n, dtype="float32")[:, :, None]
    y = x
    for k, s in layers:
        conv = keras.layers.Conv1D(1, k, strides=s, padding="valid", use_bias=False,
                                   kernel_initializer="ones")
        y = conv(y)
    reach = np.flatnonzero(keras.ops.convert_to_numpy(y)[:, 0, 0])
    return int(reach[-1] - reach[0] + 1)  # the span (kernels smaller than strides leave gaps)


def signature(n: Node) -> tuple:
    """What a weighted layer is, independent of names/initializers: class and weight shapes."""
    return (n.cls, tuple(tuple(w.shape) for w in n.op.weights))


def residual_problem(g: Graph) -> str | None:
    """What is wrong with the first Add of a residual network that is not a
    skip connection (both inputs from one fork; the shortcut x or 1x1 conv + BN)."""
    for n in g.order:
        if n.cls != "Add":
            continue
        if len(n.inputs) != 2:
            return _("an Add has {n} inputs, a residual addition has 2").format(n=len(n.inputs))
        (main, m_start), (short, s_start) = sorted((g.branch(i) for i in n.inputs), key=lambda b: -len(b[0]))
        where = _("the Add after {layer}").format(layer=describe(main[-1])) if main else _("an Add")
        if m_start != s_start:
            return _("{where} does not add the block's input: its shortcut starts at {shortcut}, the main path at "
                     "{main}").format(where=where, shortcut=describe(g[s_start]), main=describe(g[m_start]))
        k = kinds(short)
        if k and not (len(k) == 2 and k[0].startswith("conv1x1") and k[1] == "bn"):
            return _("{where} has the shortcut {kinds}; a shortcut is x itself or a 1x1 convolution + BN").format(
                where=where, kinds="-".join(k))
    return None


def class_counts(g: Graph) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in g.order:
        if not n.is_input:
            out[n.cls] = out.get(n.cls, 0) + 1
    return out


def build(t, fn: str, input_shape, *args, **kwargs):
    """``t.build`` with the model rebuilt here without weights (``compare_behaviour``
    supplies them): creating TensorFlow variables is the slow part of a rebuild."""
    with no_weights():
        return t.build(fn, input_shape, *args, **kwargs)


def block_model(fn, input_shape, *args):
    """A reference block ``fn(x, *args)`` on keras.Input(input_shape), without weights."""
    with no_weights():
        x = keras.Input(shape=tuple(input_shape))
        return keras.Model(x, fn(x, *args))


def model_from_child(t, fn: str, *args, meanwhile: Callable[[], Any] | None = None,
                     read: Callable[[Any], Any] | None = None, trace_shape=None):
    """Call a model-building function in the child without allocating its weights
    (recipe ``stateless_<fn>``) and rebuild the model here, also without weights.
    ``meanwhile()`` (the judge's own reference, say) runs while the child builds.  ``read(model)``, when
    given, is returned instead of the model, and is worked out once per process for the same config
    (``_read_rebuilt``).  ``trace_shape``: what a model without inputs of its own (a ``keras.Model`` subclass)
    is traced on in the child."""
    from grader.core.spec import show_args
    receive = t.recipe_later(f"stateless_{fn}", *args, fn=fn, trace_shape=trace_shape)
    try:
        if meanwhile is not None:
            meanwhile()
    finally:
        value = receive()  # always: the child's reply must not stay in the channel
    doing = f"{fn}({show_args(args, {})})"
    if read is not None:
        return _read_rebuilt(value, doing, read)
    return _rebuilt(value, doing)


def _rebuilt(value, doing: str):
    from grader.core.spec import rebuild
    with no_weights():
        return rebuild(value, doing)


def _config_key(value, doing: str, read: Callable[[Any], Any]) -> tuple:
    """A weightless model's config, the exercise's budget (which the rebuild checks it against) and what is
    read from it.  (A value without a config, or with weights, has no key: it is rebuilt every time.)"""
    from grader.core import guard
    if value.weights is not None:
        raise ValueError("weights")
    return json.dumps(value.config, sort_keys=True, default=repr), repr(guard.current_budget()), read


@memo(key=_config_key, maxsize=64)
def _read_rebuilt(value, doing: str, read: Callable[[Any], Any]):
    """``read`` of the judge's rebuild of a child's model.  A warm grader (a batch, ``grade --watch``)
    meets the same network again and again, the reference's in every file that changed only another
    function, and a ResNet-50 or DenseNet-121 takes seconds to rebuild.  Layer names are in the config:
    the grader's fresh Keras state per submission gives the same code the same names."""
    return read(_rebuilt(value, doing))
