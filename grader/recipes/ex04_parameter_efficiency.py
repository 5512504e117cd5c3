"""Recipes of ex04 (and ex05): build a full-size network in the child without
allocating its weights.

``stateless_<fn>(module, *args)`` calls the student's ``fn(*args)`` inside
``keras.StatelessScope`` -- the layers are built, shapes and parameter counts
are known, but no 138-million-float VGG16 kernel is ever filled -- and returns
the model (the wire sends its config only).  Code that cannot run without real
variables is simply called again the ordinary way.
"""
from __future__ import annotations

from grader.core.stateless import no_weights
from grader.core.child import Missing, call, recipe


def stateless(fn_name: str):
    def run(module, *args, **kwargs):
        import keras
        try:
            with no_weights():
                return call(module, fn_name, args, kwargs)
        except (Missing, NotImplementedError, MemoryError, RecursionError, SystemExit, KeyboardInterrupt):
            raise
        except Exception:  # noqa: BLE001 -- retry with real variables; a real error raises again
            keras.backend.clear_session()
            return call(module, fn_name, args, kwargs)

    run.__name__ = f"stateless_{fn_name}"
    return recipe(run)


stateless_alexnet = stateless("alexnet")
stateless_vgg16 = stateless("vgg16")
