"""Draws all four curves on one axes.

expect: curves_layout FAIL "1 axes with lines"
expect: curves_data PASS
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, ax = plt.subplots()
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        ax.plot(history[key], label=key)
    ax.set(xlabel="epoch", ylabel="loss / accuracy")
    ax.legend()
    return fig
