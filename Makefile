# Two commands for a new user: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench bench-quick lint package package-check wheel wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/presto-desktop $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run.py

bench-quick: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run.py --quick

lint: $(STAMP)
	$(VENV)/bin/ruff check presto_desktop tests
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

package: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean build.spec

# Smoke-test the bundle from a temp data dir (builds it first when missing or stale).
package-check: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/smoke.py

wheel: $(STAMP)
	$(PY) -m pip wheel --no-deps --wheel-dir dist .

# Build the wheel, install it into a fresh venv (deps from PyPI) and run it.
wheel-check: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/wheel_check.py

clean:
	rm -rf build dist .pytest_cache
