"""Returns NaN where numbers are expected."""
import math

import numpy as np


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return math.nan


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    return np.float64("nan")
