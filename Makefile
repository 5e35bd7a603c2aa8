# Two commands for a new user: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench bench-quick lint lock package package-check wheel wheel-check deb deb-check clean

# Installs come from the hash-pinned lock files (requirements/*.lock, written by `make lock`)
# with uv, which is itself installed from PyPI into .venv at a pinned version.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
LOCKS := requirements/runtime.lock requirements/dev.lock
# One resolution for every OS and Python >= 3.11 (markers in the file); no index URL is
# written into the locks, so they install from whatever index uv is pointed at.
COMPILE := $(UV) pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

$(UV): Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	touch $(UV)

# uv keeps pip and itself in .venv; it removes anything the lock does not name. The editable
# install builds with the lock's setuptools already in .venv (an isolated build env first installed
# an unpinned one: ~1 s more of a fresh clone's set-up).
$(STAMP): pyproject.toml $(LOCKS) | $(UV)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements/dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve the locks after pyproject.toml changes, keeping the pinned versions that still
# fit; `make lock UPGRADE=1` moves everything to the newest allowed versions. The dev lock
# keeps the runtime lock's versions. Commit both files.
lock: | $(UV)
	$(COMPILE) -o requirements/runtime.lock
	$(COMPILE) --extra dev -c requirements/runtime.lock -o requirements/dev.lock
	@! grep -nE -- '--(index-url|extra-index-url|find-links|trusted-host)|://' $(LOCKS) \
		|| { echo "a lock file names an index or host" >&2; exit 1; }

run: $(STAMP)
	$(VENV)/bin/presto-desktop $(ARGS)

# One pytest worker per core (pytest-xdist): the suite is CPU-bound; each worker has its own QApplication.
# Bytecode is cached (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE is set; uv, unlike
# pip, does not compile at install. Otherwise both workers and each of the ~40 Python processes the
# tests start compiled every module they import from source, and pytest re-rewrote every test
# module's asserts per worker (~10% of the suite's CPU on a fresh clone, more on later runs).
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n auto --dist worksteal

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

# Debian package dist/presto-desktop_<version>_<arch>.deb from the bundle (built first when
# missing or stale): /opt/presto-desktop, /usr/bin/presto-desktop, menu entry and icons.
deb: $(STAMP)
	$(PY) packaging/deb.py

# Build the .deb, install it (dpkg -i; needs root, as in CI), run the installed copy's
# --version and --self-test, remove it (dpkg -r) and check nothing is left.
deb-check: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/deb_check.py

clean:
	rm -rf build dist .pytest_cache
