"""What a source file imports, read from its syntax tree without running it.

Light on purpose (the standard library only): the client of a warm grade asks it before the server answers,
and importing ``grader.core.session`` for it would import numpy (``grader.core.wire``).
"""
from __future__ import annotations

KERAS_MODULES = {"keras", "tensorflow", "tf_keras"}


def imports_keras(source_text: str) -> bool:
    """Whether the file has an import of Keras or TensorFlow anywhere (at the top, in a function).  A
    child that gets Keras preloaded imports it before the submission's time limit and memory budget
    start; an import the syntax tree cannot show (``importlib``) is the submission's own time."""
    import ast
    try:
        tree = ast.parse(source_text)
    except (SyntaxError, ValueError):
        return False  # it does not import at all
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        if any(n.split(".")[0] in KERAS_MODULES for n in names):
            return True
    return False
