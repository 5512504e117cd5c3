"""The front ends: shared pieces (extract, options, commands, registry, pages, render, watch; submission,
results; feedback, classreport, similarity) and the commands over them (cli, batch, report, similar, export,
gradescope, release, quiz, new) with check() in a notebook (notebook).  README, "Layout", gives each module's
job; tests/test_layers.py keeps the order."""
