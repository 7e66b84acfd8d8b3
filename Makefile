# Gridline: `make run` serves the app with demo data, `make test` runs every check.
# Each step installs what it needs once; stamp files in .venv/ keep re-runs quick.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= gridline-demo

# The PostgreSQL server the `postgresql` tests create their databases on.
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

# apt-get needs root; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run test lint browser pdf-libs clean

help:
	@echo "make run    serve Gridline with the demo project on http://$(HOST):$(PORT)"
	@echo "make test   lint the Dockerfile and run every test (SQLite, PostgreSQL, Chromium)"
	@echo "make clean  remove the virtual environment and test screenshots"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The server's own dependencies.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

# Test and tooling dependencies; they include the server's, so both stamps are fresh after.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed pdf-libs
	$(BIN)/flask --app server init-db
	$(BIN)/flask --app server seed-demo --if-empty --password "$(DEMO_PASSWORD)"
	@echo
	@echo "Gridline on http://$(HOST):$(PORT)  -  demo project DEMO, password: $(DEMO_PASSWORD)"
	@echo "  foreman1, foreman2   foreman"
	@echo "  liaison1             resident liaison"
	@echo "  supervisor1          supervisor"
	@echo "  safety1              safety officer"
	@echo "  quality1             quality inspector"
	@echo "  admin1               administrator"
	@echo "(A demo loaded by an earlier run keeps the password it was loaded with.)"
	@echo
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -

# Pango and CJK fonts, which WeasyPrint draws the printable PDFs (labels, reports) with.
pdf-libs:
	@if ldconfig -p | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Pango and Noto Sans CJK are installed"; \
	else \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk; \
	fi

# Debian's Chromium for the end-to-end tests, and CJK fonts so Chinese text renders.
browser:
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "chromium and Noto Sans CJK are installed"; \
	else \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/hadolint Dockerfile

test: $(VENV)/.installed-dev browser pdf-libs lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) e2e/screenshots
