# Newsroom: `make run` to try it, `make test` to check it, `make e2e` to walk it in a browser.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e browser-deps install install-test install-e2e lint format migrate demo messages clean

# Reinstall whenever pyproject.toml changes; the stamp records the last install.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-e2e: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,e2e]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-e2e: $(VENV)/.installed-e2e

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# --- browser tests ------------------------------------------------------------
# `make e2e` walks a day at the paper in headless Chromium against the live
# server, and checks the pages with axe-core and the Nu HTML checker.
E2E_TOOLS := tests/e2e/tools
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_DEBS := chromium fonts-wqy-microhei

# Debian's Chromium and a CJK font (CI machines start without them), and a
# Java runtime for the Nu HTML checker: each installed only when missing.
browser-deps:
	@missing=$$(for pkg in $(BROWSER_DEBS); do \
	    dpkg-query -W -f='$${Status}\n' $$pkg 2>/dev/null | grep -q ' installed$$' || echo $$pkg; \
	done); \
	java -version >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$(echo $$missing)" ]; then \
	    echo "Installing" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi

# axe-core and vnu-jar exactly as locked. --ignore-scripts: vnu-jar's
# postinstall downloads a Java runtime when it finds none; we use Debian's.
$(E2E_TOOLS)/node_modules/.package-lock.json: $(E2E_TOOLS)/package.json $(E2E_TOOLS)/package-lock.json
	npm ci --prefix $(E2E_TOOLS) --ignore-scripts --no-audit --no-fund
	touch $@

e2e: browser-deps $(VENV)/.installed-e2e $(E2E_TOOLS)/node_modules/.package-lock.json
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

# Regenerate the Simplified Chinese catalogue (needs GNU gettext; only for
# translators: the compiled .mo files are committed).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(VENV) var $(E2E_TOOLS)/node_modules
