# The two commands of the README: `make run` and `make test`.
# Both create .venv, install the pinned requirements, migrate and compile
# translations; `run` seeds demo data into an empty database and serves it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n auto

.PHONY: run test setup check-system lint format messages samples worker beat check-deploy clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Mikrolån needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Det Fælles Designsystem (dkfds) and any other front-end package, from the
# npm registry at the versions in package-lock.json; served as static files.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Node.js and npm are missing; they install the design system (dkfds)."; \
	  echo "On Debian/Ubuntu: sudo apt-get install nodejs npm"; \
	  exit 1; }
	npm ci --no-audit --no-fund --silent
	@touch $@

check-system: $(VENV)/.installed node_modules/.installed
	@$(PY) -c 'import weasyprint' 2>/dev/null || { \
	  echo "WeasyPrint cannot load its system libraries (Pango, HarfBuzz)."; \
	  echo "On Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; \
	  exit 1; }
	@command -v msgfmt >/dev/null || { \
	  echo "GNU gettext (msgfmt) is missing; it compiles the translations."; \
	  echo "On Debian/Ubuntu: sudo apt-get install gettext"; \
	  exit 1; }

setup: check-system
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) manage.py migrate --noinput -v 0

run: setup
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST)

test: check-system
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules --no-obsolete

worker: setup
	$(VENV)/bin/celery -A mikrolaan worker -l info

beat: setup
	$(VENV)/bin/celery -A mikrolaan beat -l info

# The example production files in deploy/: structure, and systemd-analyze
# verify / nginx -t where those are installed.
check-deploy: $(VENV)/.installed
	$(PY) -m pytest tests/mikrolaan/test_deploy.py -rs

# The staff pages under gunicorn and wrk at national scale (docs/performance.md);
# needs PostgreSQL and wrk. BENCH_ARGS=--quick for a smoke run.
BENCH_ARGS ?=
bench: check-system
	$(PY) bench/pages_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
