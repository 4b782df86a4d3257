# mcp-veil — every entry point is a make target; `make install` is idempotent.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_DIR := .node
NODE_STAMP := $(NODE_DIR)/.installed

.PHONY: install node demo test test-fast lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# Real MCP servers nobody here wrote, for the end-to-end tests (installed locally, never globally).
node: $(NODE_STAMP)

$(NODE_STAMP):
	@mkdir -p $(NODE_DIR)
	@if command -v npm >/dev/null 2>&1; then \
	  cd $(NODE_DIR) && npm install --no-audit --no-fund --silent @modelcontextprotocol/server-everything && touch .installed; \
	else echo "npm not found: tests that need Node.js servers will be skipped" >&2; fi

demo: install
	$(VENV)/bin/veil demo

test: install node
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not e2e"

lint: install
	$(VENV)/bin/ruff check proxy vault tests examples benchmarks migrations
	$(VENV)/bin/mypy

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(NODE_DIR) .pytest_cache .mypy_cache .ruff_cache
