# Treaty Tracker. `make run` serves the site with the seed data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: run test lint check pytest serve seed backup restore clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet ".[test]"
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed
	DEBUG=$${DEBUG:-True} $(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT)

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

pytest: $(VENV)/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint check pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
