"""Shows the figures but returns nothing.

expect: curves_data FAIL "returned None"
expect: filters_count FAIL "returned None"
expect: feature_maps_count FAIL "returned None"
expect: curves_labels FAIL "returned"
expect: curves_layout FAIL "returned"
expect: curves_legend FAIL "returned"
expect: feature_maps_values FAIL "returned"
expect: filters_values FAIL "returned"
expect: hidden_curves FAIL "returned"
expect: hidden_feature_maps FAIL "returned"
expect: hidden_filters FAIL "returned"
expect: curves_labels FAIL "plot_training_curves returned None, expected the Figure:"
expect: curves_layout FAIL "plot_training_curves returned None, expected the Figure:"
expect: curves_legend FAIL "plot_training_curves returned None, expected the Figure:"
expect: feature_maps_values FAIL "plot_feature_maps returned None, expected the Figure: end"
expect: filters_values FAIL "plot_filters returned None, expected the Figure: end with"
expect: hidden_curves FAIL "plot_training_curves returned None, expected the Figure:"
expect: hidden_feature_maps FAIL "plot_feature_maps returned None, expected the Figure: end"
expect: hidden_filters FAIL "plot_filters returned None, expected the Figure: end with"
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
