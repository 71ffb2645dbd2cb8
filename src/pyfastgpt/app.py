"""`create_app(settings)`: the ASGI application with its lifespan, middleware and routers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pyfastgpt import __version__
from pyfastgpt.api.errors import install_error_handlers
from pyfastgpt.api.mcp.app import close_mcp_http
from pyfastgpt.api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from pyfastgpt.api.observability import install_observability, observability_lifespan
from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.api.route_index import index_static_routes
from pyfastgpt.api.routers import include_routers
from pyfastgpt.core import cpu_work
from pyfastgpt.core.config import Settings
from pyfastgpt.core.gc_tuning import tune_for_server
from pyfastgpt.services.container import Services, start_services
from pyfastgpt.services.dataset import start_training_workers


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services: Services = await start_services(settings)
        app.state.services = services
        app.state.registry = services.registry
        training = start_training_workers(services)
        route_index.refresh()  # before the first request (and before the GC freeze), not in it
        tune_for_server()
        try:
            async with observability_lifespan(settings):
                yield
        finally:
            await close_mcp_http(app)
            await training.stop()
            await services.close()
            await asyncio.to_thread(cpu_work.shutdown)

    app = FastAPI(
        title="pyfastgpt",
        version=__version__,
        default_response_class=FastJSONResponse,
        lifespan=lifespan,
        # The request spans and metrics are `api/observability`'s. FastAPI's own would start a second span
        # per request as soon as anything installs a global provider (`opentelemetry-instrument` does), and
        # ask OpenTelemetry on every request whether one exists.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    include_routers(app)
    # Signed uploads enforce their own (signed) size limit while streaming.
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, exempt_prefixes=("/api/system/file/upload",)
    )
    app.add_middleware(RequestContextMiddleware)
    install_observability(app, settings)  # outermost: sees every answer, 413s included
    route_index = index_static_routes(app)  # last: it indexes every route
    return app
