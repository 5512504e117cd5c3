"""Plots history['val_loss'] under the label "training" and history['loss'] under "validation".

expect: curves_legend FAIL "swapped"
expect: curves_data PASS
expect: curves_layout PASS
expect: curves_labels PASS
expect: hidden_curves FAIL "swapped"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history["val_" + key], label="training")
        ax.plot(history[key], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.legend()
    return fig
