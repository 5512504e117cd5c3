"""The front ends: the ``grade`` command (cli, watch, render), batch grading and its reports (batch,
report, similar, export, gradescope), notebooks (notebook, release) and quizzes (quiz)."""
