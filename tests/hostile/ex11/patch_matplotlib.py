"""Draws the curves without axis labels, then patches matplotlib inside the child so that
every Axes says its labels are "epoch" and "loss": the judge reads the figure
through matplotlib as it was before the submission was imported.

expect: curves_labels FAIL "no x-axis label"
expect: hidden_curves FAIL "no x-axis label"
"""
import math

import matplotlib.pyplot as plt
import numpy as np


def _rescale(w):
    """w rescaled to [0, 1] by its own min and max (all zeros when w is constant)."""
    w = np.asarray(w, dtype=np.float64)
    span = w.max() - w.min()
    return (w - w.min()) / span if span > 0 else np.zeros_like(w)


def _grid(n, size=1.3, max_cols=8):
    cols = min(n, max_cols)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * size, rows * size + 0.4), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    return fig, list(axes.flat)


def plot_training_curves(history):
    h = getattr(history, "history", history)
    epochs = np.arange(1, len(h["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, key, name in ((ax_loss, "loss", "loss"), (ax_acc, "accuracy", "accuracy")):
        ax.plot(epochs, h[key], marker="o", label="training")
        ax.plot(epochs, h["val_" + key], marker="o", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(f"{name} per epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_filters(kernel):
    kernel = np.asarray(kernel)
    kh, kw, cin, n = kernel.shape
    fig, axes = _grid(n)
    for i in range(n):
        w = _rescale(kernel[:, :, :, i])
        axes[i].imshow(w[:, :, 0] if cin == 1 else w, cmap="gray", vmin=0, vmax=1)
        axes[i].set_title(f"filter {i}", fontsize=8)
    fig.suptitle(f"{n} filters, {kh}x{kw}x{cin}")
    return fig


def plot_feature_maps(model, image, layer_name):
    import keras
    layer = model.get_layer(layer_name)
    probe = keras.Model(model.input, layer.output)
    maps = np.asarray(probe(np.asarray(image, dtype="float32")[None]))[0]
    n = maps.shape[-1]
    fig, axes = _grid(n)
    for c in range(n):
        axes[c].imshow(maps[:, :, c], cmap="viridis")
        axes[c].set_title(f"channel {c}", fontsize=8)
    fig.suptitle(f"feature maps of {layer_name}")
    return fig

import matplotlib.axes

_plot = plot_training_curves


def plot_training_curves(history):
    fig = _plot(history)
    for ax in fig.axes:
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.set_title("")
    return fig


matplotlib.axes.Axes.get_xlabel = lambda self: "epoch"
matplotlib.axes.Axes.get_ylabel = lambda self: "loss accuracy"
matplotlib.axes.Axes.get_title = lambda self, loc="center": "loss accuracy"
