"""Forgets the validation curves.

expect: curves_data FAIL "only the training curve"
expect: curves_legend FAIL "val_loss"
expect: curves_labels FAIL "only the training curve is drawn; plot the validation"
expect: curves_layout FAIL "only the training curve is drawn; plot the validation"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_curves FAIL "only the training curve is drawn; plot the validation"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters ERROR "does not define plot_filters"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, axes = plt.subplots(1, 2)
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(history[key], label="train")
        ax.set(xlabel="epoch", ylabel=key)
        ax.legend()
    return fig
