# The two commands of the README's Quick start: `make site` and `make test`.
# Both set up what is missing: system packages through apt-get, Python packages in .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# python3-venv is what Debian splits off from python3 for `python3 -m venv`.
SYSTEM_PACKAGES := python3-venv graphviz fonts-noto-core

export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test lint typecheck unit serve schema validate system clean

site: $(STAMP)
	$(BIN)/trmgen validate
	@echo "Validation passed. The site build (trmgen build) is not there yet: it comes with the site issue."

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check trmgen tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

validate: $(STAMP)
	$(BIN)/trmgen validate

schema: $(STAMP)
	$(BIN)/trmgen schema

system:
	@tools/ensure-system-packages $(SYSTEM_PACKAGES)

$(STAMP): pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
