"""`create_app`: what the application object itself decides, outside any route."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A process whose global tracer provider records spans, as `opentelemetry-instrument` would install it,
# while this app's tracing is off (no OTEL_* variables): a request must start no span at all.
GLOBAL_PROVIDER_PROBE = textwrap.dedent(
    """
    from fastapi.testclient import TestClient
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from pyfastgpt.app import create_app

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
        assert client.post("/api/core/app/list", json={}).status_code == 401
    print(len(exporter.get_finished_spans()))
    """
)


def test_fastapi_starts_no_request_spans_of_its_own(tmp_path: Path) -> None:
    env = {"DATA_DIR": str(tmp_path), "ROOT_KEY": "root", "TRAINING_WORKERS": "0", "LOCAL_LLM_ENABLED": "false",
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", GLOBAL_PROVIDER_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "0"
