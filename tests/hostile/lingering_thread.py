"""Starts a thread that keeps burning CPU after the function returned (a right answer)."""
import math
import threading


def _spin():
    x = 0
    while True:
        x += 1


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    threading.Thread(target=_spin, daemon=False).start()
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return (n + 2 * p - kernel_size) // stride + 1
