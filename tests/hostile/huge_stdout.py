"""Prints hundreds of megabytes."""
import sys


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    line = "x" * 1_000_000 + "\n"
    for _ in range(300):
        sys.stdout.write(line)
    return -1
