"""Unbounded recursion, and an attempt to raise the recursion limit first."""
import sys

sys.setrecursionlimit(10**6)


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return conv_output_length(n + 1, kernel_size, stride, padding)
