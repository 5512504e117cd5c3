"""The students' import in a notebook: ``from grader.notebook import check``.
The code is in ``grader/front/notebook.py``."""
from grader.front.notebook import check, prepare, show  # noqa: F401

prepare()  # the child server and this kernel's Keras start now, not at the first check()
