import numpy as np
from tensorflow_extras_that_do_not_exist import magic


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return magic(n)
