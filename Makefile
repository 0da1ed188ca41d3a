# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# pytest workers: the machines have 2 cores
WORKERS ?= 2

.PHONY: run test lint bench snapshots clean messages catalogues

# The translations (docs/welsh.md): .po files are kept in git, .mo files are built here.
LOCALES := $(wildcard audit_tui/locale/*/LC_MESSAGES/*.po)
MO      := $(LOCALES:.po=.mo)

$(VENV)/.run-installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "audit-tui needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

%.mo: %.po $(VENV)/.run-installed
	$(PY) -m audit_tui.i18n

# Compile the catalogues (also done by run and test).
catalogues: $(MO)

# After marking strings: extract them to the template and merge it into each catalogue;
# then write the new translations in the .po files (msgstr "" is untranslated).
messages: $(VENV)/.run-installed
	# The keyword NP_ (context, message): import-time text with its context (i18n.py);
	# pgettext and npgettext are Babel's default keywords.
	$(VENV)/bin/pybabel extract -F babel.cfg -k NP_:1c,2 --no-location --sort-output \
		--project audit-tui --copyright-holder "audit-tui contributors" \
		-w 100 -o audit_tui/locale/audit_tui.pot .
	$(VENV)/bin/pybabel update -D audit_tui -i audit_tui/locale/audit_tui.pot \
		-d audit_tui/locale -w 100 --no-fuzzy-matching --ignore-obsolete
	# click's own words (Usage:, Options:, its errors), from the installed click
	$(VENV)/bin/pybabel extract --no-location --sort-output --project click \
		--copyright-holder "Pallets (click); Welsh: audit-tui contributors" -w 100 \
		-o audit_tui/locale/click.pot "$$($(PY) -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(VENV)/bin/pybabel update -D click -i audit_tui/locale/click.pot \
		-d audit_tui/locale -w 100 --no-fuzzy-matching --ignore-obsolete

$(VENV)/.test-installed: pyproject.toml $(VENV)/.run-installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

run: $(VENV)/.run-installed $(MO)
	$(VENV)/bin/audit-tui

lint: $(VENV)/.test-installed $(MO)
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
