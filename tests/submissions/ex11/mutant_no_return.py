"""Shows the figures but returns nothing.

expect: curves_data FAIL "returned None"
expect: filters_count FAIL "returned None"
expect: feature_maps_count FAIL "returned None"
"""
import matplotlib.pyplot as plt
import numpy as np


def plot_training_curves(history):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history[key], label="train")
        ax.plot(history["val_" + key], label="val")
        ax.legend()
    plt.show()


def plot_filters(kernel):
    fig, axes = plt.subplots(1, kernel.shape[-1])
    for i, ax in enumerate(axes):
        ax.imshow(kernel[:, :, 0, i])
    plt.show()


def plot_feature_maps(model, image, layer_name):
    plt.imshow(np.zeros((4, 4)))
    plt.show()
