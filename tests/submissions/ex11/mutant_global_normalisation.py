"""Rescales all filters together with the kernel's global min and max.

expect: filters_values FAIL "whole kernel"
expect: filters_count PASS
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
