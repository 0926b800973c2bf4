# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: run test lint format bench-smoke clean messages vendor

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Lifeline needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Leaflet, its cluster plugin, topojson-client and Natural Earth outlines, from the npm
# registry (pinned by integrity), into the sites app's static folder (not in git).
vendor: $(STAMP)
	$(BIN)/python scripts/vendor_static.py

run: $(STAMP) vendor
	$(BIN)/lifeline migrate --no-input
	$(BIN)/lifeline demo --if-empty
	$(BIN)/lifeline screening train --if-missing || echo "Job-offer screening uses its warning signs alone until a model is trained."
	$(BIN)/lifeline serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python scripts/check_scoped_queries.py
	$(BIN)/bandit -c pyproject.toml -r src -q

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test: lint vendor
	DATABASE_URL= $(BIN)/python -m django makemigrations --check --dry-run --settings=tests.settings > /dev/null
	$(BIN)/python -m pytest -p xdist -n $(PYTEST_WORKERS) --create-db

# The public pages' translations (src/lifeline/locale): refresh the .po files from the strings
# of the intake app and of the job-check page (lifeline.screening.public with the warning signs,
# levels, advice and messages it shows), then compile them. The compiled .mo files are
# committed, so a clean clone needs no gettext tools; this target does (apt-get install gettext).
INTAKE_LANGUAGES := -l zh_Hans -l th -l vi -l id -l km -l my
PUBLIC_ONLY := $(foreach d,accounts audit cases core evidence linkage people privacy reports sharing sites templates api.py cli.py settings.py urls.py wsgi.py,-i lifeline/$(d)) \
	$(foreach f,api.py apps.py campaigns.py erasure.py extract.py forms.py lure_map.py model.py models.py selectors.py services.py urls.py views.py management migrations,-i lifeline/screening/$(f)) \
	-i lifeline.egg-info
messages: $(STAMP)
	cd src && DJANGO_SETTINGS_MODULE=lifeline.settings ../$(BIN)/django-admin makemessages $(INTAKE_LANGUAGES) $(PUBLIC_ONLY) --no-location --no-obsolete
	cd src/lifeline && DJANGO_SETTINGS_MODULE=lifeline.settings ../../$(BIN)/django-admin compilemessages $(INTAKE_LANGUAGES)

bench-smoke: $(STAMP)
	$(BIN)/python bench/case_desk.py --smoke
	$(BIN)/python bench/keys_and_backup.py --smoke
	$(BIN)/python bench/screening.py --smoke
	$(BIN)/python bench/linkage.py --smoke
	$(BIN)/python bench/intake_load.py --smoke
	$(BIN)/python bench/sites.py --smoke
	$(BIN)/python bench/canary.py --smoke
	$(BIN)/python bench/reports_import.py --smoke
	$(BIN)/python bench/reports.py --smoke
	$(BIN)/python bench/sharing.py --smoke

clean:
	rm -rf $(VENV) var/test
