# Set-up is part of every target: a fresh machine needs only python3 (>= 3.10).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST := $(BIN)/python -m pytest

.PHONY: install test test-slow test-all test-compat test-compat-oldest demo bench bench-suite bench-nbgrader clean

$(STAMP): pyproject.toml
	@# bubblewrap isolates student code in its own namespaces (Debian package; optional)
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq bubblewrap) >/dev/null 2>&1; } || \
	  echo "note: bubblewrap not installed; the grader falls back to a scratch folder per submission"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,tf-cpu]'
	@touch $(STAMP)

install: $(STAMP)

## the project's tests, without the long calibration runs, on TEST_JOBS processes (pytest-xdist; each imports
## Keras once and keeps its own warm fork server).  `make test TEST_JOBS=0` runs them in this one process.
## One worker more than cores: with one per core, about a quarter of the cores' time went idle (tests wait for a
## sleeping submission's time limit, or for pip's index), and the extra worker fills it.
TEST_JOBS ?= $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)) + 1 if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1) + 1)")
test: $(STAMP)
	$(PYTEST) -m "not slow" -n $(TEST_JOBS) --maxprocesses 4 --dist loadgroup --durations=15

## calibration: reference models and the panels of the training checks trained on 10 seeds each (run when a
## threshold changes).  On the same workers as `make test` (the judge trains on one thread each); what the
## calibrations print is shown after the run (-rP), with the panels' tables at the end.
test-slow: $(STAMP)
	$(PYTEST) -m slow -n $(TEST_JOBS) --maxprocesses 4 --dist loadgroup -rP --durations=15

test-all: test test-slow

## the Colab row of the version matrix (README): Python 3.13, tensorflow 2.20.0, keras 3.13.2 in .venv-compat.
## TensorFlow and Keras go in first, as Colab has them; installing the course's wheel must change neither
## (tests/test_packaging.py compares `pip freeze` with the one saved before). Then the tests marked `compat`
## (references on two seeds, stubs, every `expect:` line, the released notebooks) run on that venv's Python.
COMPAT_PY    ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13))
COMPAT_VENV  ?= .venv-compat
COMPAT_BIN    = $(COMPAT_VENV)/bin
COMPAT_STAMP  = $(COMPAT_VENV)/.installed-stamp
COMPAT_ROW   ?= tensorflow==2.20.0 keras==3.13.2

$(COMPAT_STAMP): pyproject.toml
	@test -n "$(COMPAT_PY)" || { echo "make test-compat needs Python 3.13 (set COMPAT_PY=/path/to/python3.13)"; exit 2; }
	@# a new venv gets the row's TensorFlow and Keras and its `pip freeze` before the course comes in
	test -f $(COMPAT_VENV)/freeze-before.txt || { rm -rf $(COMPAT_VENV) && $(COMPAT_PY) -m venv $(COMPAT_VENV) && \
	  $(COMPAT_BIN)/python -m pip install --quiet --upgrade pip && \
	  $(COMPAT_BIN)/python -m pip install --quiet $(COMPAT_ROW) && \
	  $(COMPAT_BIN)/python -m pip freeze > $(COMPAT_VENV)/freeze-before.txt; }
	rm -rf $(COMPAT_VENV)/dist
	$(COMPAT_BIN)/python -m pip wheel --quiet --no-deps -w $(COMPAT_VENV)/dist .
	@# the wheel as a student installs it (no extra), then the test tools of the dev extra
	$(COMPAT_BIN)/python -m pip install --quiet $(COMPAT_VENV)/dist/keras_course_grader-*.whl
	$(COMPAT_BIN)/python -m pip install --quiet --no-deps --force-reinstall $(COMPAT_VENV)/dist/keras_course_grader-*.whl
	$(COMPAT_BIN)/python -m pip install --quiet "$$(ls $(COMPAT_VENV)/dist/keras_course_grader-*.whl)[dev]"
	@touch $@

test-compat: $(COMPAT_STAMP)
	@# the course's wheel of this checkout, every run: the stamp follows pyproject.toml only, and a child
	@# started outside the checkout imports the installed grader (a stale one judged with older code)
	rm -rf $(COMPAT_VENV)/dist
	$(COMPAT_BIN)/python -m pip wheel --quiet --no-deps -w $(COMPAT_VENV)/dist .
	$(COMPAT_BIN)/python -m pip install --quiet --no-deps --force-reinstall $(COMPAT_VENV)/dist/keras_course_grader-*.whl
	COMPAT_PYTHON=$(abspath $(COMPAT_BIN)/python) COMPAT_FREEZE=$(abspath $(COMPAT_VENV)/freeze-before.txt) \
	  $(COMPAT_BIN)/python -m pytest -m compat -p no:cacheprovider -n $(TEST_JOBS) --maxprocesses 4 --dist loadgroup \
	  --durations=10

## the oldest row (Python 3.10, tensorflow-cpu 2.20.0, keras 3.12.1), the same way in .venv-oldest (not in CI: see README)
test-compat-oldest:
	$(MAKE) test-compat COMPAT_VENV=.venv-oldest COMPAT_ROW="tensorflow-cpu==2.20.0 keras==3.12.1" \
	  COMPAT_PY="$(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) $(shell command -v python3.10))"

## the main job: grade the reference solutions of ex01-ex03 and an untouched stub
demo: $(STAMP)
	@echo "== the reference solutions =="
	$(BIN)/grade ex01 --solution
	$(BIN)/grade ex02 --solution
	$(BIN)/grade ex03 --solution
	@echo "== an untouched stub (exit status 1 is expected: nothing is implemented) =="
	-$(BIN)/grade ex01 --file exercises/ex01_conv_arithmetic.py

## benchmarks (numbers side by side with a baseline; not part of `make test`)
bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/watch.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/exercises.py

## where make test's time goes: its wall time beside the 6-minute target, CPU seconds by kind of process
## (about 15 minutes; on an idle machine)
bench-suite: $(STAMP)
	$(BIN)/python bench/suite.py

## baseline (b) of bench/batch.py: nbgrader in its own venv, for the benchmark only (the notebooks run on .venv's
## Python through an ipykernel from the dev extra); `make bench` adds the nbgrader row once this exists
NBGRADER_VENV := bench/nbgrader-venv
NBGRADER_VERSION := 0.9.6
bench-nbgrader: $(STAMP) $(NBGRADER_VENV)/.installed-stamp

$(NBGRADER_VENV)/.installed-stamp:
	@test -x $(NBGRADER_VENV)/bin/python || $(PYTHON) -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NBGRADER_VENV)/bin/python -m pip install --quiet 'nbgrader==$(NBGRADER_VERSION)'
	@$(BIN)/python -c 'import ipykernel' 2>/dev/null || $(BIN)/python -m pip install --quiet 'ipykernel>=6.29,<8'
	@touch $@

clean:
	rm -rf $(VENV) .venv-compat .venv-oldest $(NBGRADER_VENV) .pytest_cache build *.egg-info
