"""`GET /readyz` over real HTTP: ready on both backends; 503 naming the failed check when the model
provider cannot be reached or the S3 object store has stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from moto.server import ThreadedMotoServer

from tests.conftest import FAKE_MODEL, make_settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, free_port, serve


def test_ready(server: LiveServer) -> None:
    with server.client() as client:
        response = client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    checks = body["checks"]
    assert set(checks) == {"database", "objectStore", "models"}
    assert all(check["ok"] for check in checks.values())
    assert checks["objectStore"]["backend"] == "local"
    models = {model["type"]: model for model in checks["models"]["models"]}
    assert models["llm"]["id"] == FAKE_MODEL
    assert models["llm"]["detail"] == "reachable: HTTP 200"
    assert models["embedding"]["detail"].startswith(("loaded", "loadable"))


def test_unreachable_model_provider(fake_llm: FakeLLM) -> None:
    closed = free_port()  # nothing listens there
    settings = make_settings("sqlite", None, None, openai_base_url=f"http://127.0.0.1:{closed}/v1", default_llm="gone")
    with serve(settings, backend="sqlite") as live, live.client() as client:
        response = client.get("/readyz")
        health = client.get("/healthz")
    assert health.status_code == 200  # alive, not ready
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    checks = body["checks"]
    assert checks["database"]["ok"] and checks["objectStore"]["ok"]
    assert checks["models"]["ok"] is False
    [llm] = [model for model in checks["models"]["models"] if model["type"] == "llm"]
    assert (llm["id"], llm["ok"]) == ("gone", False)
    assert llm["detail"].startswith("unreachable")


@pytest.fixture
def s3_server(fake_llm: FakeLLM) -> Iterator[tuple[LiveServer, Callable[[], None]]]:
    """A server on moto's S3, and a function that stops moto."""
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    running = [True]

    def stop() -> None:
        if running[0]:
            running[0] = False
            moto.stop()

    settings = make_settings(
        "sqlite",
        None,
        fake_llm,
        storage_backend="s3",
        s3_endpoint_url=f"http://{host}:{port}",
        s3_bucket="readyz",
        s3_access_key="test",
        s3_secret_key="test",
    )
    try:
        with serve(settings, backend="sqlite", fake_llm=fake_llm) as live:
            yield live, stop
    finally:
        stop()


def test_stopped_object_store(s3_server: tuple[LiveServer, Callable[[], None]]) -> None:
    live, stop_s3 = s3_server
    with live.client() as client:
        running = client.get("/readyz")
        assert running.status_code == 200, running.text
        store = running.json()["checks"]["objectStore"]
        assert (store["ok"], store["backend"]) == (True, "s3")
        stop_s3()
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    checks = body["checks"]
    assert checks["objectStore"]["ok"] is False and checks["objectStore"]["error"]
    assert checks["database"]["ok"] and checks["models"]["ok"]
