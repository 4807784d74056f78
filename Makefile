# `make run` serves the demo beside its import worker; `make test` runs ruff and the whole suite (SQLite, then
# PostgreSQL when TEST_DATABASE_URL is set). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint translations catalogs clean pdf-renderer plotly-bundle

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

# static/vendor/plotly-tracker.min.js: plotly.js with only the trace types the tracker draws (scatter comes with the
# core), built from the npm package of the plotly.js version the installed plotly package ships, so that the pages
# need 1.4 MB of plotly.js rather than 4.8. Run it again after upgrading plotly (tests/test_static_files.py fails
# until then). Needs node and npm; the app itself never does (the bundle is committed).
PLOTLY_BUNDLE_TRACES := bar pie heatmap choropleth scattergeo
plotly-bundle: $(VENV)/.installed
	rm -rf build/plotly-bundle && mkdir -p build/plotly-bundle
	version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())") && \
	cd build/plotly-bundle && npm init -y >/dev/null && \
	npm install --ignore-scripts --no-audit --no-fund plotly.js@$$version esbuild@0.28.2 && \
	{ echo "var Plotly = require('plotly.js/lib/core');"; \
	  echo "Plotly.register([$(foreach trace,$(PLOTLY_BUNDLE_TRACES),require('plotly.js/lib/$(trace)'),)]);"; \
	  echo "module.exports = Plotly;"; } > entry.js && \
	npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
		--define:global=window --define:define.amd=false --loader:.css=empty --legal-comments=eof \
		--banner:js="/** plotly.js (tracker: scatter $(PLOTLY_BUNDLE_TRACES) - minified) v$$version, MIT license, https://plot.ly/javascript/ */" \
		--outfile=../../static/vendor/plotly-tracker.min.js
	cp build/plotly-bundle/node_modules/plotly.js/LICENSE static/vendor/plotly-tracker.LICENSE.txt
