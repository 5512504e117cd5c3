"""``memo``: ask for a pure function's answer once per process (the judge's ground truth from Keras).

Without Keras, so that a module imports it without importing Keras."""
from __future__ import annotations

import collections
import copy
import functools
import hashlib

import numpy as np


def _key(value):
    """A hashable stand-in for an argument: an array by its dtype, shape and a digest of its bytes, a
    tuple, list or dict by its items; anything else as it is (an unhashable one makes the call uncached)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape,
                hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16).digest())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, *(_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *sorted((k, _key(v)) for k, v in value.items()))
    return (type(value), value)  # 1, 1.0 and True are equal keys otherwise


def memo(fn, maxsize: int = 4096):
    """Ask Keras once per process for each set of numbers (the answer is a pure function of them): a
    warm grader (``grade --watch``, ``check()``, ``grade batch``) does not rebuild the same layers for
    every submission.  Arrays are told apart by their contents, and every caller gets its own copy of the
    answer (a caller that writes into it cannot change the next one's).  Arguments that are neither
    hashable nor arrays are asked every time."""
    cache: collections.OrderedDict = collections.OrderedDict()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            key = (_key(args), tuple(sorted((k, _key(v)) for k, v in kwargs.items())))
            hash(key)
        except TypeError:
            return fn(*args, **kwargs)
        if key in cache:
            cache.move_to_end(key)
        else:
            cache[key] = fn(*args, **kwargs)
            if len(cache) > maxsize:
                cache.popitem(last=False)
        return copy.deepcopy(cache[key])
    wrapper.cache_clear = cache.clear
    return wrapper
