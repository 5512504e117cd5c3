"""Plots history['val_loss'] under the label "training" and history['loss'] under "validation".

expect: curves_legend FAIL "swapped"
expect: curves_data PASS
expect: curves_layout PASS
expect: curves_labels PASS
expect: hidden_curves FAIL "swapped"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters ERROR "does not define plot_filters"
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
