"""The students' import in a notebook: ``from grader.notebook import check``.
The code is in ``grader/front/notebook.py``."""
from grader.front.notebook import check, show  # noqa: F401
