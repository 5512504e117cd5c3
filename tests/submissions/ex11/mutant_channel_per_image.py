"""One image per (input channel, filter) pair instead of one RGB image per filter.

expect: filters_count FAIL "one image per input channel"
"""
import matplotlib.pyplot as plt


def plot_filters(kernel):
    kh, kw, cin, n = kernel.shape
    fig, axes = plt.subplots(cin, n, squeeze=False)
    for c in range(cin):
        for i in range(n):
            axes[c, i].imshow(kernel[:, :, c, i], cmap="gray")
    return fig
