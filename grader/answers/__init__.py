"""The instructor's side of the expected values (``grader.judge.answers``): one module per exercise, named
like its check module, holding the code that computes a check's truth where it is not Keras's own layer --
what a student would otherwise read as a working answer -- and ``formulas``, the quizzes' formulas (named
like ``grader/quizzes/formulas.py``, which looks them up).  ``grade release`` leaves this package out and
ships the values instead: of the public cases (``grader/checks/<module>.answers.json``) and of every
question of the quizzes' bank (``grader/quizzes/formulas.answers.json``)."""
