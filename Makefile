# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= data/demo.duckdb
PORT   ?= 8501
HOST   ?= 127.0.0.1

.PHONY: check-host run test lint unit browser-deps bench quality render-exports demo clean help

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m analytics demo --db $(DB)

# Without a users file the app is one local admin (本机模式): refuse any address beyond this machine.
check-host:
	@case "$(HOST)" in 127.*|localhost|::1) ;; *) if [ -z "$${HOTSPOT_USERS_FILE:-}" ]; then \
		echo "make run: serving on $(HOST) needs a users file: set HOTSPOT_USERS_FILE (README: Users and roles)" >&2; exit 2; fi;; esac

run: check-host $(VENV)/.installed $(DB)  ## create .venv, build the demo database if missing, serve the app
	HOTSPOT_DB=$${HOTSPOT_DB:-$(DB)} $(VENV)/bin/streamlit run dashboard.py \
		--server.headless true --server.address $(HOST) --server.port $(PORT) \
		--browser.gatherUsageStats false

demo: $(VENV)/.installed  ## rebuild the demo database from scratch
	rm -f $(DB) $(DB).wal
	$(PY) -m analytics demo --db $(DB)

browser-deps:  ## Debian's chromium and CJK fonts for the real-browser test (skipped when already present)
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; \
	fi

lint: $(VENV)/.installed  ## ruff and vulture (dead code; framework-used names in tests/vulture_whitelist.py)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture

unit: $(VENV)/.installed  ## pytest without the browser
	$(PY) -m pytest -m "not browser" -q

test: $(VENV)/.installed browser-deps  ## ruff, vulture and the whole pytest suite, the browser test included
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture
	$(PY) -m pytest -q

# Optional, to look at: needs LibreOffice and poppler (apt-get install libreoffice-impress libreoffice-writer poppler-utils).
render-exports: $(VENV)/.installed  ## deck and report of PERIOD (2024) as PNG pages in OUT, from a private copy of DB (docs/exports.md)
	cp $(DB) /tmp/render-exports.duckdb
	$(PY) -m benchmarks.render_exports --db /tmp/render-exports.duckdb --period $${PERIOD:-2024} --out $${OUT:-/tmp/render-exports}

quality: $(VENV)/.installed  ## real-data scorecard: engine beside naive baselines on tests/fixtures/real (docs/quality.md)
	$(PY) -m benchmarks.quality

bench: $(VENV)/.installed  ## speed and memory benchmarks (ratios against in-process baselines)
	$(PY) -m benchmarks

clean:  ## remove built databases and caches (keeps .venv)
	rm -rf data/*.duckdb data/*.wal .pytest_cache .ruff_cache benchmarks/results
