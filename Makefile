# Two commands: `make run` serves ckhub with a demo workspace, `make test` runs lint + the suite.
VENV    ?= .venv
PY      := $(VENV)/bin/python
CKHUB   := $(VENV)/bin/ckhub
STAMP   := $(VENV)/.installed

.PHONY: install run test lint bench system-deps clean translations migration

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
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy scripts

# Debian packages the tests drive for real: Chromium (+ CJK fonts) and redis-server.
system-deps:
	sh scripts/install-system-deps.sh

# One worker per core (at most four): each has its own PostgreSQL, Chromium and temp folders;
# a file's tests stay on one worker, so its module fixtures are made once.
test: install system-deps lint
	$(VENV)/bin/pytest --numprocesses auto --maxprocesses 4 --dist loadfile

bench: install
	$(CKHUB) bench web --requests 300

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Extract UI text into the Chinese catalog; translate the new entries, then `make test`.
translations: install
	$(PY) scripts/update_translations.py

# Autogenerate a migration after changing models: make migration m="what changed"
migration: install
	CKHUB_VAR_DIR=$$(mktemp -d) $(PY) -c "from ckhub.settings import Settings; \
	from ckhub.runtime import build_runtime; from ckhub.db.migrate import upgrade, revision; \
	r = build_runtime(Settings()); upgrade(r.engine); revision(r.engine, '$(m)')"
