"""Draws all four curves on one axes.

expect: curves_layout FAIL "1 axes with lines"
expect: curves_data PASS
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters ERROR "does not define plot_filters"
expect: curves_labels FAIL "the figure has 1 axes with lines, expected 2: one for the"
expect: curves_legend FAIL "the figure has 1 axes with lines, expected 2: one for the"
expect: hidden_curves FAIL "the figure has 1 axes with lines, expected 2: one for the"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, ax = plt.subplots()
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        ax.plot(history[key], label=key)
    ax.set(xlabel="epoch", ylabel="loss / accuracy")
    ax.legend()
    return fig
