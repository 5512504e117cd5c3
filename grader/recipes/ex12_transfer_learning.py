"""ex12 recipes: hand the grader's own base to the student's functions, inside the child.

The base is the grader's: a small CNN described by a plain spec (a list of
layer descriptions, below) and built here with built-in layers only; its
pretrained weights come from the judge.  The student's ``build_transfer_model``,
``trainable_counts`` and ``unfreeze_top`` receive Keras objects, so they can
only run where the student's module lives.  These functions call them, train
with ``keras.Model.fit`` as it was before the submission was imported, and
hand back plain data only: flags, counts, layer classes, weights and outputs.
The judge (``grader.checks.ex12_transfer_learning``) decides everything from
that data and from its own copy of the base.  Nothing is judged here.
"""
from __future__ import annotations

import numpy as np

from grader.core.child import Missing, recipe

# ------------------------------------------------------------------ the grader's bases (judge and child)
# A base spec is a list of layer descriptions:
#   ["conv", filters, kernel, use_bias]   Conv2D(filters, kernel, padding="same")
#   ["bn"]                                BatchNormalization(momentum=0.9)
#   ["relu"]                              ReLU()
#   ["pool"]                              MaxPooling2D(2)
#   ["dense", units]                      Dense(units) on the channel axis (weights, not a convolution)


def build_base(spec, input_shape, name: str = "base"):
    """The functional keras.Model the spec describes (the same code in the judge and the child)."""
    import keras
    from keras import layers as L
    x = inputs = keras.Input(shape=tuple(int(d) for d in input_shape))
    for i, item in enumerate(spec):
        kind, args = item[0], list(item[1:])
        if kind == "conv":
            layer = L.Conv2D(int(args[0]), int(args[1]), padding="same", use_bias=bool(args[2]), name=f"conv{i}")
        elif kind == "bn":
            layer = L.BatchNormalization(momentum=0.9, name=f"bn{i}")
        elif kind == "relu":
            layer = L.ReLU(name=f"relu{i}")
        elif kind == "pool":
            layer = L.MaxPooling2D(2, name=f"pool{i}")
        elif kind == "dense":
            layer = L.Dense(int(args[0]), name=f"dense{i}")
        else:
            raise ValueError(f"unknown base layer {kind!r}")
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def build_case(case):
    """A model of the trainable_counts cases: a base (frozen all, none, or some layers) and a head."""
    import keras
    from keras import layers as L
    base = build_base(case["base"], case["input"])
    frozen = case["frozen"]
    if frozen == "all":
        base.trainable = False
    elif frozen != "none":
        for i in frozen:
            base.layers[1 + int(i)].trainable = False  # layers[0] is the InputLayer
    head = []
    for item in case["head"]:
        kind = item[0]
        if kind == "gap":
            head.append(L.GlobalAveragePooling2D())
        elif kind == "flatten":
            head.append(L.Flatten())
        elif kind == "dropout":
            head.append(L.Dropout(float(item[1])))
        elif kind == "dense":
            head.append(L.Dense(int(item[1]), activation="softmax"))
        elif kind == "bn":
            head.append(L.BatchNormalization())
    if case.get("nested", True):
        x = inputs = keras.Input(shape=tuple(case["input"]))
        x = base(x, training=False)
        for layer in head:
            x = layer(x)
        return keras.Model(inputs, x)
    return keras.Sequential([keras.Input(shape=tuple(case["input"])), *base.layers[1:], *head])


def base_with_weights(spec, input_shape, weights):
    base = build_base(spec, input_shape)
    if weights is not None:
        base.set_weights([np.asarray(w) for w in weights])
    return base


# ------------------------------------------------------------------ facts about a model
def _originals():
    import keras  # noqa: F401
    from keras.src.trainers.trainer import Trainer
    try:
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer as _T
    except ImportError:  # another backend
        _T = Trainer
    from keras.src.layers.layer import Layer
    return _T.fit, Layer.trainable_weights.fget, Layer.non_trainable_weights.fget, Layer.weights.fget


_FIT, _TRAINABLE, _NON_TRAINABLE, _WEIGHTS = _originals()


def _size(variables) -> int:
    return int(sum(int(np.prod(v.shape)) for v in variables))


def _flat(layer) -> list:
    """Every layer inside ``layer`` (not itself), depth first, as Keras tracks them."""
    try:
        return list(layer._flatten_layers(include_self=False, recursive=True))
    except Exception:  # noqa: BLE001 -- a student object that is not a Layer
        return []


def _number(v):
    try:
        return float(np.asarray(v))
    except (TypeError, ValueError):
        return None


def _lr(optimizer):
    if optimizer is None:
        return None
    import keras
    lr = getattr(optimizer, "learning_rate", None)
    try:
        if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
            return _number(lr(0))
    except Exception:  # noqa: BLE001
        return None
    return _number(keras.ops.convert_to_numpy(lr)) if lr is not None else None


def _loss_name(model) -> str:
    loss = getattr(model, "loss", None)
    if loss is None:
        return ""
    if isinstance(loss, str):
        return loss
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return str(name)


def _plain_config(optimizer) -> dict:
    """The optimizer's config, its plain values only (numbers, flags, names): what the judge rebuilds the head's
    optimizer from (a schedule's config is left out; its first rate is ``learning_rate``)."""
    try:
        config = optimizer.get_config()
    except Exception:  # noqa: BLE001 -- a student optimizer that cannot say
        return {}
    return {str(k): v for k, v in config.items()
            if v is None or isinstance(v, (bool, str)) or (isinstance(v, (int, float)) and np.isfinite(v))}


def _from_logits(model) -> bool:
    return bool(getattr(getattr(model, "loss", None), "from_logits", False))


def _momentum(optimizer) -> float:
    return _number(getattr(optimizer, "momentum", 0.0)) or 0.0 if type(optimizer).__name__ == "SGD" else 0.0


def _activation(layer):
    """The Keras activation the layer's function computes (``tf.nn.softmax`` is softmax), by behaviour
    (``grader.core.lowering.identify_activation``); a function that computes none is named as it is."""
    from grader.core.lowering import identify_activation
    act = getattr(layer, "activation", None)
    if act is None:
        return None
    name = identify_activation(act)
    return name if name is not None else f"{getattr(act, '__name__', type(act).__name__)} (no Keras activation)"


def _layer_row(layer) -> dict:
    row = {"class": type(layer).__name__, "builtin": type(layer).__module__.startswith("keras."),
           "params": _size(_WEIGHTS(layer)), "trainable": bool(layer.trainable)}
    if row["class"] == "Dropout":
        row["rate"] = _number(getattr(layer, "rate", None))
    if row["class"] == "Dense":
        row["units"] = int(getattr(layer, "units", 0) or 0)
        row["activation"] = _activation(layer)
    if row["class"] in ("Activation", "Softmax"):
        row["activation"] = _activation(layer) or "softmax"
    return row


def describe_transfer(model, base) -> dict:
    """What the judge needs to know about a transfer model built on ``base``."""
    import keras
    if not isinstance(model, keras.Model):
        return {"kind": type(model).__name__}
    inner = _flat(model)
    in_base = {id(layer) for layer in _flat(base)} | {id(base)}
    head = [_layer_row(layer) for layer in inner
            if id(layer) not in in_base and type(layer).__name__ != "InputLayer"
            and not (isinstance(layer, keras.Model) or not type(layer).__module__.startswith("keras."))]
    base_ids = {id(v) for v in _WEIGHTS(base)}
    info = {"kind": "Model", "uses_base": any(layer is base for layer in inner),
            "trainable": _size(_TRAINABLE(model)), "non_trainable": _size(_NON_TRAINABLE(model)),
            "base_trainable": _size(_TRAINABLE(base)), "base_params": _size(_WEIGHTS(base)),
            "head_params": _size([v for v in _WEIGHTS(model) if id(v) not in base_ids]),
            "head": head, "compiled": bool(getattr(model, "compiled", False)),
            "optimizer": type(model.optimizer).__name__ if getattr(model, "optimizer", None) is not None else None,
            "learning_rate": _lr(getattr(model, "optimizer", None)), "loss": _loss_name(model),
            "optimizer_config": _plain_config(model.optimizer) if getattr(model, "optimizer", None) else {},
            "momentum": _momentum(getattr(model, "optimizer", None)), "from_logits": _from_logits(model),
            "base_layers": [{"class": type(layer).__name__, "trainable": bool(layer.trainable),
                             "weights": bool(_WEIGHTS(layer))} for layer in base.layers[1:]],
            "base_flag": bool(base.trainable)}
    shape = tuple(int(d) for d in base.inputs[0].shape[1:])
    info["output_shape"] = list(_outputs(model, np.zeros((1, *shape), dtype="float32")).shape[1:])
    # Whether the model outputs class probabilities, whatever computes them (a softmax Dense, a Softmax
    # layer, tf.nn.softmax in a subclassed head's call): non-negative rows that sum to 1 on random images
    probs = _outputs(model, np.random.default_rng(0).normal(0.0, 1.0, (4, *shape)).astype("float32"))
    info["probabilities"] = bool(probs.ndim == 2 and np.all(probs >= -1e-6) and
                                 np.allclose(probs.sum(axis=-1), 1.0, atol=1e-4))
    return info


def _student(module, name):
    fn = getattr(module, name, None)
    if fn is None:
        raise Missing(name)
    return fn


def _base_arrays(base) -> list:
    import keras
    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in _WEIGHTS(base)]


def _outputs(model, x) -> np.ndarray:
    import keras
    return np.asarray(keras.ops.convert_to_numpy(model(x, training=False)), dtype=np.float64)


# ------------------------------------------------------------------ recipes
@recipe
def counts_of(module, case):
    """The student's trainable_counts on a model the judge described (plain data in, plain data out)."""
    model = build_case(case)
    return _student(module, "trainable_counts")(model)


@recipe
def transfer_build(module, spec, input_shape, weights, num_classes, dropout):
    """Build the student's transfer model on the grader's base; describe it."""
    base = base_with_weights(spec, input_shape, weights)
    model = _student(module, "build_transfer_model")(base, int(num_classes), float(dropout))
    return describe_transfer(model, base)


_TRAINED: dict = {}


def _fresh_head(model, base) -> None:
    """Give the head's built-in layers fresh weights from their own initializers (seeded by the caller):
    the grader trains the model from the weights it would start with, whatever build_transfer_model did
    to them (a head fitted beforehand on other images does not count)."""
    in_base = {id(layer) for layer in _flat(base)} | {id(base)}
    for layer in _flat(model):
        if id(layer) in in_base or not type(layer).__module__.startswith("keras."):
            continue
        for attr in ("kernel", "bias"):
            var = getattr(layer, f"_{attr}", None) if attr == "kernel" else getattr(layer, attr, None)
            init = getattr(layer, f"{attr}_initializer", None)
            if var is not None and init is not None and hasattr(var, "assign"):
                var.assign(init(var.shape, dtype=var.dtype))


def _train(module, spec, input_shape, weights, num_classes, dropout, x, y, epochs, batch_size, seed):
    """Build and train the student's transfer model (once per set of arguments in this child)."""
    key = (repr(spec), repr(input_shape), int(num_classes), float(dropout), int(epochs), int(batch_size), int(seed),
           None if weights is None else tuple(float(np.asarray(w, np.float64).sum()) for w in weights))
    if key in _TRAINED:
        return _TRAINED[key]
    import keras
    base = base_with_weights(spec, input_shape, weights)
    model = _student(module, "build_transfer_model")(base, int(num_classes), float(dropout))
    info = describe_transfer(model, base)
    state = {"base": base, "model": model, "info": info}
    if info.get("kind") == "Model" and info["compiled"] and info["uses_base"]:
        before = _base_arrays(base)
        keras.utils.set_random_seed(int(seed) % 2**31)
        _fresh_head(model, base)
        _FIT(model, np.asarray(x), np.asarray(y), epochs=int(epochs), batch_size=int(batch_size), shuffle=True,
             verbose=0)
        state.update(before=before, after=_base_arrays(base))
    _TRAINED[key] = state
    return state


@recipe
def transfer_train(module, spec, input_shape, weights, num_classes, dropout, x, y, probes, epochs, batch_size,
                   seed):
    """Train the student's transfer model on the judge's images; the base's weights before and after,
    the head's weights, and the model's outputs on ``probes`` (random images: the test images never
    reach the child; the judge scores them with its own copy of the base and these head weights)."""
    state = _train(module, spec, input_shape, weights, num_classes, dropout, x, y, epochs, batch_size, seed)
    info = dict(state["info"])
    if "after" not in state:
        return info
    model, base = state["model"], state["base"]
    base_ids = {id(v) for v in _WEIGHTS(base)}
    info.update(trained=True, base_before=state["before"], base_after=state["after"],
                base_names=[v.path for v in _WEIGHTS(base)],
                head_weights=[(str(getattr(v, "path", v.name)), np.asarray(keras_numpy(v)))
                              for v in _WEIGHTS(model) if id(v) not in base_ids],
                outputs=_outputs(model, np.asarray(probes)))
    return info


def keras_numpy(v):
    import keras
    return keras.ops.convert_to_numpy(v)


def _flags(model, base) -> dict:
    import keras
    head_vars = [v for v in _WEIGHTS(model) if id(v) not in {id(w) for w in _WEIGHTS(base)}]
    trainable_ids = {id(v) for v in _TRAINABLE(model)} if isinstance(model, keras.Model) else set()
    return {"base_layers": [{"class": type(layer).__name__, "trainable": bool(layer.trainable),
                             "weights": bool(_WEIGHTS(layer))} for layer in base.layers[1:]],
            "head_trainable": bool(head_vars) and all(id(v) in trainable_ids for v in head_vars),
            "trainable": _size(_TRAINABLE(model)) if isinstance(model, keras.Model) else None}


def _unfreeze(module, model, base, n):
    """(facts, the model unfreeze_top returned)."""
    import keras
    optimizer = getattr(model, "optimizer", None)
    got = _student(module, "unfreeze_top")(model, int(n))
    if not isinstance(got, keras.Model):
        return {"kind": type(got).__name__}, None
    info = {"kind": "Model", "same_model": got is model, **_flags(got, base),
            "compiled": bool(getattr(got, "compiled", False)),
            "recompiled": getattr(got, "optimizer", None) is not None and got.optimizer is not optimizer,
            "optimizer": type(got.optimizer).__name__ if getattr(got, "optimizer", None) is not None else None,
            "learning_rate": _lr(getattr(got, "optimizer", None)), "loss": _loss_name(got)}
    return info, got


@recipe
def unfreeze_flags(module, spec, input_shape, weights, num_classes, n):
    """The student's unfreeze_top(build_transfer_model(base, ...), n): the flags it leaves, its optimizer."""
    base = base_with_weights(spec, input_shape, weights)
    try:
        model = _student(module, "build_transfer_model")(base, int(num_classes), 0.2)
    except NotImplementedError:  # unfreeze_top works on that model: the judge says so
        return {"built": {"kind": "not_implemented"}}
    info = describe_transfer(model, base)
    if info.get("kind") != "Model":
        return {"built": info}
    return {"built": info, **_unfreeze(module, model, base, n)[0]}


@recipe
def fine_tune(module, spec, input_shape, weights, num_classes, dropout, x, y, epochs, batch_size, seed, n,
              fine_epochs):
    """After the transfer training, unfreeze_top(model, n) and fit again: the base's weights before and
    after that second fit."""
    import keras
    try:
        state = _train(module, spec, input_shape, weights, num_classes, dropout, x, y, epochs, batch_size, seed)
    except NotImplementedError:
        return {"built": {"kind": "not_implemented"}}
    if "after" not in state:
        return {"built": state["info"]}
    base = state["base"]
    info, got = _unfreeze(module, state["model"], base, n)
    info["built"] = state["info"]
    if got is None or not info["compiled"]:
        return info
    before = _base_arrays(base)
    keras.utils.set_random_seed((int(seed) + 1) % 2**31)
    _FIT(got, np.asarray(x), np.asarray(y), epochs=int(fine_epochs), batch_size=int(batch_size), shuffle=True,
         verbose=0)
    info.update(trained=True, base_before=before, base_after=_base_arrays(base),
                base_names=[v.path for v in _WEIGHTS(base)])
    return info
