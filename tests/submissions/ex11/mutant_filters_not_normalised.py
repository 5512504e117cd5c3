"""Shows the raw weights: fine for one input channel (imshow scales a 2-D image
by itself), but RGB filters get clipped to [0, 1].

expect: filters_count PASS
expect: filters_values FAIL "not normalised"
"""
import matplotlib.pyplot as plt


def plot_filters(kernel):
    n = kernel.shape[-1]
    fig, axes = plt.subplots(1, n, squeeze=False)
    for i in range(n):
        w = kernel[:, :, :, i]
        axes[0, i].imshow(w[:, :, 0] if w.shape[-1] == 1 else w)
    return fig
