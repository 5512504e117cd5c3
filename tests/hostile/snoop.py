"""Looks around: the reference solutions, other folders, the network, other processes, the environment."""
import os
import socket


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    here = os.path.dirname(os.path.abspath(__file__))
    found = {}
    root = os.environ.get("SNOOP_ROOT", "")
    for rel in ("solutions/ex01_conv_arithmetic.py", "tests/test_hostile.py"):
        path = os.path.join(root, rel)
        found[rel] = os.path.exists(path) and os.path.getsize(path) > 0
    try:
        socket.create_connection(("127.0.0.1", int(os.environ.get("SNOOP_PORT", "9"))), timeout=1).close()
        found["network"] = "connected"
    except OSError as e:
        found["network"] = type(e).__name__ + ": " + str(e)
    found["processes"] = sum(p.isdigit() for p in os.listdir("/proc"))
    found["secret"] = os.environ.get("GRADE_SEED")
    found["here"] = here
    raise RuntimeError(repr(found))
