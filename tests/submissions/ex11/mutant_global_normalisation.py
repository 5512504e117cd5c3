"""Rescales all filters together with the kernel's global min and max.

expect: filters_values FAIL "whole kernel"
expect: filters_count PASS
expect: curves_data ERROR "does not define plot_training_curves"
expect: curves_labels ERROR "does not define plot_training_curves"
expect: curves_layout ERROR "does not define plot_training_curves"
expect: curves_legend ERROR "does not define plot_training_curves"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: hidden_curves ERROR "does not define plot_training_curves"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters FAIL "filter 0 is rescaled with the min and max of the whole"
"""
import matplotlib.pyplot as plt


def plot_filters(kernel):
    n = kernel.shape[-1]
    k = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    fig, axes = plt.subplots(2, (n + 1) // 2)
    for i, ax in enumerate(axes.flat[:n]):
        w = k[:, :, :, i]
        ax.imshow(w[:, :, 0] if w.shape[-1] == 1 else w, cmap="gray", vmin=0, vmax=1)
    return fig
