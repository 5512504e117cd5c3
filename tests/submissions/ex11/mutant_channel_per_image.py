"""One image per (input channel, filter) pair instead of one RGB image per filter.

expect: filters_count FAIL "one image per input channel"
expect: curves_data ERROR "does not define plot_training_curves"
expect: curves_labels ERROR "does not define plot_training_curves"
expect: curves_layout ERROR "does not define plot_training_curves"
expect: curves_legend ERROR "does not define plot_training_curves"
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_values FAIL "one image per input channel and filter; show each filter as"
expect: hidden_curves ERROR "does not define plot_training_curves"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
"""
import matplotlib.pyplot as plt


def plot_filters(kernel):
    kh, kw, cin, n = kernel.shape
    fig, axes = plt.subplots(cin, n, squeeze=False)
    for c in range(cin):
        for i in range(n):
            axes[c, i].imshow(kernel[:, :, c, i], cmap="gray")
    return fig
