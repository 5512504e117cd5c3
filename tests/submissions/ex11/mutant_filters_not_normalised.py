"""Shows the raw weights: fine for one input channel (imshow scales a 2-D image
by itself), but RGB filters get clipped to [0, 1].

expect: filters_count PASS
expect: filters_values FAIL "not normalised"
expect: curves_data ERROR "does not define plot_training_curves"
expect: curves_labels ERROR "does not define plot_training_curves"
expect: curves_layout ERROR "does not define plot_training_curves"
expect: curves_legend ERROR "does not define plot_training_curves"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: hidden_curves ERROR "does not define plot_training_curves"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
"""
import matplotlib.pyplot as plt


def plot_filters(kernel):
    n = kernel.shape[-1]
    fig, axes = plt.subplots(1, n, squeeze=False)
    for i in range(n):
        w = kernel[:, :, :, i]
        axes[0, i].imshow(w[:, :, 0] if w.shape[-1] == 1 else w)
    return fig
