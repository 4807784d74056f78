# `make run` serves the demo beside its import worker; `make test` runs ruff and the whole suite (SQLite, then
# PostgreSQL when TEST_DATABASE_URL is set). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint translations catalogs clean pdf-renderer

# axe-core (npm, pinned in package-lock.json) for the browser tests' accessibility checks; the app serves none of it.
# apt installs Debian's npm where it is missing; without it the accessibility tests are skipped and say so.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then echo "make: installing Debian's npm for axe-core"; \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null; } || true; fi
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "accessibility tests: SKIPPED, npm could not be installed (apt-get install npm)"; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

translations: $(VENV)/.installed
	@if ls tracker/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d tracker/translations; fi

# After changing user-facing strings: extract them into the template and merge it into every catalog; then
# translate the new or fuzzy entries in tracker/translations/*/LC_MESSAGES/messages.po (tests/test_i18n.py
# fails while any is missing, fuzzy or empty).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -w 120 --sort-by-file \
		--project=tracker --version=0.1.0 --header-comment='# The English source strings of the tracker; `make catalogs` writes this file.' \
		-o tracker/translations/messages.pot .
	$(BIN)/pybabel -q update -i tracker/translations/messages.pot -d tracker/translations -w 120 --ignore-obsolete

# The reports' PDFs are printed by Debian's chromium with a Japanese font (IPA Gothic, embedded in the PDFs): apt installs
# both where either is missing. Without them the server still runs, and answers a PDF with a 503 that says why.
pdf-renderer:
	@if [ ! -x "$(CHROMIUM)" ] || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then \
		echo "make: installing Debian's chromium and fonts-ipafont-gothic for the reports' PDFs"; \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium \
			fonts-ipafont-gothic >/dev/null; } || echo "make: could not install them (not root?): PDFs will answer 503"; \
	fi

# The worker that runs uploaded imports starts beside the server; Ctrl-C (or the server ending) stops both.
run: $(VENV)/.installed translations pdf-renderer
	TRACKER_DEMO=1 $(BIN)/tracker db upgrade
	TRACKER_DEMO=1 $(BIN)/tracker demo
	TRACKER_DEMO=1 $(BIN)/tracker worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	TRACKER_DEMO=1 $(BIN)/tracker run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check tracker tests benchmarks wsgi.py gunicorn.conf.py

test: lint translations node_modules/.installed
	@if [ -x "$(CHROMIUM)" ]; then echo "browser tests: running with $(CHROMIUM)"; \
	else echo "browser tests: SKIPPED, Chromium is not installed at $(CHROMIUM) (apt-get install chromium)"; fi
	TRACKER_TEST_DB=sqlite $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "PostgreSQL: $$TEST_DATABASE_URL"; TRACKER_TEST_DB=postgresql $(BIN)/pytest -q; \
	else echo "PostgreSQL: SKIPPED, TEST_DATABASE_URL is not set"; fi

clean:
	rm -rf $(VENV) build *.egg-info node_modules
