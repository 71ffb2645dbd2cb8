"""The HTTP side of observability: request spans and metrics (middleware), `/metrics`, the checks
behind `/readyz`, and `install_observability(app, settings)`, which wires them into an app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pyfastgpt.api.observability import metrics_route
from pyfastgpt.api.observability.middleware import ObservabilityMiddleware
from pyfastgpt.core.config import Settings
from pyfastgpt.core.observability import metrics, tracing


def install_observability(app: FastAPI, settings: Settings) -> None:
    """Tracing from `OTEL_*` (once per process), `/metrics` when `METRICS_ENABLED`, and the request
    middleware when either is on (with both off it is not installed at all). Call it after every
    other `add_middleware`: it must be the outermost, to see the answers they give themselves."""
    tracing_on = tracing.setup_from_env()
    if settings.metrics_enabled:
        app.include_router(metrics_route.router)
    if settings.metrics_enabled or tracing_on:
        app.add_middleware(ObservabilityMiddleware, routes=app.router.routes, metrics_enabled=settings.metrics_enabled)


@asynccontextmanager
async def observability_lifespan(settings: Settings) -> AsyncIterator[None]:
    """Record metrics while the server runs; export buffered spans when it stops."""
    if settings.metrics_enabled:
        metrics.acquire()
    try:
        yield
    finally:
        if settings.metrics_enabled:
            metrics.release()
        tracing.flush()
