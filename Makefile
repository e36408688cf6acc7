# Quartiersmonitor Neunkirchen – every task of the project is a target here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

REPLICAS ?= 2

# Bytecode: the Debian image sets PYTHONDONTWRITEBYTECODE=1, so every interpreter
# (app server, test worker, served test app) compiled streamlit, pandas and plotly
# from source again: importing the stack took 4.9 s instead of 1.6 s (this
# machine). Python writes what it imports into one cache in the venv, nothing
# into the source tree; `make clean` removes it with the venv.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

.PHONY: run dev serve test lint demo-data screenshots chromium poppler postgresql nginx bench bench-load steckbriefe clean help

help:
	@echo "make run          start the app on http://localhost:$(PORT) (demo data)"
	@echo "make serve        REPLICAS=2 app processes behind nginx on http://localhost:$(PORT)"
	@echo "make test         install test tools (Chromium, poppler, axe-core, PostgreSQL, nginx), run lint and all tests; a skip fails"
	@echo "make demo-data    regenerate data/demo and data/musterstadt (byte-identical)"
	@echo "make screenshots  screenshots of every page into docs/screenshots"
	@echo "make bench        benchmarks, figures for docs/PERFORMANCE.md"
	@echo "make bench-load   workshop load: floor vs app, 1 process vs 2 replicas, knee, soak"
	@echo "make steckbriefe  Steckbrief PDFs of every Stadtteil and Quartier into build/steckbriefe"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# --no-compile: Python compiles a module when it is first imported (only what the
# app and tests import) instead of pip compiling all ~12,000 files of the venv
# (a fresh install of requirements-dev.txt: 115 s with, 71 s without, this machine)
PIP_INSTALL := $(BIN)/pip install --quiet --no-compile --disable-pip-version-check

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(RUN_STAMP)

# Users and projectors: no file watcher (a workshop burst of 30 sessions stays fast).
run: $(RUN_STAMP)
	QM_BASEMAP=$${QM_BASEMAP:-carto} $(BIN)/streamlit run app.py \
		--server.port $(PORT) --server.fileWatcherType none

# Several app processes behind nginx (sticky by cookie, one cookie secret); Ctrl-C
# stops them. nginx's configuration is rendered from deploy/nginx into a temp dir.
serve: $(RUN_STAMP) nginx
	QM_BASEMAP=$${QM_BASEMAP:-carto} $(BIN)/python -m tools.replicas serve \
		--replicas $(REPLICAS) --port $(PORT)

# Development: reload on save.
dev: $(DEV_STAMP)
	QM_BASEMAP=$${QM_BASEMAP:-carto} $(BIN)/streamlit run app.py \
		--server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true

# $(call apt_ensure,COMMAND,PACKAGES): install the Debian packages when COMMAND (a
# name on PATH or an absolute path) is missing; quiet, and nothing to do next time.
define apt_ensure
	@if ! command -v $(1) >/dev/null 2>&1; then \
		echo "Installing Debian $(2) for the tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(2) >/dev/null; \
	fi
endef

# Chromium for the browser tests and the screenshots
chromium:
	$(call apt_ensure,/usr/bin/chromium,chromium fonts-dejavu-core)

# pdftoppm renders the Steckbrief PDF in the tests (page not blank)
poppler:
	$(call apt_ensure,pdftoppm,poppler-utils)

# PostgreSQL server binaries for the tests of the PostgreSQL edit log (a throwaway
# cluster per test session, tests/postgres_cluster.py; nothing is left running)
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian postgresql for the edit-log tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
			postgresql >/dev/null; \
	fi

# Debian's nginx for make serve, the load benchmark and tests/test_load_smoke.py
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "Installing Debian nginx for make serve and the load tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; \
	fi

# axe-core for the accessibility test, from the npm registry (no CDN at run time)
A11Y := tools/a11y/node_modules/axe-core/axe.min.js
$(A11Y): tools/a11y/package.json tools/a11y/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tools/a11y --no-audit --no-fund --loglevel=error
	touch $@

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

# QM_NO_SKIP=1: a skipped test fails (tests/conftest.py); every tool is installed above
# TEST_WORKERS: pytest-xdist workers, each file on one of them (--dist loadfile);
# PYTEST_ARGS: more pytest options, e.g. PYTEST_ARGS="--junitxml=build/junit.xml -k karte"
TEST_WORKERS ?= 2
PYTEST_ARGS ?=
test: $(DEV_STAMP) chromium poppler postgresql nginx $(A11Y) lint
	QM_BASEMAP=blank QM_NO_SKIP=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) \
		--dist loadfile --durations=25 $(PYTEST_ARGS)

demo-data: $(RUN_STAMP)
	$(BIN)/python -m monitor.demo.generate --out data/demo
	$(BIN)/python -m monitor.demo.points --data data/demo
	$(BIN)/python -m monitor.demo.musterstadt --out data/musterstadt

screenshots: $(DEV_STAMP) chromium
	$(BIN)/python tools/screenshots.py

bench: $(DEV_STAMP) chromium nginx
	$(BIN)/python -m bench.run

bench-load: $(DEV_STAMP) nginx
	$(BIN)/python -m bench.load suite

steckbriefe: $(RUN_STAMP)
	$(BIN)/python tools/steckbriefe.py --out build/steckbriefe

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
