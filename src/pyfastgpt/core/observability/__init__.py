"""Metrics (Prometheus) and traces (OpenTelemetry): both free when off.

`metrics` holds the process's Prometheus registry and its on/off switch, `tracing` the tracer
and its setup from `OTEL_*`, `hooks` the calls the engine and the chat round make,
`model_calls` the decorator the model providers wear. The HTTP side (request spans and metrics, `/metrics`, `/readyz`) is in
`pyfastgpt.api.observability`.
"""

from __future__ import annotations

from pyfastgpt.core.observability.hooks import node_span, observe_chat_round
from pyfastgpt.core.observability.model_calls import observed_model

__all__ = ["node_span", "observe_chat_round", "observed_model"]
