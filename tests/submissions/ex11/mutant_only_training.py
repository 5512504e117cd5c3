"""Forgets the validation curves.

expect: curves_data FAIL "only the training curve"
expect: curves_legend FAIL "val_loss"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history[key], label="train")
        ax.set(xlabel="epoch", ylabel=key)
        ax.legend()
    return fig
