"""Grader code that runs inside the child, next to the student module (see ``grader.core.child.recipe``)."""
