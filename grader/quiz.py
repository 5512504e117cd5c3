"""The students' import in a notebook: ``from grader.quiz import quiz``.
The code is in ``grader/front/quiz.py``."""
from grader.front.quiz import quiz  # noqa: F401
