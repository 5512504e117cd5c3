"""The instructor's side of the expected values (``grader.judge.answers``): one module per exercise, named
like its check module, holding the code that computes a check's truth where it is not Keras's own layer --
what a student would otherwise read as a working answer.  ``grade release`` leaves this package out and
ships the values of the public cases instead (``grader/checks/<module>.answers.json``)."""
