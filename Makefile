# Two commands for a fresh machine with Python 3.11 and Java 17:
#   make demo   creates .venv, installs, runs the main job end to end on a built-in example
#   make test   creates .venv, installs, runs every test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATA := $(abspath $(CURDIR)/../shared/data)
export TOOLKIT_TEST_DATA ?= $(if $(wildcard $(TEST_DATA)/sarif-schema-2.1.0.json),$(TEST_DATA),)

.PHONY: install demo test lint format editor bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[spark,mcp,dev]'
	@touch $(STAMP)

install: $(STAMP)

# A real editor for the language-server end-to-end test (Debian's neovim).
editor:
	@command -v nvim >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq neovim) >/dev/null; \
	  else echo "neovim missing: install it (apt-get install neovim) for the editor test"; fi; }

demo: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash demo/run.sh

test: install editor
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/toolkit lint toolkit codemods lsp hooks skeletons

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: install
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .toolkit_cache .pytest_cache build *.egg-info
