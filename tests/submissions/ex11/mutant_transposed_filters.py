"""Transposes each filter (w.T swaps rows and columns).

expect: filters_values FAIL "transposed"
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
