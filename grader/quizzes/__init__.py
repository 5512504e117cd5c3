"""Quiz question banks: one module per quiz (``q01_conv_arithmetic.py``), each
defining ``QUIZ``.  Answers are computed with ``formulas``, never typed in."""
