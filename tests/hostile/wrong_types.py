"""Returns the wrong types: a string, a float with a fraction, None, a generator, NaN."""
import math


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return "28"


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    return None


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    return 760.5


def dense_param_count(in_features, units, use_bias=True):
    return (i for i in range(3))


def flatten_dense_param_count(feature_shape, units):
    return math.nan
