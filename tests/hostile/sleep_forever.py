"""Sleeps at import time, forever."""
import time

time.sleep(10**6)


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return 0
