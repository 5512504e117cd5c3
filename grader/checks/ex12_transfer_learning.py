"""Checks of ex12: a frozen base with a new head, parameter counts, fine-tuning.

The base is the grader's own: a small CNN with BatchNormalization
(``BASE_SPEC``), pretrained here in the judge on the digits 0-4 (seeded, once
per seed and process; the public seed's ships with the course, ``PRETRAINED``).
The student's functions take Keras objects, so a
recipe (``grader.recipes.ex12_transfer_learning``) calls them in the child on
that base and hands back plain data: flags, counts, head layers, the base's
weights before and after ``fit``, the trained head's weights and the model's
outputs.  The judge decides: it compares the counts with Keras's on the same
models built here, the flags with the rule of the docstring, and it scores the
accuracy with its own copy of the base and the head's weights (its own
outputs, checked against the model's).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from grader.judge import N_, Exercise, Fail, NotAttempted, _, expect, training
from grader.recipes.ex12_transfer_learning import build_base, build_case

EXERCISE = Exercise("ex12", N_("Transfer learning"), "ex12_transfer_learning", timeout=30, memory_mb=2048,
                    recipes="grader.recipes.ex12_transfer_learning",
                    summary=N_("a frozen pretrained base with a new head, parameter counts, fine-tuning the top "
                               "layers"),
                    # The transfer checks first: the first of them pretrains the base in the judge while the
                    # sandbox's server may still be importing Keras (tests/test_check_order.py).
                    order=("transfer_head", "transfer_base_frozen", "transfer_fit_keeps_base", "transfer_accuracy",
                           "counts_match_keras", "unfreeze_top_layers", "unfreeze_top_recompiles",
                           "fine_tune_keeps_bn_statistics", "hidden_counts", "hidden_transfer",
                           "hidden_unfreeze_top"))

# ------------------------------------------------------------------ the grader's base and task
INPUT_SHAPE = (8, 8, 1)
BASE_SPEC = [["conv", 16, 3, False], ["bn"], ["relu"],
             ["conv", 32, 3, False], ["bn"], ["relu"],
             ["conv", 64, 3, False], ["bn"], ["relu"]]
# Pretraining on the digits 0-4 (the judge's): base -> GlobalAveragePooling2D -> Dropout(0.5) -> Dense(5).
# The dropout spreads what the base learns over its 64 channels: the features transfer better.
PRE_EPOCHS, PRE_BATCH, PRE_LR, PRE_DROPOUT = 3, 32, 1e-2, 0.5
NUM_CLASSES, DROPOUT = 5, 0.2                     # the new task: the digits 5-9
PER_CLASS, EPOCHS, BATCH_SIZE = 20, 2, 10         # 100 training images; fit on the model: 20 steps
HEAD_EPOCHS, HEAD_EVERY = 100, 10                 # the judge trains the head on the base's features
FINE_N, FINE_EPOCHS, FINE_LR = 2, 1, 1e-5
THRESHOLD = 0.63  # calibrated on the panel (tests/panels/ex12, tests/test_panels.py)
CHANCE = 1 / NUM_CLASSES
# The learning rates at which every design of the panel clears the threshold on every calibration seed.
RATES = training.Rates(works={"Adam": (1e-3, 1e-2)})
TRAIN_TIMEOUT = 90.0

_PRETRAINED: dict = {}
# The base pretrained on the public seed (0), as ``pretrain(0)`` computes it, ships with the course: a
# student's first ``grade ex12`` reads it instead of spending its first 1.5-2 s on Keras tracing and training the
# base (issue #29).  Its key is what the pretraining depends on; after a change of one of them the base is
# trained as before and tests/test_ex12_transfer_learning.py says to write the file again (write_pretrained).
PRETRAINED = "ex12_pretrained_base.npz"  # in datasets/data, beside the digits (pretrained_path)


def pretrained_path() -> Path:
    from datasets.digits import DATA
    return DATA.parent / PRETRAINED


def pretraining_key(seed: int) -> str:
    """What ``pretrain(seed)`` depends on besides the code: the base, the settings, the seed and the digits."""
    from datasets.digits import DATA
    facts = [BASE_SPEC, list(INPUT_SHAPE), PRE_EPOCHS, PRE_BATCH, PRE_LR, PRE_DROPOUT, int(seed),
             hashlib.sha256(DATA.read_bytes()).hexdigest()]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def pretrain(seed: int) -> list[np.ndarray]:
    """The grader's base trained on the digits 0-4 with ``seed``: its weights."""
    import keras

    from datasets.digits import load_digits_split
    (x, y), _test = load_digits_split()
    keras.utils.set_random_seed(seed % 2**31)
    base = build_base(BASE_SPEC, INPUT_SHAPE, name="pretrained_base")
    model = keras.Sequential([keras.Input(INPUT_SHAPE), base, keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dropout(PRE_DROPOUT), keras.layers.Dense(5, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(PRE_LR), loss="sparse_categorical_crossentropy")
    old = y < 5
    model.fit(x[old], y[old], epochs=PRE_EPOCHS, batch_size=PRE_BATCH, shuffle=True, verbose=0)
    return [np.asarray(w) for w in base.get_weights()]


def shipped_pretrained(seed: int) -> list[np.ndarray] | None:
    """The weights ``PRETRAINED`` holds for ``seed``; None when it holds none for it (another seed, or a key
    that no longer matches)."""
    try:
        with np.load(pretrained_path()) as f:
            if str(f["key"]) != pretraining_key(seed):
                return None
            return [f[f"w{i}"] for i in range(int(f["count"]))]
    except (OSError, KeyError, ValueError):
        return None


def write_pretrained(seed: int = 0) -> Path:
    """Write ``PRETRAINED`` from ``pretrain(seed)``, the public seed's by default (after a change of the base,
    its pretraining or the digits)."""
    weights = pretrain(seed)
    path = pretrained_path()
    np.savez_compressed(path, key=np.array(pretraining_key(seed)), count=np.array(len(weights)),
                        **{f"w{i}": w for i, w in enumerate(weights)})
    return path


def pretrained_base(seed: int) -> list[np.ndarray]:
    """The weights of the grader's base trained on the digits 0-4: shipped for the public seed, trained once
    per seed in this process for the others."""
    seed = int(seed)
    if seed not in _PRETRAINED:
        shipped = shipped_pretrained(seed)
        _PRETRAINED[seed] = shipped if shipped is not None else pretrain(seed)
    return _PRETRAINED[seed]


def transfer_data(seed: int):
    """(x, y, x_test, y_test): 20 training images per class of the digits 5-9 drawn by ``seed``, and
    every test image of those digits; labels 0-4 (digit - 5)."""
    from datasets.digits import load_digits_split
    (x, y), (x_test, y_test) = load_digits_split()
    rng = np.random.default_rng([int(seed), 12])
    pick = np.concatenate([rng.choice(np.flatnonzero(y == d), PER_CLASS, replace=False) for d in range(5, 10)])
    new = y_test >= 5
    return x[pick], y[pick] - 5, x_test[new], y_test[new] - 5


def probes(seed: int) -> np.ndarray:
    """Random images on which the child reports the trained model's outputs (the judge checks them against
    its own copy of the model; the test images stay in the judge)."""
    return np.random.default_rng([int(seed), 34]).uniform(0, 1, (32, *INPUT_SHAPE)).astype("float32")


def features(weights, x) -> np.ndarray:
    """GlobalAveragePooling2D(base(x)) with the judge's own base carrying ``weights``."""
    import keras
    base = build_base(BASE_SPEC, INPUT_SHAPE, name="judge_base")
    base.set_weights(weights)
    return np.asarray(keras.ops.convert_to_numpy(base(x, training=False)), np.float64).mean(axis=(1, 2))


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def head_twin(feats, kernel, bias) -> np.ndarray:
    """softmax(features @ kernel + bias): base -> GlobalAveragePooling2D -> Dropout (none at inference) -> Dense."""
    return _softmax(feats @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64))


# ------------------------------------------------------------------ replies of the child, once per submission
# (``t.once``: the engine's memo of the submission, dropped when its sandbox closes)
def trained(t, seed: int = 0) -> dict:
    """The student's transfer model built on the pretrained base and trained on the digits 5-9."""
    weights = pretrained_base(seed)
    x, y, _x_test, _y = transfer_data(seed)

    def ask():
        return t.recipe("transfer_train", BASE_SPEC, list(INPUT_SHAPE), weights, NUM_CLASSES, DROPOUT,
                        x, y, probes(seed), EPOCHS, BATCH_SIZE, seed, fn="build_transfer_model")
    return _reply(t.once(("train", seed), ask))


def fine_tuned(t, seed: int = 0) -> dict:
    weights = pretrained_base(seed)
    x, y, _x_test, _y = transfer_data(seed)

    def ask():
        return t.recipe("fine_tune", BASE_SPEC, list(INPUT_SHAPE), weights, NUM_CLASSES, DROPOUT, x, y,
                        EPOCHS, BATCH_SIZE, seed, FINE_N, FINE_EPOCHS, fn="unfreeze_top")
    return _reply(t.once(("fine", seed), ask))


def _reply(info) -> dict:
    if not isinstance(info, dict):
        raise Fail(_("the grader could not read what your functions did"))  # only a forged reply looks like this
    return info


# ------------------------------------------------------------------ trainable_counts
COUNTS_HINT = N_("Sum the sizes of model.trainable_weights and of model.non_trainable_weights (what "
                 "model.summary() reports). model.non_trainable_variables also holds variables that are not "
                 "parameters, such as a Dropout layer's random-seed state.")


def _size(variables) -> int:
    return int(sum(int(np.prod(v.shape)) for v in variables))


def _describe_case(case) -> str:
    frozen = case["frozen"]
    head = "-".join(str(h[0]) for h in case["head"])
    return _("a model of {n} base layers (frozen: {frozen}) and head {head}").format(
        n=len(case["base"]), frozen=frozen if isinstance(frozen, str) else ", ".join(map(str, frozen)) or "-",
        head=head)


def check_counts(t, case):
    got = t.recipe("counts_of", case, fn="trainable_counts")
    model = build_case(case)
    trainable, frozen = _size(model.trainable_weights), _size(model.non_trainable_weights)
    moving = _size(w for w in model.non_trainable_weights if "moving_" in w.path)
    every = _size(model.weights)
    what = "trainable_counts(" + _describe_case(case) + ")"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Fail(_("{what} returned {got}, expected a pair (trainable, non_trainable)").format(
            what=what, got=repr(got)[:80]), _("return trainable, non_trainable"))
    got = tuple(expect.integer(v, what) for v in got)
    mistakes = {
        N_("counted variables that are not parameters: model.non_trainable_variables also holds each Dropout "
           "layer's random-seed state"): (_size(model.trainable_variables), _size(model.non_trainable_variables)),
        N_("counted the weights of frozen layers as trainable: a layer with trainable = False holds "
           "non-trainable parameters"): (every - moving, moving),
        N_("counted the BatchNormalization moving mean and variance as trainable"): (trainable + moving,
                                                                                      frozen - moving),
        N_("the two counts are swapped: return (trainable, non_trainable)"): (frozen, trainable),
    }
    expect.equal(got, (trainable, frozen), what, mistakes, hint=_(COUNTS_HINT))


PUBLIC_CASES = [
    {"input": [8, 8, 1], "base": BASE_SPEC, "frozen": "all",
     "head": [["gap"], ["dropout", 0.2], ["dense", 5]], "nested": True},
    {"input": [10, 9, 3], "base": [["conv", 6, 3, True], ["bn"], ["relu"], ["pool"], ["conv", 8, 1, True],
                                   ["bn"], ["relu"]],
     "frozen": [0, 1, 4], "head": [["flatten"], ["dropout", 0.5], ["dense", 3]], "nested": False},
    {"input": [6, 6, 2], "base": [["conv", 4, 3, False], ["bn"], ["relu"], ["dense", 7]], "frozen": "none",
     "head": [["gap"], ["bn"], ["dropout", 0.3], ["dense", 4]], "nested": True},
]


# ------------------------------------------------------------------ build_transfer_model
TRANSFER_HINT = N_("base.trainable = False; inputs = keras.Input(shape=base.input_shape[1:]); "
                   "x = base(inputs, training=False); GlobalAveragePooling2D, Dropout(dropout), "
                   "Dense(num_classes, activation='softmax'); compile with Adam and "
                   "loss='sparse_categorical_crossentropy'.")


def _transfer_what(k, rate) -> str:
    return f"build_transfer_model(base, {k}, dropout={rate:g})"


def _base_map(spec, input_shape):
    """(h, w, c) of the base's output feature map."""
    h, w = int(input_shape[0]), int(input_shape[1])
    c = int(input_shape[2])
    for item in spec:
        if item[0] in ("conv", "dense"):
            c = int(item[1])
        elif item[0] == "pool":
            h, w = h // 2, w // 2
    return h, w, c


def check_model_kind(info, what):
    if info.get("kind") != "Model":
        raise Fail(_("{what} returned a {kind}, expected a keras.Model").format(what=what, kind=info.get("kind")),
                   _("Return the model object (keras.Model)."))
    if not info.get("uses_base"):
        raise Fail(_("{what}: the model does not contain the base it was given (a copy, or a new network?); "
                     "call the base object itself on the input").format(what=what), _(TRANSFER_HINT))


def check_structure(info, what, spec, input_shape, k, rate):
    check_model_kind(info, what)
    head = [r for r in info.get("head", []) if r.get("class") not in ("InputLayer",)]
    classes = [r.get("class") for r in head]
    h, w, c = _base_map(spec, input_shape)
    if "Flatten" in classes:
        got = h * w * c * k + k
        expect.fail(_("{what}: the head flattens the base's {h}x{w}x{c} feature map, so its Dense layer has "
                      "{got:,} parameters instead of {want:,} -- Flatten instead of GlobalAveragePooling2D").format(
            what=what, h=h, w=w, c=c, got=got, want=c * k + k),
            _("GlobalAveragePooling2D keeps one number per channel: the head's size no longer depends on the "
              "feature map's height and width."), N_("Flatten instead of GlobalAveragePooling2D"))
    if "GlobalAveragePooling2D" not in classes:
        raise Fail(_("{what}: the head has no GlobalAveragePooling2D (its layers: {layers})").format(
            what=what, layers=", ".join(classes) or _("none")), _(TRANSFER_HINT))
    if "Dropout" not in classes:
        expect.fail(_("{what}: the head has no Dropout layer between the pooling and the Dense layer -- "
                      "no Dropout").format(what=what), _(TRANSFER_HINT), N_("no Dropout"))
    drop = head[classes.index("Dropout")]
    if drop.get("rate") is None or abs(float(drop["rate"]) - rate) > 1e-6:
        raise Fail(_("{what}: the Dropout rate is {got}, expected the dropout argument {want:g}").format(
            what=what, got=drop.get("rate"), want=rate), _("Dropout(dropout), not a fixed rate."))
    dense = [r for r in head if r.get("class") == "Dense"]
    if len(dense) != 1:
        raise Fail(_("{what}: the head has {n} Dense layers, expected one: Dense(num_classes, "
                     "activation='softmax')").format(what=what, n=len(dense)), _(TRANSFER_HINT))
    # (the order of a subclassed head's layers is not the order it calls them: the accuracy check compares the
    # model's outputs with softmax(Dense(GlobalAveragePooling2D(base(x)))) instead)
    softmax = (dense[0].get("activation") == "softmax" or any(r.get("activation") == "softmax" for r in head)
               or info.get("probabilities") is True)  # a softmax however computed (tf.nn.softmax in a call)
    if dense[0].get("units") != k or not softmax:
        raise Fail(_("{what}: the last layer is Dense({units}, activation={act}), expected Dense({k}, "
                     "activation='softmax')").format(what=what, units=dense[0].get("units"),
                                                     act=repr(dense[0].get("activation")), k=k), _(TRANSFER_HINT))
    expect.equal(tuple(info.get("output_shape") or ()), (k,), _("{what}: the output shape").format(what=what))
    if not info.get("compiled"):
        raise Fail(_("{what}: the model is not compiled").format(what=what),
                   _("Call model.compile(optimizer=keras.optimizers.Adam(...), "
                     "loss='sparse_categorical_crossentropy') before returning it."))
    if info.get("optimizer") != "Adam":
        raise Fail(_("{what}: the optimizer is {got}, expected Adam").format(what=what, got=info.get("optimizer")),
                   _(TRANSFER_HINT))
    if "sparse_categorical_crossentropy" not in str(info.get("loss")):
        raise Fail(_("{what}: the loss is {got}; the labels are integers: "
                     "loss='sparse_categorical_crossentropy'").format(what=what, got=repr(info.get("loss"))),
                   _(TRANSFER_HINT))


FROZEN_HINT = N_("base.trainable = False before compiling freezes every layer of the base, BatchNormalization "
                 "too; then only the head's Dense layer is trainable.")


def check_frozen(info, what):
    check_model_kind(info, what)
    base_trainable, base_params = int(info.get("base_trainable", 0)), int(info.get("base_params", 0))
    head_params = int(info.get("head_params", 0))
    got, want = (info.get("trainable"), info.get("non_trainable")), (head_params, base_params)
    if base_trainable:
        loose = sorted({layer["class"] for layer in info.get("base_layers", []) if layer["trainable"] and
                        layer["weights"]})
        weighted = [layer for layer in info.get("base_layers", []) if layer["weights"]]
        if weighted and all(layer["trainable"] for layer in weighted):
            expect.fail(_("{what}: the base is not frozen: {n:,} trainable parameters, expected only the head's "
                          "{m:,}").format(what=what, n=got[0], m=head_params), _(FROZEN_HINT),
                        N_("the base is not frozen"))
        if loose == ["BatchNormalization"]:
            expect.fail(_("{what}: the base's BatchNormalization layers are still trainable: {n:,} trainable "
                          "parameters, expected only the head's {m:,}").format(what=what, n=got[0], m=head_params),
                        _(FROZEN_HINT), N_("BatchNormalization left trainable"))
        raise Fail(_("{what}: {n:,} parameters of the base are still trainable (in its {layers} layers); "
                     "expected none").format(what=what, n=base_trainable, layers=", ".join(loose)), _(FROZEN_HINT))
    expect.equal(got, want, _("{what}: the (trainable, non-trainable) parameter counts").format(what=what),
                 hint=_(FROZEN_HINT))


def _public_what() -> str:
    return _transfer_what(NUM_CLASSES, DROPOUT)


@EXERCISE.check(uses=("build_transfer_model",), points=2, hint=TRANSFER_HINT, timeout=TRAIN_TIMEOUT)
def transfer_head(t):
    check_structure(trained(t, t.seed), _public_what(), BASE_SPEC, INPUT_SHAPE, NUM_CLASSES, DROPOUT)


@EXERCISE.check(uses=("build_transfer_model",), points=1.5, hint=FROZEN_HINT, timeout=TRAIN_TIMEOUT)
def transfer_base_frozen(t):
    check_frozen(trained(t, t.seed), _public_what())


BN_HINT = N_("Only a frozen BatchNormalization layer stays in inference mode during fit: in Keras 3, "
             "training=False when the base is called does not keep a trainable one from updating its moving "
             "mean and variance (keras-team/keras#20285). Freeze the whole base, BatchNormalization included.")


def _changed(names, before, after):
    """(moving statistics that changed, other weights that changed): lists of variable paths."""
    moving, other = [], []
    for name, a, b in zip(names, before, after):
        if not np.array_equal(np.asarray(a), np.asarray(b)):
            (moving if "moving_" in str(name) else other).append(str(name))
    return moving, other


def _trained_only(info, what):
    check_model_kind(info.get("built", info), what)
    if not info.get("trained"):
        raise Fail(_("{what}: the grader could not train the model (is it compiled?)").format(what=what),
                   _(TRANSFER_HINT))


def _short(names) -> str:
    layers = []
    for n in names:
        layer = _layer_of(n)
        if layer not in layers:
            layers.append(layer)
    return ", ".join(layers[:6]) + (", ..." if len(layers) > 6 else "")


@EXERCISE.check(uses=("build_transfer_model",), points=1.5, hint=BN_HINT, timeout=TRAIN_TIMEOUT)
def transfer_fit_keeps_base(t):
    what = _public_what()
    info = trained(t, t.seed)
    _trained_only(info, what)
    moving, other = _changed(info["base_names"], info["base_before"], info["base_after"])
    bn_layers = {_layer_of(n) for n in moving}
    if [n for n in other if _layer_of(n) not in bn_layers]:
        expect.fail(_("{what}: fit changed the weights of the base (layers {layers}): the base is not "
                      "frozen").format(what=what, layers=_short(other)), _(FROZEN_HINT), N_("the base is not frozen"))
    if moving:
        expect.fail(_("{what}: the BatchNormalization moving statistics of the base changed during fit "
                      "(layers {layers}): those layers ran in training mode").format(what=what, layers=_short(moving)),
                    _(BN_HINT), N_("BatchNormalization moving statistics changed during fit"))
    if other:
        raise Fail(_("{what}: fit changed the weights of the base (layers {layers}): the base is not "
                     "frozen").format(what=what, layers=_short(other)), _(FROZEN_HINT))


def _layer_of(name) -> str:
    return str(name).split("/")[-2] if "/" in str(name) else str(name)


def _accuracy_hint(info) -> str:
    """The hint of a transfer model below the threshold: the learning rate where it is outside the range that
    works, else what the head is (it is fixed by the exercise)."""
    opt = _optimizer(info)
    return RATES.hint(opt) or _("The head is fixed (GlobalAveragePooling2D, Dropout(dropout), Dense softmax) and "
                                "trained on the base's features: check that the loss is "
                                "sparse_categorical_crossentropy on the softmax's probabilities (no from_logits=True).")


@EXERCISE.check(uses=("build_transfer_model",), points=2, timeout=TRAIN_TIMEOUT,
                hint=lambda: _("The base's features are already good: a GlobalAveragePooling2D, Dropout and Dense "
                               "head compiled with Adam at 1e-3 to 1e-2 reaches 0.70 or more on the digits 5-9 in "
                               "{epochs} epochs.").format(epochs=HEAD_EPOCHS))
def transfer_accuracy(t):
    what = _public_what()
    info = trained(t, t.seed)
    _trained_only(info, what)
    scored = judge_accuracy(info, t.seed, what)
    if scored.accuracy < THRESHOLD:
        seen = scored.seen
        kind = training.diagnose(seen, THRESHOLD, CHANCE)
        words = training.Words(_("test accuracy"), _("training accuracy"), _("chance"))
        message = (_("{what}: test accuracy {acc:.3f} on the digits 5-9 after {epochs} epochs on {n} images per "
                     "class is below the threshold {threshold}").format(
                    what=what, acc=scored.accuracy, epochs=HEAD_EPOCHS, n=PER_CLASS, threshold=THRESHOLD)
                   + " -- " + training.verdict_text(kind, seen, words, CHANCE) + ". "
                   + training.saw(seen, words, CHANCE, params=info.get("head_params"),
                                  optimizer=_optimizer(info), rates=RATES))
        expect.fail(message, _accuracy_hint(info), kind)


def _optimizer(info) -> training.Optimizer:
    lr = info.get("learning_rate")
    return training.Optimizer(info.get("optimizer"), None if lr is None else float(lr),
                              float(info.get("momentum") or 0.0))


def _head_parts(info, seed, what):
    """(kernel, bias) of the head the child trained, after checking that the model computes
    softmax(Dense(GlobalAveragePooling2D(base(x)))) with them; and the base's weights after fit."""
    head = info.get("head_weights") or []
    shapes = [tuple(np.shape(w)) for _n, w in head]
    c = _base_map(BASE_SPEC, INPUT_SHAPE)[2]
    if sorted(shapes) != sorted([(c, NUM_CLASSES), (NUM_CLASSES,)]):
        raise Fail(_("{what}: the grader scores base -> GlobalAveragePooling2D -> Dropout -> Dense({k}); your "
                     "head's weights have the shapes {shapes}").format(what=what, k=NUM_CLASSES,
                                                                      shapes=", ".join(map(str, shapes))),
                   _(TRANSFER_HINT))
    kernel = next(w for _n, w in head if np.ndim(w) == 2)
    bias = next(w for _n, w in head if np.ndim(w) == 1)
    after = [np.asarray(a) for a in info["base_after"]]
    outputs = np.asarray(info.get("outputs"), np.float64)
    twin = head_twin(features(after, probes(seed)), kernel, bias)
    if outputs.shape != twin.shape or not np.allclose(outputs, twin, atol=1e-4, rtol=1e-3):
        raise Fail(_("{what}: the model's outputs are not softmax(Dense(GlobalAveragePooling2D(base(x)))) of its "
                     "own weights").format(what=what), _(TRANSFER_HINT))
    return kernel, bias, after


# The optimizers the judge rebuilds for the head, from the plain config the child sends.
HEAD_OPTIMIZERS = ("Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "SGD")
_NOT_REBUILT = ("name", "learning_rate", "loss_scale_factor", "gradient_accumulation_steps")


def head_optimizer(info, what):
    """A fresh Keras optimizer of the student's class and settings (plain numbers from the child's config),
    at the learning rate of its first step."""
    import inspect

    import keras
    name = info.get("optimizer")
    if name not in HEAD_OPTIMIZERS:
        raise Fail(_("{what}: the grader trains the head with the model's optimizer, and rebuilds only Adam (the "
                     "exercise's), AdamW, Adamax, Nadam, RMSprop and SGD; this model's is {name}").format(
                         what=what, name=name), _(TRANSFER_HINT))
    cls = getattr(keras.optimizers, name)
    allowed = inspect.signature(cls.__init__).parameters
    config = info.get("optimizer_config") or {}
    kwargs = {k: v for k, v in config.items() if k in allowed and k not in _NOT_REBUILT
              and (v is None or isinstance(v, (bool, int, float)))}
    lr = info.get("learning_rate")
    if lr is not None:
        kwargs["learning_rate"] = float(lr)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError):
        return cls(**({"learning_rate": float(lr)} if lr is not None else {}))


def judge_accuracy(info, seed, what) -> training.Fitted:
    """The judge's own training and test accuracy of the student's head (issue #26).

    The base is frozen, so the head's inputs -- GlobalAveragePooling2D of the base's feature map -- are the
    same at every step: the judge computes them once (per seed and process) and trains its own copy of the
    head on them, Dropout (the rates of the model's Dropout layers) and Dense(k, softmax) from fresh weights,
    with the model's optimizer (its class and settings) and loss, for HEAD_EPOCHS epochs of BATCH_SIZE,
    reshuffled every epoch.  Before that it checks that the model computes softmax(Dense(GAP(base(x)))) with
    the head the child trained.  A few ms per epoch, where fit through the base took 40 ms."""
    import keras
    kernel, _bias, after = _head_parts(info, seed, what)
    weights = pretrained_base(seed)
    same = len(after) == len(weights) and all(np.array_equal(a, b) for a, b in zip(after, weights))
    _x, y, x_test, y_test = transfer_data(seed)
    f_train, f_test = (_train_features_cached(seed), _features_cached(seed)) if same else \
        (features(after, _x), features(after, x_test))
    rates = [float(r.get("rate") or 0.0) for r in info.get("head", []) if r.get("class") == "Dropout"]
    keras.utils.set_random_seed(int(seed) % 2**31)
    x = inputs = keras.Input(shape=(kernel.shape[0],))
    for rate in rates:
        x = keras.layers.Dropout(rate)(x)
    head = keras.Model(inputs, keras.layers.Dense(NUM_CLASSES, activation="softmax")(x))
    steps = len(y) // BATCH_SIZE
    head.compile(optimizer=head_optimizer(info, what),
                 loss=keras.losses.SparseCategoricalCrossentropy(from_logits=bool(info.get("from_logits"))),
                 steps_per_execution=steps * HEAD_EVERY)
    order = np.concatenate([np.random.default_rng([int(seed), 56, e]).permutation(len(y))
                            for e in range(HEAD_EPOCHS)])
    snapshots = []

    class Snapshot(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):  # every HEAD_EVERY epochs (steps_per_execution)
            snapshots.append([np.asarray(keras.ops.convert_to_numpy(w), np.float64)
                              for w in head.layers[-1].weights])

    head.fit(f_train[order].astype("float32"), y[order], batch_size=BATCH_SIZE, epochs=1, shuffle=False,
             verbose=0, callbacks=[Snapshot()])
    curve, losses = [], []
    for k, b in snapshots:
        p_test, p_train = head_twin(f_test, k, b), head_twin(f_train, k, b)
        curve.append(float(np.mean(np.argmax(p_test, axis=-1) == y_test)))
        losses.append(float(-np.mean(np.log(np.clip(p_train[np.arange(len(y)), y], 1e-12, 1.0)))))
    k, b = snapshots[-1]
    if not (np.all(np.isfinite(k)) and np.all(np.isfinite(b))):
        raise Fail(_("{what}: the head's weights became NaN during training").format(what=what),
                   _("Lower the learning rate."))
    p_train = head_twin(f_train, k, b)
    seen = training.Seen(curve[-1], float(np.mean(np.argmax(p_train, axis=-1) == y)), HEAD_EPOCHS,
                         tuple(curve), tuple(losses), every=HEAD_EVERY)
    return training.Fitted(curve[-1], seen)


_FEATURES: dict = {}
_TRAIN_FEATURES: dict = {}


def _features_cached(seed):
    if seed not in _FEATURES:
        weights = pretrained_base(seed)
        _FEATURES[seed] = features(weights, transfer_data(seed)[2])
    return _FEATURES[seed]


def _train_features_cached(seed):
    if seed not in _TRAIN_FEATURES:
        weights = pretrained_base(seed)
        _TRAIN_FEATURES[seed] = features(weights, transfer_data(seed)[0])
    return _TRAIN_FEATURES[seed]


# The counts check comes after the transfer checks: the first of those pretrains the base in the judge
# while the sandbox's server may still be importing Keras.
@EXERCISE.check(uses=("trainable_counts",), points=2, hint=COUNTS_HINT)
def counts_match_keras(t):
    for case in PUBLIC_CASES:
        check_counts(t, case)


# ------------------------------------------------------------------ unfreeze_top
UNFREEZE_HINT = N_("Find the base (the keras.Model inside the model). Its layers that have weights and are not "
                   "BatchNormalization, in order: make the last n trainable and every other layer of the base "
                   "frozen (BatchNormalization always); the head stays trainable. Then compile again with "
                   "Adam(1e-5).")


def expected_flags(layers, n) -> list[bool]:
    """layers: [{"class", "weights"}] of the base (no InputLayer); the docstring's rule."""
    eligible = [i for i, layer in enumerate(layers) if layer["weights"] and layer["class"] != "BatchNormalization"]
    chosen = set(eligible[max(0, len(eligible) - n):]) if n > 0 else set()
    return [i in chosen for i in range(len(layers))]


def _flag_text(layers, flags) -> str:
    return ", ".join(f"{layer['class']}{'*' if f else ''}" for layer, f in zip(layers, flags) if layer["weights"])


def _built(info) -> dict:
    """The model unfreeze_top was given (build_transfer_model's), checked first."""
    built = info.get("built", {})
    if built.get("kind") == "not_implemented":
        raise NotAttempted(_("unfreeze_top is graded on the model build_transfer_model returns, and "
                             "build_transfer_model is not implemented yet"))
    check_model_kind(built, _public_what())
    return built


def check_flags(info, what, n):
    _built(info)
    if info.get("kind") != "Model":
        raise Fail(_("{what} returned a {kind}, expected the keras.Model").format(what=what, kind=info.get("kind")),
                   _("return model"))
    layers = info.get("base_layers", [])
    got = [bool(layer["trainable"]) for layer in layers]
    want = expected_flags(layers, n)
    bn = [i for i, layer in enumerate(layers) if layer["class"] == "BatchNormalization" and got[i]]
    if bn:
        expect.fail(_("{what} left {m} BatchNormalization layer(s) of the base trainable; they stay frozen during "
                      "fine-tuning").format(what=what, m=len(bn)), _(BN_HINT), N_("unfroze BatchNormalization"))
    if got != want:
        k = len(layers)
        plain = [layer["weights"] and layer["class"] != "BatchNormalization" for layer in layers]
        named = {
            N_("counted layers without weights: n counts the layers that have weights"):
                [plain[i] and i >= k - n for i in range(k)],
            N_("unfroze from the bottom: the last n layers are the ones nearest the head"):
                [plain[i] and i in [j for j in range(k) if plain[j]][:n] for i in range(k)],
        }
        label = next((lbl for lbl, flags in named.items() if flags == got), None)
        msg = _("{what}: the base's layers with weights are {got} (* = trainable); expected {want}").format(
            what=what, got=_flag_text(layers, got), want=_flag_text(layers, want))
        expect.fail(msg + (" -- " + _(label) if label else ""), _(UNFREEZE_HINT), label)
    if not info.get("head_trainable"):
        raise Fail(_("{what}: the head's Dense layer is frozen; it stays trainable").format(what=what),
                   _(UNFREEZE_HINT))


RECOMPILE_HINT = N_("Changing trainable takes effect at the next compile: call model.compile(optimizer="
                    "keras.optimizers.Adam(1e-5), loss='sparse_categorical_crossentropy') in unfreeze_top, after "
                    "setting the flags.")


def check_recompile(info, what):
    built = _built(info)
    if info.get("kind") != "Model":
        raise Fail(_("{what} returned a {kind}, expected the keras.Model").format(what=what, kind=info.get("kind")),
                   _("return model"))
    if not info.get("recompiled"):
        expect.fail(_("{what} did not compile the model again: it keeps the optimizer build_transfer_model made "
                      "(learning rate {lr}) -- no recompile").format(what=what, lr=_lr_text(built.get("learning_rate"))),
                    _(RECOMPILE_HINT), N_("no recompile"))
    if info.get("optimizer") != "Adam":
        raise Fail(_("{what}: the optimizer is {got}, expected Adam").format(what=what, got=info.get("optimizer")),
                   _(RECOMPILE_HINT))
    lr = info.get("learning_rate")
    if lr is None or abs(float(lr) - FINE_LR) > 1e-3 * FINE_LR:
        old = built.get("learning_rate")
        label = N_("learning rate not lowered") if lr is not None and old is not None and float(lr) >= float(old) \
            else None
        expect.fail(_("{what}: the learning rate is {got}, expected {want:g}").format(what=what, got=_lr_text(lr),
                                                                                     want=FINE_LR)
                    + (" -- " + _(label) if label else ""), _(RECOMPILE_HINT), label)
    if "sparse_categorical_crossentropy" not in str(info.get("loss")):
        raise Fail(_("{what}: the loss is {got}; the labels are integers: "
                     "loss='sparse_categorical_crossentropy'").format(what=what, got=repr(info.get("loss"))),
                   _(RECOMPILE_HINT))


def _lr_text(lr) -> str:
    return "?" if lr is None else f"{float(lr):.3g}"


def _flags_reply(t, spec, input_shape, weights, k, n, key):
    def ask():
        return t.recipe("unfreeze_flags", spec, list(input_shape), weights, k, n, fn="unfreeze_top")
    return _reply(t.once(key, ask))


@EXERCISE.check(uses=("build_transfer_model", "unfreeze_top"), points=2, hint=UNFREEZE_HINT)
def unfreeze_top_layers(t):
    for n in (FINE_N, 1, 3):
        info = _flags_reply(t, BASE_SPEC, INPUT_SHAPE, None, NUM_CLASSES, n, ("flags", n))
        check_flags(info, f"unfreeze_top(model, {n})", n)


@EXERCISE.check(uses=("build_transfer_model", "unfreeze_top"), points=1, hint=RECOMPILE_HINT)
def unfreeze_top_recompiles(t):
    info = _flags_reply(t, BASE_SPEC, INPUT_SHAPE, None, NUM_CLASSES, FINE_N, ("flags", FINE_N))
    check_recompile(info, f"unfreeze_top(model, {FINE_N})")


@EXERCISE.check(uses=("build_transfer_model", "unfreeze_top"), points=1.5, hint=BN_HINT, timeout=TRAIN_TIMEOUT)
def fine_tune_keeps_bn_statistics(t):
    what = f"unfreeze_top(model, {FINE_N})"
    info = fine_tuned(t, t.seed)
    _built(info)
    if info.get("kind") != "Model":
        raise Fail(_("{what} returned a {kind}, expected the keras.Model").format(what=what, kind=info.get("kind")),
                   _("return model"))
    if not info.get("trained"):
        raise Fail(_("{what}: the grader could not train the model (is it compiled?)").format(what=what),
                   _(RECOMPILE_HINT))
    moving, other = _changed(info["base_names"], info["base_before"], info["base_after"])
    if moving:
        expect.fail(_("{what}: the BatchNormalization moving statistics of the base changed during the fine-tuning "
                      "fit (layers {layers}): those layers ran in training mode").format(
            what=what, layers=_short(moving)), _(BN_HINT), N_("BatchNormalization moving statistics changed during fit"))
    layers = info.get("base_layers", [])
    want = expected_flags(layers, FINE_N)
    should = {f"conv{i}" for i, flag in enumerate(want) if flag}  # BASE_SPEC's layer names (build_base)
    moved = {_layer_of(n) for n in other}
    if should - moved and not (moved - should):
        raise Fail(_("{what}: the layers unfreeze_top made trainable ({layers}) did not change during the "
                     "fine-tuning fit").format(what=what, layers=", ".join(sorted(should - moved))),
                   _(RECOMPILE_HINT))


# ------------------------------------------------------------------ hidden
def random_spec(rng):
    """A random small base for the hidden checks: (spec, input_shape).  At least two convolutions, the last
    layer with weights is a BatchNormalization and the last layer has none (so that every named mistake
    shows)."""
    h, w = int(rng.integers(6, 15)), int(rng.integers(6, 15))
    shape = [h, w, int(rng.integers(1, 4))]
    spec = []
    for _block in range(int(rng.integers(2, 5))):
        spec.append(["conv", int(rng.integers(3, 17)), int(rng.choice([1, 3])), bool(rng.random() < 0.5)])
        if rng.random() < 0.6:
            spec.append(["bn"])
        spec.append(["relu"])
        if rng.random() < 0.2:
            spec += [["dense", int(rng.integers(3, 13))], ["relu"]]
        if min(h, w) >= 4 and rng.random() < 0.4:
            spec.append(["pool"])
            h, w = h // 2, w // 2
    last = max(i for i, item in enumerate(spec) if item[0] in ("conv", "dense"))
    if spec[last + 1][0] != "bn":  # the last layer with weights is a BatchNormalization
        spec.insert(last + 1, ["bn"])
    return spec, shape


def random_case(rng, dropout=False):
    spec, shape = random_spec(rng)
    choice = rng.integers(3)
    frozen = "all" if choice == 0 else "none" if choice == 1 else \
        [int(i) for i in range(len(spec)) if rng.random() < 0.5]
    head = [["gap"] if rng.random() < 0.7 else ["flatten"]]
    if dropout or rng.random() < 0.5:
        head.append(["dropout", float(np.round(rng.uniform(0.1, 0.6), 2))])
    head.append(["dense", int(rng.integers(2, 11))])
    return {"input": shape, "base": spec, "frozen": frozen, "head": head, "nested": bool(rng.random() < 0.6)}


@EXERCISE.check(uses=("trainable_counts",), points=1, hint=COUNTS_HINT, hidden=True)
def hidden_counts(t):
    for i in range(2):
        check_counts(t, random_case(t.rng, dropout=i == 0))


@EXERCISE.check(uses=("build_transfer_model",), points=1.5, hint=lambda: _(TRANSFER_HINT) + " " + _(FROZEN_HINT), hidden=True)
def hidden_transfer(t):
    spec, shape = random_spec(t.rng)
    k, rate = int(t.rng.integers(2, 11)), float(np.round(t.rng.uniform(0.1, 0.6), 2))
    info = _reply(t.recipe("transfer_build", spec, shape, None, k, rate, fn="build_transfer_model"))
    what = _transfer_what(k, rate)
    check_structure(info, what, spec, shape, k, rate)
    check_frozen(info, what)


@EXERCISE.check(uses=("build_transfer_model", "unfreeze_top"), points=1.5, hint=lambda: _(UNFREEZE_HINT) + " " + _(RECOMPILE_HINT), hidden=True)
def hidden_unfreeze_top(t):
    spec, shape = random_spec(t.rng)
    plain = sum(1 for item in spec if item[0] in ("conv", "dense"))
    n = int(t.rng.integers(1, plain))  # 1 <= n < plain: unfreezing from the bottom differs
    info = _reply(t.recipe("unfreeze_flags", spec, shape, None, int(t.rng.integers(2, 11)), n, fn="unfreeze_top"))
    what = f"unfreeze_top(model, {n})"
    check_flags(info, what, n)
    check_recompile(info, what)
