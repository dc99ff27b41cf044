# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint typecheck unit bench clean

$(BIN)/steward: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Scan the bundled example system (works offline: it ships the registry data it needs).
## The contract check exits 1 on purpose: the example proposes a breaking schema change.
demo: $(BIN)/steward
	$(BIN)/steward scan examples/eventshop
	$(BIN)/steward explain order-service github.com/go-chi/chi/v5 examples/eventshop --offline
	$(BIN)/steward images examples/eventshop --offline || test $$? -eq 3
	$(BIN)/steward infra examples/eventshop
	$(BIN)/steward infra plan aws_msk_cluster.eventshop --to 3.9.x --path examples/eventshop
	$(BIN)/steward contracts diff examples/eventshop/schemas/payments/payment_captured.avsc \
	    examples/eventshop/schemas/proposed/payments/payment_captured.avsc \
	    --format terminal --today 2026-11-27 || test $$? -eq 1
	$(BIN)/steward contracts ls examples/eventshop --today 2026-11-27

## Linters, type checks and the test suite: what CI runs.
test: check

check: lint typecheck unit

lint: $(BIN)/steward
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck: $(BIN)/steward
	$(BIN)/mypy

unit: $(BIN)/steward tests/oracles/node/node_modules/.installed tests/oracles/buf/node_modules/.installed
	$(BIN)/pytest -q

# The real `semver` package, the oracle for npm range semantics. Its lock file names a
# placeholder host; npm fetches from the registry it is configured with.
tests/oracles/node/node_modules/.installed: tests/oracles/node/package-lock.json
	npm ci --prefix tests/oracles/node --replace-registry-host=always --no-audit --no-fund --loglevel=error
	touch $@

# The real `buf`, the oracle for Protobuf breaking-change rules (the npm package ships the binary).
tests/oracles/buf/node_modules/.installed: tests/oracles/buf/package-lock.json
	npm ci --prefix tests/oracles/buf --replace-registry-host=always --no-audit --no-fund --loglevel=error
	touch $@

bench: $(BIN)/steward
	$(BIN)/python bench/deps_bench.py
	$(BIN)/python bench/lookup_bench.py
	$(BIN)/python bench/avro_bench.py
	$(BIN)/python bench/protobuf_bench.py
	$(BIN)/python bench/images_bench.py
	$(BIN)/python bench/infra_bench.py
	$(BIN)/python bench/osv_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
