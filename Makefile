# Probation Casework. `make run` and `make test` are the two commands in the README.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install install-dev system-packages migrate seed assets lint clean screenshots bench backup restore

# Debian libraries WeasyPrint (letters as PDF) needs: Pango and HarfBuzz. Installed with apt-get only if missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the pinned requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

system-packages:
	@command -v dpkg >/dev/null 2>&1 || exit 0; \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing (for WeasyPrint)"; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

install: system-packages $(VENV)/.installed
install-dev: system-packages $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py setup_periodic_tasks --run-now

## run: set up and start web, Celery worker and beat on the embedded default (SQLite, no Redis)
run: seed
	@echo ""
	@echo "Probation Casework is starting at http://127.0.0.1:$(PORT)/  (Ctrl+C stops web, worker and beat)"
	@echo ""
	PORT=$(PORT) $(BIN)/honcho start

## test: set up, lint (ruff, with the complexity limit) and run the whole test suite in TEST_WORKERS
## processes (SQLite locally; CI points DATABASE_URL at PostgreSQL; each process has its own test database)
TEST_WORKERS ?= 2
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS)

## screenshots: regenerate docs/screenshots/ from the browser scenarios (needs Debian's chromium)
screenshots: install-dev
	SCREENSHOTS=1 $(BIN)/pytest tests/browser -q

lint: install-dev
	$(BIN)/ruff check .

## assets: rebuild static/govuk and static/moj from the npm packages (needs Node; output is committed)
assets:
	bash frontend/build.sh

clean:
	rm -rf $(VENV) var staticfiles

## bench: seed PostgreSQL at each of SCALES (default "1 10"; make bench SCALES="1 10 50" adds the national
## scale), measure every page in process and under load with wrk, time the sweeps, mark the goals (see README)
SCALES ?= 1 10
bench: install-dev
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(BIN)/python benchmarks/run.py --scales $(SCALES) --duration $${BENCH_SECONDS:-10}

## backup: back up the database DATABASE_URL names to var/backups/<time>.dump (SQLite: <time>.sqlite3)
backup: install
	$(BIN)/python manage.py backup_database

## restore: replace the database with a backup: make restore FILE=var/backups/<time>.dump CONFIRM=yes
restore: install
	@test -n "$(FILE)" || (echo "Say which backup: make restore FILE=var/backups/<time>.dump CONFIRM=yes"; exit 2)
	$(BIN)/python manage.py restore_database "$(FILE)" $(if $(filter yes,$(CONFIRM)),--yes,)
