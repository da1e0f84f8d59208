# Simpul: `make run` serves the app, `make test` runs every test. Both set everything up first.
# Without DATABASE_URL: SQLite in var/ and Celery eager. With DATABASE_URL/REDIS_URL: PostgreSQL, Redis, workers.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test processes for the two cores of the CI machine (pytest-xdist); TEST_PROCESSES=0 runs them in one.
# The fault tests then run in one process on their own (see `test`).
TEST_PROCESSES ?= 2
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test setup worker beat messages lint install install-dev system-packages browser clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when a requirements file changed (the stamp keeps a second `make run` quick).
$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages the product needs: gettext (compiled translations), Pango (WeasyPrint's PDF
# rendering), fonts, poppler-utils (reading PDFs back in tests), the PostgreSQL client (pg_dump and
# pg_restore for `manage.py backup`/`restore`) and zbar-tools (scanning the QR code printed in reports, in
# tests). Installed only when missing.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian's Chromium for the browser tests. When it cannot be installed the e2e tests are reported
# skipped with the reason (see tests/e2e/conftest.py), never silently.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	  echo "Installing Debian's chromium for the browser tests"; \
	  ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null) \
	    || echo "Could not install chromium: browser tests will be skipped."; }

setup: install system-packages
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_regions
	$(MANAGE) seed_demo

run: setup
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker and beat next to the web server"; \
	  $(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2 & \
	  $(VENV)/bin/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule & \
	fi; \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule

test: install-dev system-packages browser
	$(PY) -m ruff check .
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(PY) -m pytest -n $(TEST_PROCESSES) -m "not celery_worker and not ops" $(PYTEST_ARGS)
	@# The fault tests (own Redis, workers, PostgreSQL clusters, gunicorn) run alone afterwards: their timings assume
	@# a machine not also busy with the browser walks. Exit code 5 is "none of these selected" (a PYTEST_ARGS subset).
	$(PY) -m pytest -m "celery_worker or ops" $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install-dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Refresh the translation catalogues after adding strings (then fill in locale/*/LC_MESSAGES/django.po).
messages: install
	$(MANAGE) makemessages -l id -l en --ignore=.venv --ignore=staticfiles --no-obsolete

clean:
	rm -rf $(VENV) staticfiles var/db.sqlite3
