"""Ignores SIGTERM and SIGINT, then loops."""
import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    while True:
        pass
