"""Another correct way: plt.figure + fig.add_subplot, x = 0..n-1 (ax.plot(values)),
one figure-level legend, a History object or a dict, matshow on the raw weights
for single-channel filters (matshow scales each image by its own min and max),
uint8 RGB filters, and model.predict for the feature maps.

expect: * PASS
"""
import keras
import matplotlib.pyplot as plt
import numpy as np


def plot_training_curves(history):
    h = history.history if hasattr(history, "history") else history
    fig = plt.figure(figsize=(9, 4))
    ax1 = fig.add_subplot(1, 2, 1)
    ax2 = fig.add_subplot(1, 2, 2)
    ax1.plot(h["loss"], "b-", label="train")
    ax1.plot(h["val_loss"], "r--", label="val")
    ax2.plot(h["accuracy"], "b-", label="_nolegend_")
    ax2.plot(h["val_accuracy"], "r--", label="_nolegend_")
    ax1.set_xlabel("Epoch")
    ax1.set_ylabel("Loss (cross-entropy)")
    ax2.set_xlabel("Epoch")
    ax2.set_ylabel("Accuracy")
    fig.legend(["train", "val"], loc="upper center")
    return fig


def plot_filters(kernel):
    n = kernel.shape[-1]
    fig = plt.figure()
    for i in range(n):
        ax = fig.add_subplot(1, n, i + 1)
        w = kernel[..., i]
        if w.shape[-1] == 1:
            ax.matshow(w[:, :, 0], cmap="coolwarm")
        else:
            scaled = (w - w.min()) / (w.max() - w.min())
            ax.imshow(np.uint8(np.round(255 * scaled)))
        ax.axis("off")
    return fig


def plot_feature_maps(model, image, layer_name):
    sub = keras.Model(inputs=model.inputs, outputs=model.get_layer(layer_name).output)
    maps = sub.predict(np.expand_dims(image, 0), verbose=0)[0]
    fig = plt.figure()
    for c in range(maps.shape[-1]):
        fig.add_subplot(2, (maps.shape[-1] + 1) // 2, c + 1).matshow(maps[:, :, c], cmap="gray")
    return fig
