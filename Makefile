# The README's two commands: `make demo` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup setup-test system-packages browser-packages assets translations plugin-catalogs demo test test-sqlite test-postgres bench lint format lock bounds clean

setup: system-packages $(BIN)/.installed assets translations

setup-test: setup browser-packages

# Debian packages: OpenLDAP for the demo directory and the tests, Pango for PDF documents
# (WeasyPrint), Chromium for the browser tests.
system-packages:
	@missing=""; \
	[ -x /usr/sbin/slapd ] || missing="$$missing slapd"; \
	command -v ldapadd >/dev/null 2>&1 || missing="$$missing ldap-utils"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

browser-packages:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian package: chromium"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Third-party packages come from the lock file (exact versions, tested together); the core and
# the development package (dev/: demo directory, demo data, test fixtures) are installed on
# top of it without resolving again. `make lock` refreshes the lock (see README).
LOCK := requirements/dev.lock

# Plugins with a distribution of their own (plugins/participatieplan) are installed after the
# core, as a plugin from outside would be.
$(BIN)/.installed: setup.cfg pyproject.toml dev/pyproject.toml plugins/participatieplan/pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e . -e ./dev
	$(BIN)/pip install -q --no-deps --no-build-isolation -e plugins/participatieplan
	touch $@

lock: $(BIN)/.installed
	$(BIN)/pip-compile -q --upgrade --extra test --extra postgres --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file $(LOCK) setup.cfg

# The ranges in setup.cfg at their low end: every direct dependency at its lower bound, in a
# throwaway virtualenv under build/, then the suite on SQLite.
LOWEST := build/venv-lowest
bounds: setup-test
	rm -rf $(LOWEST) && $(PYTHON) -m venv $(LOWEST)
	$(BIN)/python requirements/lower_bounds.py setup.cfg > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/pip install -q -c $(LOWEST)/constraints.txt -e '.[test]' -e ./dev
	env -u TEST_DATABASE_URL $(LOWEST)/bin/python -m pytest -q

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# NL Design System CSS and htmx, served by the app itself so the CSP can stay 'self'.
assets: node_modules/.package-lock.json
	mkdir -p intranet/static/vendor/utrecht intranet/static/vendor/axe intranet/static/vendor/htmx
	cp node_modules/@utrecht/design-tokens/dist/index.css intranet/static/vendor/utrecht/design-tokens.css
	cp node_modules/@utrecht/component-library-css/dist/index.css intranet/static/vendor/utrecht/component-library.css
	cp node_modules/axe-core/axe.min.js intranet/static/vendor/axe/axe.min.js
	cp node_modules/htmx.org/dist/htmx.min.js intranet/static/vendor/htmx/htmx.min.js

# Each built-in plugin has its own catalog beside its module (plugins/<name>/translations), the
# participatieplan distribution in its package (its .mo is committed, as it ships in the wheel).
BUILTIN_PLUGINS := raadsgesprekken meedenkgroepen adviescommissie
PLUGIN_CATALOG_DIRS := $(foreach p,$(BUILTIN_PLUGINS),plugins/$(p)/translations) \
	plugins/participatieplan/intranet_participatieplan/translations
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k status:2,3

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d intranet/translations --statistics
	@for dir in $(PLUGIN_CATALOG_DIRS); do \
	  [ -d $$dir ] || continue; \
	  $(BIN)/pybabel compile -d $$dir --statistics || exit 1; \
	done

# Brings each plugin's catalog up to date with its own folder's messages (babel.cfg beside it);
# new msgids arrive empty: translate them, then `make translations`.
plugin-catalogs: $(BIN)/.installed
	@for p in $(BUILTIN_PLUGINS) participatieplan; do \
	  dir=plugins/$$p/translations; \
	  [ $$p = participatieplan ] && dir=plugins/participatieplan/intranet_participatieplan/translations; \
	  $(BIN)/pybabel -q extract -F plugins/$$p/babel.cfg $(BABEL_KEYWORDS) \
	    -o /tmp/$$p.pot plugins/$$p && \
	  if [ -f $$dir/en/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update -i /tmp/$$p.pot -d $$dir --no-fuzzy-matching --width 100 || exit 1; \
	  else \
	    $(BIN)/pybabel -q init -i /tmp/$$p.pot -d $$dir -l en --width 100 || exit 1; \
	  fi; \
	done

demo: setup
	$(BIN)/python -m intranet_dev.run_demo

test: setup-test
	@echo "== the suite on SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on $$TEST_DATABASE_URL =="; \
	  $(BIN)/python -m pytest -q; \
	fi

bench: setup
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/login.py
	$(BIN)/python bench/mailing.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/flows.py

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo .importlinter

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules intranet/static/vendor instance
