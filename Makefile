# Two commands: `make run` serves ckhub with a demo workspace, `make test` runs lint + the suite.
VENV    ?= .venv
PY      := $(VENV)/bin/python
CKHUB   := $(VENV)/bin/ckhub
STAMP   := $(VENV)/.installed

.PHONY: install run test lint bench system-deps clean

# The venv is rebuilt only when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(CKHUB) init
	$(CKHUB) demo --once
	$(CKHUB) serve --host 127.0.0.1 --port 8000

lint: install
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/mypy

# Debian packages the tests drive for real: Chromium (+ CJK fonts) and redis-server.
system-deps:
	sh scripts/install-system-deps.sh

test: install system-deps lint
	$(VENV)/bin/pytest

bench: install
	$(CKHUB) bench --help

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
