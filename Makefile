# Treaty Tracker. `make run` serves the site with the seed data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

# pytest runs on two processes; a developer's later runs keep the test database
# (--reuse-db; CI passes --create-db). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS    ?= --reuse-db

.PHONY: run test lint check typecheck pytest serve seed backup restore clean messages bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet ".[test]"
	touch $@

# The page checkers the tests run (the Nu Html Checker, axe-core), at the versions
# package-lock.json pins. Install scripts are not run: vnu-jar's would fetch a Java runtime,
# and the system's Java is used instead. Without npm the checker tests skip (CI requires them).
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed
	DEBUG=$${DEBUG:-True} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode (see README, "Deploying"): gunicorn with config/gunicorn.conf.py, behind an
# HTTPS reverse proxy. It refuses to start without what production needs.
serve: export DJANGO_PRODUCTION = True
serve: $(VENV)/.installed
	@if [ -z "$$SECRET_KEY" ] || [ -z "$$ALLOWED_HOSTS" ]; then \
	    echo "make serve runs the site in production mode and needs:" >&2; \
	    echo "  SECRET_KEY=<at least 50 random characters, kept secret>" >&2; \
	    echo "  ALLOWED_HOSTS=<the site's host names, comma-separated>" >&2; \
	    echo "and usually DATABASE_URL=postgres://… (an SQLite file otherwise)" >&2; \
	    echo "and CACHE_URL=redis://… (the page cache every server shares; or PAGE_CACHE=False);" >&2; \
	    echo "it expects an HTTPS proxy in front (SECURE_SSL_REDIRECT=False to try it over HTTP)." >&2; \
	    exit 2; \
	fi
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/gunicorn --config config/gunicorn.conf.py config.wsgi

seed: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed

# A timestamped archive of the whole database (history included) in backups/.
backup: $(VENV)/.installed
	$(PY) manage.py backup

# Load an archive into the empty database DATABASE_URL names: make restore FILE=backups/….json.gz
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "make restore needs FILE=path/to/archive.json.gz (written by make backup)" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

pytest: $(VENV)/.installed $(if $(NPM),node_modules/.installed)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint check typecheck pytest

# The Japanese catalogue: gather new strings into locale/ja/LC_MESSAGES/django.po, then,
# once they are translated, compile the .mo that is committed beside it (needs GNU gettext).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l ja --no-obsolete
	$(PY) manage.py compilemessages -l ja

clean:
	rm -rf $(VENV) node_modules staticfiles artifacts .pytest_cache .ruff_cache .mypy_cache

# Benchmarks on PostgreSQL at the scale of the full record (see bench/run.py); writes
# bench/results.md. BENCH_SCALES=100k,1m by default; BENCH_RUNS, BENCH_WRK_SECONDS and
# BENCH_LOAD_SECONDS shorten or lengthen a run.
bench: $(VENV)/.installed
	$(PY) -m bench.run
