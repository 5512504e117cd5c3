"""Titles and legends, but no axis labels.

expect: curves_labels FAIL "no x-axis label"
expect: curves_legend PASS
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters ERROR "does not define plot_filters"
expect: hidden_curves FAIL "the loss axes has no x-axis label"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history[key], label="train")
        ax.plot(history["val_" + key], label="validation")
        ax.set_title(key)
        ax.legend()
    return fig
