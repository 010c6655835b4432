# Zhenxing: `make demo` serves the demo city, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VAR := var

export ZHENXING_HOME := $(CURDIR)

.PHONY: demo worker test lint typecheck pytest fuzz bench bench-import bench-economy bench-pages bench-grid check-scoping messages vendor clean help

help:
	@echo "make demo   - install, migrate, load the demo city (盘州市) and serve it on 127.0.0.1:$(PORT)"
	@echo "make test   - lint, type-check and run the whole suite (SQLite, or DATABASE_URL if set)"

# Reinstall whenever the project's dependencies change.
$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(VAR)/secret_key:
	@mkdir -p $(VAR)
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The master key for encrypted ID numbers and phones: back it up apart from the database.
$(VAR)/data_key:
	@mkdir -p $(VAR)
	@$(PYTHON) -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())" > $@
	@chmod 600 $@

DEMO_ENV := SECRET_KEY_FILE=$(VAR)/secret_key DATA_KEY_FILE=$(VAR)/data_key

demo: $(BIN)/.installed $(VAR)/secret_key $(VAR)/data_key
	$(DEMO_ENV) $(BIN)/zhenxing migrate --no-input
	$(DEMO_ENV) $(BIN)/zhenxing demo
	$(DEMO_ENV) $(BIN)/zhenxing collectstatic --no-input --verbosity 0
	@echo "Serving the demo city at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it and the worker)"
	@$(DEMO_ENV) $(BIN)/zhenxing import_sweep --verbosity 0
	@$(DEMO_ENV) $(BIN)/zhenxing db_worker --queue-name '*' --no-reload --verbosity 0 & \
		worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEMO_ENV) ALLOWED_HOSTS=127.0.0.1,localhost \
		$(BIN)/zhenxing runserver 127.0.0.1:$(PORT) --noreload

# The background worker on its own (large imports); make demo starts one with the server.
worker: $(BIN)/.installed $(VAR)/secret_key $(VAR)/data_key
	$(DEMO_ENV) $(BIN)/zhenxing import_sweep
	$(DEMO_ENV) $(BIN)/zhenxing db_worker --queue-name '*' --no-reload

test: $(BIN)/.installed lint typecheck pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(BIN)/.installed
	ZHENXING_TESTING=1 $(BIN)/mypy

# One worker per core (PYTEST_WORKERS=0 runs in one process), each with its own test database.
# Tests are handed out one by one (--dist load): the scope-based modes key tests by node id,
# and the API fuzz tests share one, so they ran one of the 33 operations and dropped the rest.
PYTEST_WORKERS ?= auto
pytest: $(BIN)/.installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

# The API fuzzed over its own OpenAPI document for longer than the suite does (schemathesis:
# no 5xx, no undocumented status, every response as documented). FUZZ_EXAMPLES=… per operation.
fuzz: $(BIN)/.installed
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(BIN)/pytest -p no:cacheprovider tests/api -q

# Benchmarks print tables; speed is measured here, never in tests.
bench: $(BIN)/.installed
	$(BIN)/python bench/bench_regions.py

# 1,000,000 persons as CSV and XLSX into SQLite and PostgreSQL, against the raw floors and
# django-import-export (ROWS=… for a smaller run; PG_URL=… for another server).
bench-import: $(BIN)/.installed
	$(BIN)/python bench/bench_import.py

# The collective economy dashboard: summary tables vs. a GROUP BY over the ledger (~20 min).
bench-economy: $(BIN)/.installed
	$(BIN)/python bench/bench_economy.py

# The phone's queue syncing 500 visits (and a forced retry), the phone's first load on slow
# 3G, and a township's quarter assessment (SCALE=full for the full-scale city).
bench-grid: $(BIN)/.installed
	$(BIN)/python bench/bench_grid.py

# Every page each role's menu reaches, on the full-scale demo (built once per database, reused).
bench-pages: $(BIN)/.installed
	$(BIN)/python bench/bench_pages.py

# Prove the scoping matrix catches scoping removed from any route (mutation check, ~1.5 min).
check-scoping: $(BIN)/.installed
	$(BIN)/python scripts/check_scoping_matrix.py

# Regenerate message catalogues after changing strings (needs GNU gettext), then fill in the
# translations in src/zhenxing/locale/*/LC_MESSAGES/django.po and compile.
messages: $(BIN)/.installed
	cd src/zhenxing && ../../$(BIN)/zhenxing makemessages -l zh_Hans -l zh_Hant -l en --no-obsolete
	cd src/zhenxing && ../../$(BIN)/zhenxing compilemessages

# Refresh vendored front-end assets from the npm registry (see static/vendor/VENDOR.md).
vendor:
	./scripts/vendor.sh

clean:
	rm -rf $(VENV) $(VAR)/static .pytest_cache .mypy_cache .ruff_cache
