"""The core that runs a submission and knows no exercise: the engine, the session and its isolation
backends, the child, the wire between them, the check spec (``Exercise``, ``Trial``), outcomes, errors,
the judge's own guard, devices, versions and messages.  It imports nothing from ``grader.judge``,
``grader.front`` or the exercises' checks (tests/test_layers.py)."""
