# Newsroom: `make run` to try it, `make test` to check it, `make e2e` to walk it in a browser.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve varnish test check-deploy e2e bench bench-pdf bench-publish wordcheck-bench loadtest browser-deps perf-deps install install-demo install-test install-e2e \
	lint format migrate demo messages parse-report docs docs-serve clean

# Reinstall whenever pyproject.toml changes; the stamp records the last install.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The demo draws its page PDFs (reportlab, fontTools, a CJK font wheel).
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[demo]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,s3,demo,rq]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-demo

$(VENV)/.installed-e2e: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,s3,demo,rq,e2e]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-demo $(VENV)/.installed

install: $(VENV)/.installed
install-demo: $(VENV)/.installed-demo
install-test: $(VENV)/.installed-test
install-e2e: $(VENV)/.installed-e2e

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: install-demo migrate
	$(BIN)/python manage.py load_demo

# One task worker runs beside the development server (README, "Background
# work"), in a session of its own so that it is stopped, with whatever it
# started, when the server stops.
run: demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/), one task worker beside it"
	setsid $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint check-deploy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Django's deployment checks and ours (newsroom/checks.py) against a production
# environment: DEBUG off, PostgreSQL, Redis. Nothing is connected to.
check-deploy: install
	DEBUG=0 SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DATABASE_URL=postgres://newsroom@db.invalid:5432/newsroom REDIS_URL=redis://cache.invalid:6379/0 \
	ALLOWED_HOSTS=paper.example.com $(BIN)/python manage.py check --deploy --fail-level WARNING

# Production: gunicorn serving newsroom.wsgi, whitenoise the static files,
# and TASK_WORKERS task workers beside it (stopped with it; a worker that
# dies is started again). Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
# REDIS_URL in the environment (README, "Production"). MIGRATE=0 on all app
# servers but one; TASK_WORKERS=0 where the workers run elsewhere.
MIGRATE ?= 1
BIND ?= $(HOST):$(PORT)
TASK_WORKERS ?= 2
serve: install
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING
	if [ "$(MIGRATE)" = 1 ]; then DEBUG=0 $(BIN)/python manage.py migrate --noinput; fi
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	if [ "$(TASK_WORKERS)" = 0 ]; then \
	    DEBUG=0 BIND=$(BIND) exec $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi; \
	fi; \
	DEBUG=0 setsid $(BIN)/python manage.py run_worker --processes $(TASK_WORKERS) & workers=$$!; \
	trap 'kill -TERM $$workers 2>/dev/null; wait $$workers' EXIT INT TERM; \
	DEBUG=0 BIND=$(BIND) $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

# Varnish (with vmod_xkey) in front of `make serve`: readers on VARNISH_PORT,
# gunicorn behind it on PORT, and the app purging Varnish by surrogate key as
# copy changes (newsroom/varnish.vcl; README, "Scaling out").
VARNISH_PORT ?= 6081
VARNISH_MEMORY ?= 256m
VARNISH_DIR := $(CURDIR)/var/varnish
varnish: install
	@command -v varnishd >/dev/null || { echo "Varnish is not installed: apt-get install varnish varnish-modules"; exit 1; }
	mkdir -p $(VARNISH_DIR)
	sed 's/\.port = "8000";/.port = "$(PORT)";/' newsroom/varnish.vcl > $(VARNISH_DIR)/newsroom.vcl
	varnishd -j none -a $(HOST):$(VARNISH_PORT) -f $(VARNISH_DIR)/newsroom.vcl -n $(VARNISH_DIR)/state \
	    -s malloc,$(VARNISH_MEMORY) -P $(VARNISH_DIR)/varnishd.pid
	trap 'kill $$(cat $(VARNISH_DIR)/varnishd.pid)' EXIT INT TERM; \
	    PURGE_URLS=http://127.0.0.1:$(VARNISH_PORT)/ $(MAKE) serve

# The benchmark and the load test run against a database of their own, which
# they create and fill (README, "Benchmark"). NICE="nice -n 10" on a shared machine.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_perf
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/5
BENCH_ARGS ?=
LOADTEST_ARGS ?=
NICE ?=
# The tooling lives in tests/perf/ and is reached through its own settings.
PERF := DJANGO_SETTINGS_MODULE=tests.perf.settings DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL)
bench: install
	@command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
	$(PERF) $(NICE) $(BIN)/python manage.py benchmark $(BENCH_ARGS)

# 审校: one check of a 5,000-字 article against 50,000 word-list entries (goal
# under 5 ms; docs/wordcheck-and-fees.md). No database, no server.
wordcheck-bench: install
	DJANGO_SETTINGS_MODULE=tests.perf.settings $(NICE) $(BIN)/python manage.py wordcheck_benchmark $(BENCH_ARGS)

# Hostile page PDFs uploaded twice at once while readers read the cached home
# page: the readers' worst wait and the workers' peak memory (docs/background-work.md). BENCH_ARGS="--pdf drawing" for one only drawing finds costly.
bench-pdf: install
	$(PERF) $(NICE) $(BIN)/python manage.py pdf_benchmark $(BENCH_ARGS)

# 立即发布 to the last page purged, with a task worker and a stand-in for
# Varnish (docs/background-work.md). BENCH_ARGS="--articles 60 --runs 5".
bench-publish: install
	$(PERF) $(NICE) $(BIN)/python manage.py migrate --noinput -v0
	$(PERF) $(NICE) $(BIN)/python manage.py publish_timing $(BENCH_ARGS)

$(VENV)/.installed-perf: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[perf]'
	touch $@

loadtest: install $(VENV)/.installed-perf
	$(PERF) $(NICE) $(BIN)/python manage.py loadtest $(LOADTEST_ARGS)

# --- browser tests ------------------------------------------------------------
# `make e2e` walks a day at the paper in headless Chromium against the live
# server, and checks the pages with axe-core and the Nu HTML checker.
E2E_TOOLS := tests/e2e/tools
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_DEBS := chromium fonts-wqy-microhei

# Install the Debian packages named in $(1) that are missing (and $(2), a
# shell test naming one more package when it fails).
define apt_missing
	@missing=$$(for pkg in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$pkg 2>/dev/null | grep -q ' installed$$' || echo $$pkg; \
	done); \
	$(2) \
	if [ -n "$$(echo $$missing)" ]; then \
	    echo "Installing" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi
endef

# Debian's Chromium and a CJK font (CI machines start without them), and a
# Java runtime for the Nu HTML checker: each installed only when missing.
browser-deps:
	$(call apt_missing,$(BROWSER_DEBS),java -version >/dev/null 2>&1 || missing="$$missing default-jre-headless";)

# Varnish with vmod_xkey (its test, tests/perf/test_varnish.py) and wrk (make
# bench): installed only when missing.
PERF_DEBS := varnish varnish-modules wrk
perf-deps:
	$(call apt_missing,$(PERF_DEBS),)

# axe-core and vnu-jar exactly as locked. --ignore-scripts: vnu-jar's
# postinstall downloads a Java runtime when it finds none; we use Debian's.
$(E2E_TOOLS)/node_modules/.package-lock.json: $(E2E_TOOLS)/package.json $(E2E_TOOLS)/package-lock.json
	npm ci --prefix $(E2E_TOOLS) --ignore-scripts --no-audit --no-fund
	touch $@

e2e: browser-deps $(VENV)/.installed-e2e $(E2E_TOOLS)/node_modules/.package-lock.json
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

# How many items the importer reads right, per page and in total: on the
# corpus we wrote, and apart on each real corpus, which live in ../shared or
# beside the checkout, not in it (tests/importer/corpus/real/README.md;
# docs/importer.md, "The corpus"): "open" (public domain and CC BY text) and
# "real" (Sogou samples, research use only).
corpus_dir = $(firstword $(wildcard ../shared/importer-corpus/$(1) ../importer-corpus/$(1)))
OPEN_CORPUS ?= $(call corpus_dir,open)
REAL_CORPUS ?= $(call corpus_dir,real)
parse-report: install
	@echo "== written corpus (tests/importer/corpus)"
	$(BIN)/python manage.py parse_report tests/importer/corpus --fail-under 95
	@for corpus in "open:$(OPEN_CORPUS)" "real:$(REAL_CORPUS)"; do \
	    name=$${corpus%%:*}; dir=$${corpus#*:}; \
	    if [ -n "$$dir" ] && [ -d "$$dir" ]; then \
	        echo "== real corpus, $$name ($$dir)"; \
	        $(BIN)/python manage.py parse_report "$$dir" --fail-under 97 || exit 1; \
	    else echo "== real corpus, $$name: not in ../shared or beside this checkout (tests/importer/corpus/real/README.md)"; fi; \
	done

# The manual: docs/ built by MkDocs Material (the `docs` extra) into var/site/
# (mkdocs.yml); --strict fails on a broken link, a missing anchor or a page left
# out of the navigation. `make docs-serve` previews it on DOCS_PORT, rebuilt as
# pages change (warnings printed, not fatal). NO_MKDOCS_2_WARNING keeps the
# end-of-life notice Material prints on every build out of the logs (see
# pyproject.toml).
DOCS_PORT ?= 8001
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs
$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@ $(VENV)/.installed

docs: $(VENV)/.installed-docs
	$(MKDOCS) build --strict

docs-serve: $(VENV)/.installed-docs
	$(MKDOCS) serve --dev-addr $(HOST):$(DOCS_PORT)

# Regenerate the Simplified Chinese catalogue (needs GNU gettext; only for
# translators: the compiled .mo files are committed).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(VENV) var $(E2E_TOOLS)/node_modules
