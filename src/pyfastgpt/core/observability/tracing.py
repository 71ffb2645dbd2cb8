"""OpenTelemetry tracing: off unless the standard `OTEL_*` variables switch it on.

Tracing is on when `OTEL_SDK_DISABLED` is not `true` and either `OTEL_TRACES_EXPORTER` names an
exporter (`otlp`, `console`; `none` keeps it off) or an OTLP endpoint is set
(`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, which implies `otlp`).
Unlike the SDK's own default (`otlp`), nothing is exported when no variable is set: a server
must not start sending spans to `localhost:4318` because an operator set nothing.

Everything else is the SDK's reading of the environment: the OTLP/HTTP protobuf exporter takes
`OTEL_EXPORTER_OTLP_*` (endpoint, headers, timeout, compression, certificate), the tracer
provider `OTEL_TRACES_SAMPLER(_ARG)`, the batch processor `OTEL_BSP_*`, the resource
`OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES` (service name `pyfastgpt` when neither names
one), the propagators `OTEL_PROPAGATORS`. Only `http/protobuf` ships; a `grpc` protocol is
refused with a log line.

`ON` and `TRACER` are module globals read by the hooks (`hooks.py`); `install` / `uninstall`
set them (tests install an SDK provider with an in-memory exporter the same way).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opentelemetry import trace

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger("pyfastgpt.tracing")

ON = False
TRACER: trace.Tracer = trace.NoOpTracer()
_provider: TracerProvider | None = None
_from_env_done = False
_lock = threading.Lock()

SCOPE = "pyfastgpt"
DEFAULT_SERVICE_NAME = "pyfastgpt"


def exporters_from_env(environ: Mapping[str, str]) -> list[str]:
    """The trace exporters the environment asks for ([] = tracing off)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    named = [part.strip().lower() for part in environ.get("OTEL_TRACES_EXPORTER", "").split(",") if part.strip()]
    if not named:
        endpoint = environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        return ["otlp"] if endpoint else []
    return [name for name in named if name != "none"]


def provider_from_env(environ: Mapping[str, str] | None = None) -> TracerProvider | None:
    """An SDK tracer provider exporting as the environment says, or None when tracing is off."""
    env = os.environ if environ is None else environ
    exporters = exporters_from_env(env)
    if not exporters:
        return None
    from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    from pyfastgpt import __version__

    resource = Resource.create({SERVICE_VERSION: __version__})
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: DEFAULT_SERVICE_NAME}))
    provider = TracerProvider(resource=resource)
    for name in exporters:
        exporter: SpanExporter
        if name == "otlp":
            protocol = env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL")
            if protocol and protocol != "http/protobuf":
                log.error("OTLP protocol %r is not available (only http/protobuf): no OTLP export", protocol)
                continue
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter()
        elif name == "console":
            exporter = ConsoleSpanExporter()
        else:
            log.error("unknown OTEL_TRACES_EXPORTER %r ignored (known: otlp, console, none)", name)
            continue
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def install(provider: trace.TracerProvider) -> None:
    """Trace through `provider` from now on."""
    global ON, TRACER, _provider
    from opentelemetry.sdk.trace import TracerProvider

    with _lock:
        _provider = provider if isinstance(provider, TracerProvider) else None
        TRACER = provider.get_tracer(SCOPE)
        ON = True


def uninstall() -> None:
    """Stop tracing (the provider itself is left to its owner to shut down)."""
    global ON, TRACER, _provider
    with _lock:
        ON = False
        TRACER = trace.NoOpTracer()
        _provider = None


def setup_from_env() -> bool:
    """Once per process: install the provider the environment describes. True when tracing is on.

    The provider is not made OpenTelemetry's global one: FastAPI >= 0.165 starts its own request
    and operation spans whenever a global provider exists, which would double every request span."""
    global _from_env_done
    with _lock:
        first, _from_env_done = not _from_env_done, True
    if first:
        provider = provider_from_env()
        if provider is not None:
            install(provider)
            log.info("tracing on: exporting spans as OTEL_* says")
    return ON


def flush(timeout_ms: int = 5_000) -> None:
    """Export the spans still buffered (a server stopping)."""
    provider = _provider
    if provider is not None:
        provider.force_flush(timeout_ms)
