"""Checks of ex11: the judge reads the student's Figure as plain data.

The child calls the plotting function headless (``grader.recipes.ex11_visualization``)
and describes the Figure it returns: axes, lines, labels, legends, images.  The
judge compares that with the values it chose: the history it passed, the
kernel's filters, and the activations of the model it built itself.
"""
from __future__ import annotations

import numpy as np

from grader.judge import N_, Exercise, Fail, StudentError, StudentModel, _

EXERCISE = Exercise("ex11", N_("Visualization"), "ex11_visualization", timeout=20, memory_mb=2048,
                    recipes="grader.recipes.ex11_visualization",
                    summary=N_("training curves, filters and feature maps read back from the returned Figure"))

SERIES = ("loss", "val_loss", "accuracy", "val_accuracy")
ATOL = 1e-3

CURVES_HINT = N_("Two axes (plt.subplots(1, 2)): loss and val_loss in one, accuracy and val_accuracy in the other, "
                 "ax.plot(epochs, values, label=...), axis labels, ax.legend(); return fig.")
FILTERS_HINT = N_("One ax.imshow per filter, in order: w = kernel[..., i]; (w - w.min()) / (w.max() - w.min()); "
                  "an RGB image when the kernel has 3 input channels.")
MAPS_HINT = N_("keras.Model(model.input, model.get_layer(layer_name).output)(image[None])[0] gives (h, w, C); "
               "one ax.imshow(maps[:, :, c]) per channel, in order.")


# ------------------------------------------------------------------ reading the figure
def _figure(t, fn: str, *args) -> dict:
    d = t.recipe("figure_of", fn, *args, fn=fn)
    if not isinstance(d, dict) or "figure" not in d:
        raise StudentError(_("{fn}: the grader could not read the figure").format(fn=fn))
    if not d["figure"]:
        kind = d.get("type", "?")
        if kind == "NoneType":
            raise Fail(_("{fn} returned None, expected the Figure: end with `return fig`").format(fn=fn),
                       _("Create the figure with fig, ax = plt.subplots(...), draw on it, and return fig "
                         "(plt.show() alone returns nothing)."))
        if d.get("axes_like"):
            raise Fail(_("{fn} returned a {kind}, expected the Figure itself").format(fn=fn, kind=kind),
                       _("Return fig, not the axes or a tuple (an Axes knows its figure: ax.figure)."))
        raise Fail(_("{fn} returned a {kind}, expected a matplotlib Figure").format(fn=fn, kind=kind),
                   _("Return the matplotlib.figure.Figure you drew on."))
    return d


def _same(a, b, atol: float = 1e-6) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=1e-6, equal_nan=False))


# ------------------------------------------------------------------ training curves
def _history(rng, n: int) -> dict[str, list[float]]:
    """A plausible history whose four series differ from each other."""
    e = np.arange(n)
    loss = 1.8 * np.exp(-e / max(2.0, n / 3)) + 0.25 + rng.uniform(0, 0.05, n)
    val_loss = loss + 0.08 + 0.04 * e / n + rng.uniform(0, 0.05, n)
    acc = 0.95 - 0.6 * np.exp(-e / max(2.0, n / 3)) + rng.uniform(-0.02, 0.02, n)
    val_acc = acc - 0.05 - rng.uniform(0, 0.03, n)
    return {k: [round(float(v), 6) for v in s] for k, s in
            zip(SERIES, (loss, val_loss, np.clip(acc, 0, 1), np.clip(val_acc, 0, 1)))}


def _lines(d: dict):
    for ai, ax in enumerate(d["axes"]):
        for li, line in enumerate(ax["lines"]):
            yield ai, li, line


def _find_series(d: dict, history: dict) -> dict[str, tuple[int, int, dict]]:
    """series name -> (axes index, line index, line) of the line showing it."""
    found = {}
    for key in SERIES:
        for ai, li, line in _lines(d):
            if line["visible"] and _same(line["y"], history[key]):
                found[key] = (ai, li, line)
                break
    return found


def _check_data(d: dict, history: dict) -> dict:
    n = len(history["loss"])
    found = _find_series(d, history)
    for key in SERIES:
        if key not in found:
            values = ", ".join(f"{v:.3g}" for v in history[key][:3])
            other = next((k for k in SERIES if k != key and k in found and key.replace("val_", "") ==
                          k.replace("val_", "")), None)
            msg = _("no line shows history['{key}'] ({n} values: {values}, ...)").format(key=key, n=n, values=values)
            if not any(True for _l in _lines(d)):
                msg = _("the figure has no lines; draw the curves with ax.plot(epochs, values)")
            elif other is not None and key.startswith("val_"):
                msg += _(" -- only the training curve is drawn; plot the validation values too")
            raise Fail(msg, _("Plot all four series of the history: loss, val_loss, accuracy, val_accuracy."))
        x = np.asarray(found[key][2]["x"])
        if not (_same(x, np.arange(n)) or _same(x, np.arange(1, n + 1))):
            shown = ", ".join(f"{v:.3g}" for v in x[:4]) + (", ..." if len(x) > 4 else "")
            raise Fail(_("the line of history['{key}'] has x values {x}, expected the epochs 1..{n} (or 0..{m})")
                       .format(key=key, x=f"[{shown}]", n=n, m=n - 1),
                       _("Use epochs = range(1, len(values) + 1) as x, or leave x out."))
    return found


def _check_layout(d: dict, found: dict) -> tuple[int, int]:
    with_lines = [i for i, ax in enumerate(d["axes"]) if ax["lines"]]
    if len(with_lines) != 2:
        raise Fail(_("the figure has {n} axes with lines, expected 2: one for the loss, one for the accuracy")
                   .format(n=len(with_lines)),
                   _("fig, (ax_loss, ax_acc) = plt.subplots(1, 2): loss curves on the first, accuracy on the second."))
    loss_ax, acc_ax = found["loss"][0], found["accuracy"][0]
    if found["val_loss"][0] != loss_ax:
        raise Fail(_("the training and the validation loss are on different axes; draw both on the loss axes"),
                   _("Compare training and validation on the same axes: that is where overfitting shows."))
    if found["val_accuracy"][0] != acc_ax:
        raise Fail(_("the training and the validation accuracy are on different axes; draw both on the accuracy axes"),
                   _("Compare training and validation on the same axes: that is where overfitting shows."))
    if loss_ax == acc_ax:
        raise Fail(_("the loss and the accuracy are drawn on the same axes; give each its own axes"),
                   _("Loss and accuracy have different scales: plt.subplots(1, 2) gives two axes."))
    return loss_ax, acc_ax


def _check_labels(d: dict, loss_ax: int, acc_ax: int) -> None:
    for index, which, word in ((loss_ax, "loss", "loss"), (acc_ax, "accuracy", "acc")):
        ax = d["axes"][index]
        if not ax["xlabel"].strip():
            raise Fail(_("the {which} axes has no x-axis label").format(which=which),
                       _("Label the x axis: ax.set_xlabel('epoch')."))
        if not ax["ylabel"].strip():
            raise Fail(_("the {which} axes has no y-axis label").format(which=which),
                       _("Label the y axis: ax.set_ylabel('{which}').").format(which=which))
        if word not in (ax["ylabel"] + " " + ax["title"]).lower():
            raise Fail(_("neither the y-axis label nor the title of the {which} axes says '{word}' (they say "
                         "{ylabel!r} and {title!r})").format(which=which, word=word, ylabel=ax["ylabel"], title=ax["title"]),
                       _("Name what is plotted: ax.set_ylabel('{which}').").format(which=which))


def _legend_text(legend: dict | None, line: dict) -> str | None:
    """The legend text of a line: by its label, else by its style -- a legend entry copies the colour, line
    style and marker of its line, so one shared legend ("blue = training") may serve several axes.  A style
    that stands for two different texts names nothing."""
    if not legend or not legend.get("visible", True):
        return None
    texts = legend["texts"]
    if not line["label"].startswith("_") and line["label"] in texts:
        return line["label"]
    style = (line["color"], line["linestyle"], line["marker"])
    same = {text for text, handle in zip(texts, legend.get("handles", []))
            if (handle["color"], handle["linestyle"], handle["marker"]) == style}
    return same.pop() if len(same) == 1 else None


def _check_legend(d: dict, found: dict, loss_ax: int, acc_ax: int) -> None:
    for index, which, train_key in ((loss_ax, "loss", "loss"), (acc_ax, "accuracy", "accuracy")):
        ax = d["axes"][index]
        legends = [ax["legend"]] if ax["legend"] else [lg for lg in d["legends"] if lg]
        if not legends:
            raise Fail(_("the {which} axes has no legend").format(which=which),
                       _("Give each line a label (ax.plot(..., label='training')) and call ax.legend()."))
        texts = {}
        for kind, key in (("training", train_key), ("validation", "val_" + train_key)):
            line = found[key][2]
            text = next((t for t in (_legend_text(lg, line) for lg in legends) if t is not None), None)
            if text is None:
                raise Fail(_("the legend of the {which} axes has no entry for the {kind} line").format(
                    which=which, kind=_("training") if kind == "training" else _("validation")),
                    _("Pass label=... to every ax.plot call, then call ax.legend()."))
            texts[kind] = text
        train, val = texts["training"], texts["validation"]
        if "val" in train.lower() and "val" not in val.lower():
            raise Fail(_("in the {which} axes the line labelled {train!r} shows the validation values and the line "
                         "labelled {val!r} the training values: train and validation are swapped").format(
                which=which, train=val, val=train),
                _("history['{key}'] is the training curve, history['val_{key}'] the validation curve.").format(
                    key=train_key))
        if "val" not in val.lower() or "val" in train.lower():
            raise Fail(_("the legend of the {which} axes does not tell training from validation: the training line is "
                         "labelled {train!r}, the validation line {val!r}").format(which=which, train=train, val=val),
                       _("Label the validation line with a name containing 'val' (e.g. 'validation') and the "
                         "training line without it (e.g. 'training')."))


def _curves(t, n: int):
    history = _history(t.rng, n)
    d = _figure(t, "plot_training_curves", history)
    return d, history


@EXERCISE.check(points=2, hint=CURVES_HINT, uses=("plot_training_curves",))
def curves_data(t):
    d, history = _curves(t, 12)
    _check_data(d, history)


@EXERCISE.check(points=1, hint=CURVES_HINT, uses=("plot_training_curves",))
def curves_layout(t):
    d, history = _curves(t, 12)
    _check_layout(d, _check_data(d, history))


@EXERCISE.check(points=1, hint=CURVES_HINT, uses=("plot_training_curves",))
def curves_labels(t):
    d, history = _curves(t, 12)
    _check_labels(d, *_check_layout(d, _check_data(d, history)))


@EXERCISE.check(points=1, hint=CURVES_HINT, uses=("plot_training_curves",))
def curves_legend(t):
    d, history = _curves(t, 12)
    found = _check_data(d, history)
    _check_legend(d, found, *_check_layout(d, found))


# ------------------------------------------------------------------ images
def _displayed(img: dict):
    """What an AxesImage shows, in [0, 1]; or a string naming why that cannot be said."""
    a = np.asarray(img["array"], dtype=np.float64)
    if img.get("origin") == "lower":
        a = a[::-1]
    if a.ndim == 2:
        if img.get("norm") != "Normalize":
            return "norm"
        lo = img["vmin"] if img.get("vmin") is not None else float(np.nanmin(a)) if a.size else 0.0
        hi = img["vmax"] if img.get("vmax") is not None else float(np.nanmax(a)) if a.size else 1.0
        if hi == lo:
            return np.zeros_like(a)
        return np.clip((a - lo) / (hi - lo), 0.0, 1.0)
    if a.ndim == 3 and a.shape[-1] in (3, 4):
        rgb = a[..., :3]
        return rgb / 255.0 if img.get("integer") else np.clip(rgb, 0.0, 1.0)
    return "shape"


def _rescale_hint() -> str:
    return _("Rescale each filter by its own min and max: w = kernel[..., i]; (w - w.min()) / (w.max() - w.min()).")


def _tolerance(img: dict) -> float:
    """1e-3; integer RGB images (0..255) are rounded or truncated to steps of 1/255."""
    return ATOL + 1.0 / 255 if img.get("integer") else ATOL


def _images(d: dict) -> list[dict]:
    return [img for ax in d["axes"] for img in ax["images"] if img.get("visible", True)]


# The judge asks whether an image IS ``w`` rescaled to [0, 1] by w's own min and max (all zeros when w is
# constant); it never draws that image itself.  A function that did would be plot_filters' working core in the
# student release (issue #27, part 7), and the activations of the feature maps come from Keras on the student's
# machine, so the release could not carry them as recorded values either.  Multiplying through by the span
# keeps np.allclose's rule (|a - b| <= atol + rtol * |b|, rtol 1e-6) for b = (w - min) / span.
def _is_rescaled(shown, w, atol: float) -> bool:
    """True when ``shown`` equals ``w`` min-max rescaled to [0, 1], within ``atol`` (``_same``'s rule)."""
    a, w = np.asarray(shown, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if a.shape != w.shape:
        return False
    lo, span = w.min(), w.max() - w.min()
    if not span > 0:
        return bool(np.all(np.abs(a) <= atol))
    return bool(np.all(np.abs(a * span - (w - lo)) <= atol * span + 1e-6 * np.abs(w - lo)))


def _rescaled_gap(shown, w) -> float:
    """The largest difference between ``shown`` and ``w`` min-max rescaled to [0, 1] (same shapes)."""
    a, w = np.asarray(shown, dtype=np.float64), np.asarray(w, dtype=np.float64)
    lo, span = w.min(), w.max() - w.min()
    if not span > 0:
        return float(np.max(np.abs(a)))
    return float(np.max(np.abs(a * span - (w - lo))) / span)


def _random_kernel(rng, kh, kw, cin, n) -> np.ndarray:
    return rng.normal(0.0, 0.3, size=(kh, kw, cin, n)).astype(np.float32)


def _check_filter_count(d: dict, kernel: np.ndarray) -> list[dict]:
    _kh, _kw, cin, n = kernel.shape
    images = _images(d)
    if len(images) != n:
        msg = _("the figure shows {got} images, expected {n}: one per filter of a kernel of shape {shape}").format(
            got=len(images), n=n, shape=tuple(kernel.shape))
        if cin > 1 and len(images) == n * cin:
            msg += _(" -- one image per input channel and filter; show each filter as one RGB image")
        raise Fail(msg, _("One ax.imshow per filter: for i in range(kernel.shape[-1]): axes[i].imshow(...)."))
    return images


def _filter_views(kernel: np.ndarray, i: int) -> np.ndarray:
    w = kernel[:, :, :, i]
    return w[:, :, 0] if kernel.shape[2] == 1 else w


def _check_filter_values(d: dict, kernel: np.ndarray) -> None:
    images = _check_filter_count(d, kernel)
    _kh, _kw, cin, n = kernel.shape
    views = [_filter_views(kernel, i) for i in range(n)]
    lo, hi = float(kernel.min()), float(kernel.max())
    for i, img in enumerate(images):
        shown = _displayed(img)
        if isinstance(shown, str):
            if shown == "norm":
                raise Fail(_("image {i} uses a {norm} colour scale; show the filters on the default linear scale")
                           .format(i=i, norm=img.get("norm")), _("Leave out norm=... in imshow."))
            raise Fail(_("image {i} has shape {shape}, which is neither a 2-D nor an RGB image").format(
                i=i, shape=tuple(np.shape(img["array"]))), _("Show kernel[:, :, :, i] (RGB) or kernel[:, :, 0, i]."))
        raw = views[i]
        if _is_rescaled(shown, raw, _tolerance(img)):
            continue
        if cin == 3 and shown.ndim == 2:
            raise Fail(_("image {i} is a single-channel image, but the filters have 3 input channels: show "
                         "kernel[:, :, :, {i}] as one RGB image").format(i=i),
                       _("imshow of an (kh, kw, 3) array in [0, 1] draws it in colour."))
        if shown.shape != raw.shape:
            raise Fail(_("image {i} has shape {got}, expected {want} (filter {i} of the kernel)").format(
                i=i, got=shown.shape, want=raw.shape), _("Image i shows kernel[:, :, :, i]."))
        other = next((j for j in range(n) if j != i and _is_rescaled(shown, views[j], ATOL)), None)
        if other is not None:
            raise Fail(_("image {i} shows filter {j}: show the filters in order (image i is kernel[..., i])").format(
                i=i, j=other), _("Loop over the last axis of the kernel: kernel[..., i] for i in range(F)."))
        if cin == 3 and _same(shown, np.clip(raw, 0, 1), ATOL):
            raise Fail(_("filter {i} is not normalised: imshow clips RGB values to [0, 1], so its negative weights "
                         "show as black; rescale each filter by its own min and max").format(i=i),
                       _rescale_hint())
        if hi > lo and _same(shown, np.clip((raw - lo) / (hi - lo), 0, 1), ATOL):
            raise Fail(_("filter {i} is rescaled with the min and max of the whole kernel; rescale each filter by "
                         "its own min and max").format(i=i),
                       _("Take min and max of kernel[..., i] alone, not of the whole kernel."))
        if _is_rescaled(shown, np.swapaxes(raw, 0, 1), ATOL):
            raise Fail(_("image {i} is transposed (rows and columns swapped)").format(i=i),
                       _("Show kernel[:, :, ..., i] as it is: rows are the kernel's height."))
        if _is_rescaled(shown, raw[::-1], ATOL):
            raise Fail(_("image {i} is upside down (origin='lower'?)").format(i=i),
                       _("Leave imshow's origin at its default, 'upper'."))
        diff = _rescaled_gap(shown, raw)
        raise Fail(_("image {i} does not show filter {i} rescaled to [0, 1]: max difference {diff:.3g}").format(
            i=i, diff=diff), _rescale_hint())


FILTER_CASES = [((5, 5, 3, 8), "rgb"), ((3, 3, 1, 6), "gray")]


@EXERCISE.check(points=1, hint=FILTERS_HINT, uses=("plot_filters",))
def filters_count(t):
    for shape, _kind in FILTER_CASES:
        kernel = _random_kernel(t.rng, *shape)
        _check_filter_count(_figure(t, "plot_filters", kernel), kernel)


@EXERCISE.check(points=2, hint=FILTERS_HINT, uses=("plot_filters",))
def filters_values(t):
    for shape, _kind in FILTER_CASES:
        kernel = _random_kernel(t.rng, *shape)
        _check_filter_values(_figure(t, "plot_filters", kernel), kernel)


# ------------------------------------------------------------------ feature maps
def _probe_model(rng, size: int, channels: tuple[int, int], names: tuple[str, str, str]):
    """The judge's own small CNN (built-in layers, seeded weights, positive biases so few maps are dead)."""
    import keras
    L = keras.layers
    inp = keras.Input((size, size, 3), name="image")
    x = L.Conv2D(channels[0], 3, padding="same", activation="relu", name=names[0])(inp)
    x = L.MaxPooling2D(2, name=names[1])(x)
    x = L.Conv2D(channels[1], 3, padding="same", activation="relu", name=names[2])(x)
    x = L.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(inp, L.Dense(3, activation="softmax", name="probs")(x))
    weights = []
    for w in model.get_weights():
        weights.append(rng.normal(0, 0.4, w.shape).astype("float32") if w.ndim > 1
                       else rng.uniform(0.02, 0.2, w.shape).astype("float32"))
    model.set_weights(weights)
    return model


def _activations(model, image) -> dict[str, np.ndarray]:
    import keras
    names = [layer.name for layer in model.layers[1:] if len(layer.output.shape) == 4]
    probe = keras.Model(model.input, [model.get_layer(n).output for n in names])
    outs = probe(image[None].astype("float32"))
    return {n: np.asarray(o)[0].astype(np.float64) for n, o in zip(names, outs)}


def _maps_case(t, size: int, channels, names, layer: str):
    import keras
    model = _probe_model(t.rng, size, channels, names)
    image = t.rng.uniform(0, 1, (size, size, 3)).astype("float32")
    acts = _activations(model, image)
    sent = StudentModel(keras.saving.serialize_keras_object(model), model.get_weights())
    d = _figure(t, "plot_feature_maps", sent, image, layer)
    return d, acts


def _check_map_count(d: dict, acts: dict, layer: str) -> list[dict]:
    images = _images(d)
    n = acts[layer].shape[-1]
    if len(images) != n:
        msg = _("the figure shows {got} images, expected {n}: one per channel of layer '{layer}'").format(
            got=len(images), n=n, layer=layer)
        other = next((k for k, a in acts.items() if k != layer and a.shape[-1] == len(images)), None)
        if other is not None:
            msg += _(" -- as many as layer '{other}' has; use the layer named by layer_name").format(other=other)
        raise Fail(msg, _("model.get_layer(layer_name).output has shape (None, h, w, C): show C images."))
    return images


def _check_map_values(d: dict, acts: dict, layer: str) -> None:
    images = _check_map_count(d, acts, layer)
    maps = acts[layer]
    for c, img in enumerate(images):
        shown = _displayed(img)
        if isinstance(shown, str) or shown.ndim != 2:
            raise Fail(_("image {c} is not a 2-D image on a linear colour scale").format(c=c),
                       _("Show maps[:, :, c] with ax.imshow, without norm=..."))
        want = maps[:, :, c]
        flat = want.max() == want.min()
        if shown.shape == want.shape and (flat and np.ptp(shown) < ATOL or _is_rescaled(shown, want, ATOL)):
            continue
        for other, a in acts.items():
            if other != layer and a.shape[:2] == shown.shape and c < a.shape[-1] and \
                    _is_rescaled(shown, a[:, :, c], ATOL):
                raise Fail(_("image {c} shows channel {c} of layer '{other}', not of '{layer}'").format(
                    c=c, other=other, layer=layer),
                    _("Use model.get_layer(layer_name), not a fixed layer."))
        if shown.shape != want.shape:
            raise Fail(_("image {c} has shape {got}, but the maps of layer '{layer}' are {want}").format(
                c=c, got=shown.shape, layer=layer, want=want.shape),
                _("Show the output of model.get_layer(layer_name) for this image."))
        other = next((j for j in range(maps.shape[-1]) if j != c and _is_rescaled(shown, maps[:, :, j], ATOL)),
                     None)
        if other is not None:
            raise Fail(_("image {c} shows channel {j}: show the channels in order").format(c=c, j=other),
                       _("Image c shows maps[:, :, c]."))
        if _is_rescaled(shown, np.swapaxes(want, 0, 1), ATOL):
            raise Fail(_("image {c} is transposed (rows and columns swapped)").format(c=c),
                       _("Show maps[:, :, c] as it is."))
        diff = _rescaled_gap(shown, want)
        raise Fail(_("image {c} does not show channel {c} of layer '{layer}': max difference {diff:.3g} after "
                     "rescaling").format(c=c, layer=layer, diff=diff),
                   _("Run the model on image[None] and show maps[:, :, c] for each channel c."))


PUBLIC_NAMES = ("conv1", "pool1", "conv2")


@EXERCISE.check(points=1, hint=MAPS_HINT, uses=("plot_feature_maps",))
def feature_maps_count(t):
    d, acts = _maps_case(t, 16, (6, 6), PUBLIC_NAMES, "conv2")
    _check_map_count(d, acts, "conv2")


@EXERCISE.check(points=2, hint=MAPS_HINT, uses=("plot_feature_maps",))
def feature_maps_values(t):
    for layer in ("conv2", "conv1"):
        d, acts = _maps_case(t, 16, (6, 6), PUBLIC_NAMES, layer)
        _check_map_values(d, acts, layer)


# ------------------------------------------------------------------ hidden
@EXERCISE.check(points=1, hint=CURVES_HINT, hidden=True, uses=("plot_training_curves",))
def hidden_curves(t):
    d, history = _curves(t, int(t.rng.integers(3, 31)))
    found = _check_data(d, history)
    loss_ax, acc_ax = _check_layout(d, found)
    _check_labels(d, loss_ax, acc_ax)
    _check_legend(d, found, loss_ax, acc_ax)


@EXERCISE.check(points=1, hint=FILTERS_HINT, hidden=True, uses=("plot_filters",))
def hidden_filters(t):
    k = int(t.rng.choice([3, 5, 7]))
    kernel = _random_kernel(t.rng, k, k, int(t.rng.choice([1, 3])), int(t.rng.integers(4, 17)))
    _check_filter_values(_figure(t, "plot_filters", kernel), kernel)


@EXERCISE.check(points=1, hint=MAPS_HINT, hidden=True, uses=("plot_feature_maps",))
def hidden_feature_maps(t):
    tag = int(t.rng.integers(10, 99))
    names = (f"block{tag}_conv_a", f"block{tag}_pool", f"block{tag}_conv_b")
    channels = (int(t.rng.integers(3, 9)), int(t.rng.integers(3, 9)))
    layer = names[int(t.rng.choice([0, 1, 2]))]
    d, acts = _maps_case(t, int(t.rng.choice([12, 16, 20])), channels, names, layer)
    _check_map_values(d, acts, layer)
