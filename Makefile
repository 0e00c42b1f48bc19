# The two commands of the README's Quick start: `make site` and `make test`.
# Both set up what is missing: system packages through apt-get, Python packages in .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# python3-venv is what Debian splits off from python3 for `python3 -m venv`.
SYSTEM_PACKAGES := python3-venv graphviz fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0
# The browser tests drive Debian's Chromium (Playwright cannot download a browser here).
TEST_PACKAGES := chromium poppler-utils

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test lint typecheck unit serve schema i18n validate system system-test clean

site: $(STAMP)
	$(BIN)/trmgen build

serve: $(STAMP)
	$(BIN)/trmgen serve

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check trmgen tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-test
	$(BIN)/pytest

validate: $(STAMP)
	$(BIN)/trmgen validate

schema: $(STAMP)
	$(BIN)/trmgen schema

i18n: $(STAMP)
	$(BIN)/trmgen i18n update
	$(BIN)/trmgen i18n status

system:
	@tools/ensure-system-packages $(SYSTEM_PACKAGES)

system-test:
	@tools/ensure-system-packages $(TEST_PACKAGES)

$(STAMP): pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
