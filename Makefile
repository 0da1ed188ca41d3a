# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# pytest workers: the machines have 2 cores
WORKERS ?= 2

.PHONY: run test lint bench snapshots clean

$(VENV)/.run-installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "audit-tui needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.run-installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

run: $(VENV)/.run-installed
	$(VENV)/bin/audit-tui

lint: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup $(PYTEST_ARGS)

snapshots: $(VENV)/.test-installed
	$(PY) -m pytest tests/ui --snapshot-update

bench: $(VENV)/.test-installed
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
