"""Another correct way: the pyplot state machine (plt.subplot, plt.gcf), a
colorbar (an extra axes without images), explicit per-filter vmin/vmax on the
raw weights, origin="lower" with the rows flipped back, feature maps scaled by
hand, and a grid with empty axes at the end.

expect: * PASS
"""
import math

import keras
import matplotlib.pyplot as plt
import numpy as np


def plot_training_curves(history):
    plt.figure()
    n = len(history["loss"])
    epochs = list(range(1, n + 1))
    plt.subplot(2, 1, 1)
    plt.plot(epochs, history["loss"], label="Training")
    plt.plot(epochs, history["val_loss"], label="Validation")
    plt.title("Loss")
    plt.xlabel("epoch")
    plt.ylabel("value")
    plt.legend()
    plt.subplot(2, 1, 2)
    plt.plot(epochs, history["val_accuracy"], label="Validation")
    plt.plot(epochs, history["accuracy"], label="Training")
    plt.title("Accuracy")
    plt.xlabel("epoch")
    plt.ylabel("value")
    plt.legend()
    plt.tight_layout()
    return plt.gcf()


def plot_filters(kernel):
    n = kernel.shape[-1]
    cols = 4
    rows = math.ceil(n / cols)
    plt.figure()
    for i in range(rows * cols):
        plt.subplot(rows, cols, i + 1)
        plt.axis("off")
        if i >= n:
            continue
        w = kernel[:, :, :, i]
        if w.shape[-1] == 1:
            plt.imshow(w[::-1, :, 0], origin="lower", vmin=w.min(), vmax=w.max())
        else:
            plt.imshow((w - w.min()) / np.ptp(w))
    plt.colorbar()
    return plt.gcf()


def plot_feature_maps(model, image, layer_name):
    out = model.get_layer(layer_name).output
    maps = keras.ops.convert_to_numpy(keras.Model(model.input, out)(image[np.newaxis]))[0]
    fig, axes = plt.subplots(1, maps.shape[-1], figsize=(2 * maps.shape[-1], 2))
    for c, ax in enumerate(np.atleast_1d(axes)):
        m = maps[..., c]
        span = m.max() - m.min()
        ax.imshow((m - m.min()) / span if span else np.zeros_like(m), cmap="magma", vmin=0, vmax=1)
        ax.set_title(str(c))
    return fig
