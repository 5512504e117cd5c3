"""Transposes each filter (w.T swaps rows and columns).

expect: filters_values FAIL "transposed"
expect: curves_data ERROR "does not define plot_training_curves"
expect: curves_labels ERROR "does not define plot_training_curves"
expect: curves_layout ERROR "does not define plot_training_curves"
expect: curves_legend ERROR "does not define plot_training_curves"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: hidden_curves ERROR "does not define plot_training_curves"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters FAIL "image 0 is transposed (rows and columns swapped)"
"""
import matplotlib.pyplot as plt
import numpy as np


def plot_filters(kernel):
    n = kernel.shape[-1]
    fig, axes = plt.subplots(1, n, squeeze=False)
    for i in range(n):
        w = kernel[:, :, :, i]
        w = (w - w.min()) / (w.max() - w.min())
        axes[0, i].imshow(w[:, :, 0].T if w.shape[-1] == 1 else np.transpose(w, (1, 0, 2)))
    return fig
