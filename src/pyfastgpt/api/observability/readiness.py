"""What `/readyz` checks: the database answers, the object store answers, the default models can
be reached (remote) or loaded (local). The checks run concurrently, each within `CHECK_TIMEOUT_S`.

- database: `SELECT 1` on a read connection;
- object store: local — its directories exist and are writable; S3 — a HEAD of a probe key
  answers (found or not found both count);
- models: the default LLM, embedding model and rerank model (when one exists) — the ones a chat
  or a search uses without naming a model; other configured providers do not take the server out
  of rotation. A remote OpenAI-compatible provider counts as reachable when `GET <base>/models`
  gets any HTTP answer below 500 within `PROBE_TIMEOUT_S` (no credentials are sent: a 401 still
  proves the provider is there); each answer is cached for `PROBE_CACHE_S` per URL. A local
  model is ready when it is loaded or its files and runtime are present.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import text

from pyfastgpt.ai.errors import ModelNotFound
from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.ai.providers.local_embedding import LocalEmbeddingModel
from pyfastgpt.ai.providers.local_llm import LlamaChatModel, llama_cpp_installed
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.services.container import Services
from pyfastgpt.store.db import Database
from pyfastgpt.store.objects.base import ObjectStore
from pyfastgpt.store.objects.local import LocalObjectStore

CHECK_TIMEOUT_S = 3.0
PROBE_TIMEOUT_S = 2.0
PROBE_CACHE_S = 10.0
PROBE_KEY = "readyz/probe"

_probes: dict[str, tuple[float, bool, str]] = {}


async def _timed(check: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(check, CHECK_TIMEOUT_S)
    except TimeoutError:
        result = {"ok": False, "error": f"no answer within {CHECK_TIMEOUT_S:g} s"}
    except Exception as exc:
        result = {"ok": False, "error": _describe(exc)}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _describe(exc: BaseException) -> str:
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


async def check_database(db: Database) -> dict[str, Any]:
    await db.run_read(lambda conn: conn.execute(text("SELECT 1")).scalar_one())
    return {"ok": True}


async def check_object_store(store: ObjectStore) -> dict[str, Any]:
    backend = str(getattr(store, "backend", type(store).__name__))
    if isinstance(store, LocalObjectStore):
        for area in ("objects", "tmp"):
            folder = store.root / area
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                return {"ok": False, "backend": backend, "error": f"{area} directory missing or not writable"}
        return {"ok": True, "backend": backend}
    await store.stat(PROBE_KEY)
    return {"ok": True, "backend": backend}


async def check_models(registry: ModelRegistry) -> dict[str, Any]:
    models: list[Any] = []
    try:
        models.append(("llm", registry.llm()))
    except ModelNotFound as exc:
        return {"ok": False, "error": exc.message}
    models.append(("embedding", registry.embedding()))
    rerank = registry.rerank()
    if rerank is not None:
        models.append(("rerank", rerank))
    results = await asyncio.gather(*(_check_model(kind, model) for kind, model in models))
    return {"ok": all(result["ok"] for result in results), "models": results}


async def _check_model(kind: str, model: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": kind, "id": str(getattr(model, "model_id", "?"))}
    transport = getattr(model, "transport", None)
    if isinstance(transport, HttpTransport):
        url = probe_url(transport, str(getattr(model, "path", "")))
        ok, detail = await probe(url) if url else (True, "no base URL to probe")
    else:
        ok, detail = local_state(model)
    entry.update(ok=ok, detail=detail)
    return entry


def probe_url(transport: HttpTransport, path: str) -> str:
    if transport.base_url:
        return transport.url("/models")
    if path.startswith(("http://", "https://")):
        parts = urlsplit(path)
        return f"{parts.scheme}://{parts.netloc}/"
    return ""


async def probe(url: str) -> tuple[bool, str]:
    """(reachable, detail) for `url`, from the cache while fresh."""
    now = time.monotonic()
    cached = _probes.get(url)
    if cached is not None and cached[0] > now:
        return cached[1], cached[2]
    try:
        async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_S, follow_redirects=False) as client:
            response = await client.get(url)
        ok, detail = response.status_code < 500, f"reachable: HTTP {response.status_code}"
        if not ok:
            detail = f"provider answered HTTP {response.status_code}"
    except httpx.TimeoutException:
        ok, detail = False, f"unreachable: no answer within {PROBE_TIMEOUT_S:g} s"
    except httpx.HTTPError as exc:
        ok, detail = False, f"unreachable: {type(exc).__name__}"
    _probes[url] = (time.monotonic() + PROBE_CACHE_S, ok, detail)
    return ok, detail


def local_state(model: Any) -> tuple[bool, str]:
    if isinstance(model, LlamaChatModel):
        if model._llama is not None:
            return True, "loaded"
        if not Path(model.gguf).is_file():
            return False, f"GGUF file {model.gguf.name} is missing"
        if not llama_cpp_installed():
            return False, "llama-cpp-python is not installed"
        return True, "loadable"
    if isinstance(model, LocalEmbeddingModel):
        return True, "loaded" if model._worker._encoder is not None else "loadable (loads on first use)"
    return True, "in-process"


async def readiness(services: Services) -> tuple[bool, dict[str, Any]]:
    database, objects, models = await asyncio.gather(
        _timed(check_database(services.db)),
        _timed(check_object_store(services.files.store)),
        _timed(check_models(services.registry)),
    )
    checks = {"database": database, "objectStore": objects, "models": models}
    return all(check["ok"] for check in checks.values()), checks
