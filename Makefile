# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= 1

.PHONY: run test bench lint format messages install install-dev system-deps clean vendor

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The browser tests drive Debian's Chromium with CJK fonts (never a browser a tool downloads);
# WeasyPrint renders the PDFs with Pango and the CJK fonts;
# docker-compose (no engine needed) checks that the production recipe parses; wrk drives `make bench`.
SYSTEM_PACKAGES := chromium fonts-noto-cjk docker-compose wrk gettext libpango-1.0-0 libpangoft2-1.0-0
system-deps:
	@command -v chromium >/dev/null && command -v docker-compose >/dev/null && \
	  command -v wrk >/dev/null && command -v xgettext >/dev/null && \
	  ldconfig -p | grep -q libpangoft2 && fc-list | grep -qi "Noto Sans CJK" || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	  else echo "Please install: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; }

## make run: migrate, load the demo province, print the demo logins, serve on 127.0.0.1:$(PORT)
# Quiet on purpose: the demo logins and complaint codes are the last lines before the server's
# own banner. Migrating and loading log at WARNING (LOG_LEVEL overrides), and the migrations
# are not listed one by one; the server logs at LOG_LEVEL (INFO) and keeps its auto-reload,
# without Django's "not for production" notice (production is docker-compose.yml, README).
run: install
	@mkdir -p var
	@echo "Migrating the database and loading the demo province ..."
	@LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(PY) manage.py migrate --noinput --verbosity 0
	@LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(PY) manage.py load_demo_data
	@DJANGO_RUNSERVER_HIDE_WARNING=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite (PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set),
## in parallel: one pytest-xdist worker a core, each with its own test database
## (test_<name>_gw0, …) and its own keys on the broker; PYTEST_WORKERS=0 runs it all in one process.
test: install-dev system-deps
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-auto} --dist load

## make bench: benchmarks under bench/, results in bench/results.json
bench: install-dev system-deps
	$(PY) bench/run.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make messages: refresh the English translation catalogue and compile it, and compile the
## Chinese for the libraries' messages (locale_libraries/, kept by hand)
messages: install-dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l en --ignore=.venv
	for domain in django djangojs; do \
	  msgfmt --check -o locale_libraries/zh_Hans/LC_MESSAGES/$$domain.mo \
	    locale_libraries/zh_Hans/LC_MESSAGES/$$domain.po; done

## make vendor: the front-end packages of package.json, from the npm registry into static/vendor/
## (committed, so that running the portal needs no npm; served by whitenoise, never from a CDN)
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p static/vendor/altcha
	cp node_modules/altcha/dist_external/altcha.js node_modules/altcha/dist_external/worker.js \
	  node_modules/altcha/dist_external/altcha.css node_modules/altcha/LICENSE.txt static/vendor/altcha/
	cp node_modules/altcha/dist_i18n/zh-cn.js static/vendor/altcha/zh-cn.js
	mkdir -p static/vendor/echarts
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE static/vendor/echarts/

clean:
	rm -rf var/static .pytest_cache
