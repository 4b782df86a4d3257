# mcp-veil — every entry point is a make target; `make install` is idempotent.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_DIR := .node
NODE_STAMP := $(NODE_DIR)/.installed

.PHONY: install node demo test test-fast lint bench eval clean conformance conformance-deps

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

# The MCP conformance suite needs Node >= 22: installed locally (npm's `node@22`), never globally.
CONFORMANCE_STAMP := $(NODE_DIR)/.conformance-installed
NODE22 := $(NODE_DIR)/node_modules/node/bin/node

conformance-deps: $(CONFORMANCE_STAMP)

$(CONFORMANCE_STAMP):
	@mkdir -p $(NODE_DIR)
	cd $(NODE_DIR) && npm install --no-audit --no-fund node@22 @modelcontextprotocol/conformance \
	  @modelcontextprotocol/server-everything @modelcontextprotocol/inspector
	@$(NODE22) --version | grep -q '^v22\.' || { echo "npm's node@22 did not provide a Node 22 binary" >&2; exit 1; }
	@touch $@

# The official conformance suite, direct vs through veil serve / veil run, and the inspector's CLI as a
# smoke test (also part of `make test` once installed).
conformance: install conformance-deps
	$(PY) -m pytest -q tests/conformance

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

# 1, 2 and 3 `veil serve` instances behind HAProxy on one (private) PostgreSQL, same bounded client load.
.PHONY: bench-fleet
bench-fleet: install
	$(PY) -m benchmarks.fleet_bench

# Leak rate, recall, over-redaction and round trip on a seeded 10,000-response corpus (minutes).
eval: install
	$(PY) -m benchmarks.eval

clean:
	rm -rf $(VENV) $(NODE_DIR) .pytest_cache .mypy_cache .ruff_cache

# The adversarial suite at full size (tests/adversarial): 100,000 stream-fuzz examples, 10,000 canary
# cases, the hostile model and every fault; prints a one-screen summary (minutes, not hours).
.PHONY: soak
soak: install
	$(PY) -m benchmarks.soak
