"""Asks numpy for 64 GB at once."""
import numpy as np


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return int(np.ones((8, 2**30)).sum())
