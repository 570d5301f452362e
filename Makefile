# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make test` runs the suite in parallel; `TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000
# Pure domain modules (no Django imports): type-checked strictly.
PURE_MODULES := monitoring/dust.py progress/maps.py targets/trajectory.py monitoring/synthetic.py monitoring/formats.py progress/scoring.py areas/rounding.py monitoring/aqi.py monitoring/percentiles.py monitoring/statistics.py monitoring/standards.py monitoring/trends.py measures/deadlines.py measures/periods.py measures/workflow.py measures/charts.py measures/plan_file.py monitoring/china_time.py

.PHONY: run test lint format serve venv messages clean bench bench-serve

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d); set PY=/path/to/python3.11" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap --demo
	BACKGROUND_THREAD=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy --strict $(PURE_MODULES)
	PYTHONPATH=. $(BIN)/lint-imports --no-logo

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production-like: gunicorn + Celery worker + beat against PostgreSQL and Redis; a worker or beat that
# exits is started again (deploy/ has the systemd units that do the same on a server).
# Needs DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG=0 (README, "Production").
serve: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py bootstrap
	trap 'kill 0' EXIT INT TERM; \
	while true; do $(BIN)/celery -A liaocheng_air worker --loglevel=info; echo "worker exited; restarting" >&2; sleep 2; done & \
	while true; do $(BIN)/celery -A liaocheng_air beat --loglevel=info --schedule var/celerybeat-schedule; sleep 2; done & \
	$(BIN)/gunicorn liaocheng_air.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

# Recompile translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: venv
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=static/vendor --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: venv
	$(BIN)/python bench/pipeline.py

# Serving benchmark (issue 15): gunicorn, PostgreSQL, Redis and wrk (Debian's package), each public page
# against a static file in the same run; the first run builds its demo database (a few minutes).
bench-serve: venv
	$(BIN)/python bench/serve.py --paint --during-recompute

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
