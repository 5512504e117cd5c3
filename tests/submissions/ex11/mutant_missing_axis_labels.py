"""Titles and legends, but no axis labels.

expect: curves_labels FAIL "no x-axis label"
expect: curves_legend PASS
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
