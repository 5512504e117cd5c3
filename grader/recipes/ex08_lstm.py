"""ex08 recipes: run the student's LSTMCell and sequence model inside the child.

The judge cannot rebuild a student's custom layer, so these functions use it
where it lives and hand back plain data only (numbers, names, shapes, numpy
arrays).  The judge recomputes every verdict from that data: it compares the
outputs with a real ``keras.layers.LSTM`` given the same weights, and scores
the sequence model's predictions against labels the child never sees.
"""
from __future__ import annotations

import time

import numpy as np

from grader.core.child import Missing, recipe

WEIGHT_NAMES = ("kernel", "recurrent_kernel", "bias")


def _student_class(module, name: str):
    cls = getattr(module, name, None)
    if cls is None:
        raise Missing(name)
    return cls


def _plain_state_size(size):
    if isinstance(size, (list, tuple)):
        return [_plain_state_size(s) for s in size]
    try:
        return int(size)
    except (TypeError, ValueError):
        return repr(size)[:80]


def _short_name(variable) -> str:
    name = str(getattr(variable, "name", ""))
    return name.rsplit("/", 1)[-1].split(":")[0]


@recipe
def lstm_cell_run(module, units, input_dim, weights=None, x=None, mask=None, return_sequences=False):
    """Instantiate ``module.LSTMCell(units)`` inside ``keras.layers.RNN``.

    Returns the cell's state_size, its weights as (name, shape) pairs and its
    parameter count; when ``weights`` (a dict name -> array) is given and the
    cell's weights carry those names and shapes, also loads them, runs ``x``
    (with ``mask``) and returns the output.
    """
    import keras

    cell = _student_class(module, "LSTMCell")(units)
    info = {"state_size": _plain_state_size(getattr(cell, "state_size", None)), "output": None}
    layer = keras.layers.RNN(cell, return_sequences=bool(return_sequences))
    layer.build((None, None, int(input_dim)))
    variables = list(keras.layers.Layer.weights.fget(cell))  # the tracked variables, whatever ``weights`` says
    info["weights"] = [(_short_name(v), tuple(int(d) for d in v.shape)) for v in variables]
    info["params"] = int(sum(int(np.prod(v.shape)) for v in variables))
    if weights is None or x is None:
        return info
    by_name = {}
    for v in variables:
        by_name.setdefault(_short_name(v), v)
    for name, value in weights.items():
        v = by_name.get(name)
        if v is None or tuple(v.shape) != tuple(value.shape):
            return info  # the judge reports the names and shapes it got
        v.assign(value.astype(v.dtype))
    out = layer(x, mask=None if mask is None else np.asarray(mask, dtype=bool))
    info["output"] = np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)
    return info


def _uses_cell(layer, cls) -> bool:
    import keras
    cell = getattr(layer, "cell", None)
    if cell is not None:
        cells = getattr(cell, "cells", [cell])
        if any(isinstance(c, cls) for c in cells):
            return True
    if isinstance(layer, keras.Model):
        return any(_uses_cell(inner, cls) for inner in layer.layers)
    inner = getattr(layer, "layer", None)  # wrappers such as Bidirectional
    return inner is not None and _uses_cell(inner, cls)


def _originals():
    import keras
    from keras.src.trainers.trainer import Trainer
    try:
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer as _T
    except ImportError:  # another backend
        _T = Trainer
    return _T.fit, _T.predict


_FIT, _PREDICT = _originals()


STEPS_PER_EXECUTION = 8


def _one_thread_per_op() -> None:
    """Train on one core, where TensorFlow's runtime has not started yet in this child: a 32-unit LSTM on
    batches of 64 gains nothing from a second thread per op (alone: 4.7 s of wall time with one, 5.0
    with two, the same test MSE to the last digit), and the training runs beside the other checks,
    which need the other core."""
    try:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
    except (ImportError, RuntimeError, AttributeError):  # started already: leave it as it is
        pass


@recipe
def train_sequence_model(module, x_train, y_train, x_test, epochs, batch_size):
    """Build the student's model, check that it uses LSTMCell, train it on the
    judge's data with the judge's budget, return its predictions on x_test."""
    import keras

    _one_thread_per_op()
    cls = _student_class(module, "LSTMCell")
    build = getattr(module, "build_sequence_model", None)
    if build is None:
        raise Missing("build_sequence_model")
    model = build(tuple(int(d) for d in x_train.shape[1:]))
    if not isinstance(model, keras.Model):
        return {"kind": type(model).__name__}
    info = {"kind": "Model", "params": int(model.count_params()),
            "uses_cell": any(_uses_cell(layer, cls) for layer in model.layers),
            "compiled": bool(getattr(model, "compiled", False) and model.optimizer is not None),
            "predictions": None}
    if not (info["uses_cell"] and info["compiled"]):
        return info
    info.update(_optimizer_facts(model.optimizer))
    _standard_start(model, cls)
    start = time.monotonic()
    # Eight batches per call of the compiled train step: the same updates in the same order (the same
    # trained weights, to the bit), with less of Keras's per-batch Python in between -- about 15% faster.
    model.steps_per_execution = STEPS_PER_EXECUTION
    # keras.Model's own fit, as it was before the submission was imported:
    # a class patch (or an override in a Model subclass) of fit changes nothing.
    history = _FIT(model, x_train, y_train, epochs=int(epochs), batch_size=int(batch_size), shuffle=True,
                   verbose=0)
    info["seconds"] = time.monotonic() - start
    info["losses"] = [_plain_number(v) for v in (getattr(history, "history", None) or {}).get("loss", [])]
    # The judge predicts, not the child: from x_test alone a child could compute the adding problem's
    # answers without training anything.  It gets the trained model in built-in layers only.
    info["model"] = keras_twin(model, cls, tuple(int(d) for d in x_train.shape[1:]))
    return info


def _plain_number(v) -> float | None:
    try:
        f = float(np.asarray(v))
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


def _optimizer_facts(optimizer) -> dict:
    """The optimizer's class, its first learning rate and SGD's momentum: plain numbers for the judge."""
    import keras
    rate = getattr(optimizer, "learning_rate", None)
    try:
        if isinstance(rate, keras.optimizers.schedules.LearningRateSchedule):
            rate = rate(0)
        rate = _plain_number(keras.ops.convert_to_numpy(rate)) if rate is not None else None
    except Exception:  # noqa: BLE001 -- a schedule that cannot say
        rate = None
    name = type(optimizer).__name__
    momentum = _plain_number(getattr(optimizer, "momentum", 0.0)) if name == "SGD" else 0.0
    return {"optimizer": name, "learning_rate": rate, "momentum": momentum or 0.0}


def _standard_start(model, cls) -> None:
    """Give each of the student's cells Keras's LSTM starting weights before training: a glorot_uniform
    kernel, an orthogonal recurrent kernel, and a bias of zeros with the forget gate's block at 1 (Keras's
    unit_forget_bias=True).  Initializers are the student's to choose and must not change a verdict
    (SYLLABUS.md): from a zero forget bias the same cell and optimizer got stuck at the mean on some seeds and
    not on others (the calibration panel, tests/panels/ex08).  A cell whose weights are not in Keras's layout
    is left as it is (the structure check says what is wrong with it)."""
    import keras
    for cell in (c for c in _cells_in(model) if type(c) is cls):
        own = {_short_name(v): v for v in keras.layers.Layer.weights.fget(cell)}
        kernel, recurrent, bias = own.get("kernel"), own.get("recurrent_kernel"), own.get("bias")
        if kernel is None or recurrent is None or bias is None or len(recurrent.shape) != 2:
            continue
        units = int(recurrent.shape[0])
        if tuple(recurrent.shape) != (units, 4 * units) or tuple(bias.shape) != (4 * units,) or \
                len(kernel.shape) != 2 or int(kernel.shape[1]) != 4 * units:
            continue
        kernel.assign(keras.initializers.GlorotUniform()(tuple(kernel.shape), dtype=kernel.dtype))
        recurrent.assign(keras.initializers.Orthogonal()(tuple(recurrent.shape), dtype=recurrent.dtype))
        start = np.zeros(4 * units, dtype=np.float32)
        start[units:2 * units] = 1.0
        bias.assign(start.astype(bias.dtype))


def _cells_in(layer) -> list:
    """The recurrent cells of a model, in the order of its layers (and of its config)."""
    import keras
    out = []
    for inner in getattr(layer, "layers", []):
        cell = getattr(inner, "cell", None)
        if cell is not None:
            out += list(getattr(cell, "cells", [cell]))
        elif isinstance(inner, keras.Model):
            out += _cells_in(inner)
    return out


KERAS_ORDER = {"kernel": 0, "recurrent_kernel": 1, "bias": 2}


def _keras_rnn(layer, args, cls, twins: dict):
    """For the tracer: an ``RNN`` whose cell is the student's ``LSTMCell`` as the same ``RNN`` of
    ``keras.layers.LSTMCell``, built on the traced input and given the student cell's trained weights in
    Keras's order; None for any other layer."""
    import keras
    cell = getattr(layer, "cell", None)
    if not isinstance(layer, keras.layers.RNN) or type(cell) is not cls:
        return None
    if id(layer) not in twins:
        own = sorted(keras.layers.Layer.weights.fget(cell), key=lambda w: KERAS_ORDER.get(_short_name(w), 3))
        kernel = next((v for v in own if _short_name(v) == "kernel"), None)
        if kernel is None or len(own) != 3:
            return None
        config = layer.get_config()
        config["cell"] = keras.saving.serialize_keras_object(keras.layers.LSTMCell(int(kernel.shape[-1]) // 4))
        twin = keras.layers.RNN.from_config(config)
        twin.build(tuple(args[0].shape))
        twin.cell.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in own])
        twins[id(layer)] = twin
    return twins[id(layer)]


def keras_twin(model, cls, input_shape=None):
    """The trained ``model`` with each of the student's ``LSTMCell`` replaced by
    ``keras.layers.LSTMCell`` of the same width (the exercise asks for Keras's layout),
    as a config of built-in layers and its weights in that config's order.

    A model whose config the judge would still refuse -- a keras.Model subclass, a layer of the student's
    own around the cell -- is written out by the child's tracer instead (``grader.core.lowering``), each
    ``RNN`` of a student cell called as an ``RNN`` of Keras's cell with the same weights (``_keras_rnn``)."""
    import json

    import keras

    from grader.core.wire import StudentModel, _json_default
    cells = [c for c in _cells_in(model) if type(c) is cls]
    pending = iter(cells)

    def swap(node):
        if isinstance(node, dict):
            if node.get("class_name") == cls.__name__ and node.get("module") == cls.__module__:
                cell = next(pending)
                kernel = next(v for v in keras.layers.Layer.weights.fget(cell) if _short_name(v) == "kernel")
                return keras.saving.serialize_keras_object(keras.layers.LSTMCell(int(kernel.shape[-1]) // 4))
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node
    config = swap(json.loads(json.dumps(keras.saving.serialize_keras_object(model), default=_json_default)))
    # A subclass of a functional or Sequential model (class Net(keras.Model) called on inputs and
    # outputs) is rebuilt as the graph it is: its own methods (fit, predict, ...) play no part.
    from keras.src.models.functional import Functional
    from keras.src.models.sequential import Sequential
    for base in (Sequential, Functional):
        if isinstance(model, base) and type(model) is not base:
            config.update({"class_name": base.__name__, "module": base.__module__, "registered_name": base.__name__})
            break
    from grader.core.guard import refusal
    if refusal(config) is not None:
        from grader.core import lowering
        twins: dict = {}
        return lowering.describe(model, with_weights=True, input_shapes=input_shape,
                                 substitute=lambda layer, args: _keras_rnn(layer, args, cls, twins))
    owner = {id(v): c for c in cells for v in keras.layers.Layer.weights.fget(c)}
    weights, done = [], set()
    for v in model.weights:
        cell = owner.get(id(v))
        if cell is None:
            weights.append(np.asarray(keras.ops.convert_to_numpy(v)))
        elif id(cell) not in done:
            done.add(id(cell))
            own = sorted(keras.layers.Layer.weights.fget(cell), key=lambda w: KERAS_ORDER.get(_short_name(w), 3))
            weights += [np.asarray(keras.ops.convert_to_numpy(w)) for w in own]
    return StudentModel(config, weights)
