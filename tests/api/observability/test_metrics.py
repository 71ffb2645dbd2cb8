"""`GET /metrics` over real HTTP: request counts by route template and status, chat rounds, model
calls and tokens by model, training queue gauges read from the database (both backends), the
OpenMetrics format, `METRICS_TOKEN` and `METRICS_ENABLED=false`.

Metrics are per process and the test servers share one, so every check compares two scrapes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.training.queue import JOBS, JobDraft
from pyfastgpt.store.db import Database
from tests.api.core.chat.support import new_chat_id
from tests.conftest import FAKE_MODEL, make_settings
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer, serve

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: httpx.Client, **headers: str) -> Samples:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_route_template_and_status(server: LiveServer) -> None:
    with server.client() as client:
        before = scrape(client)
        assert client.post("/api/mcp/app/not-a-key-7f3a/mcp", json={}).status_code == 401
        assert client.get("/api/core/no/such/route-7f3a").status_code == 404
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz?probe=%00").status_code == 200  # the body guard routes a copy of the scope
        response = client.get("/metrics")
        after = scrape(client)
    text = response.text
    assert "7f3a" not in text  # raw paths never become labels
    mcp = {"method": "POST", "route": "/api/mcp/app/{key}/mcp", "status": "401"}
    assert (
        value(after, "pyfastgpt_http_requests_total", **mcp)
        == value(before, "pyfastgpt_http_requests_total", **mcp) + 1
    )
    missing = {"method": "GET", "route": "unmatched", "status": "404"}
    assert (
        value(after, "pyfastgpt_http_requests_total", **missing)
        == value(before, "pyfastgpt_http_requests_total", **missing) + 1
    )
    health = {"method": "GET", "route": "/healthz", "status": "200"}
    assert (
        value(after, "pyfastgpt_http_requests_total", **health)
        == value(before, "pyfastgpt_http_requests_total", **health) + 2
    )
    timed = {"method": "GET", "route": "/healthz"}
    assert value(after, "pyfastgpt_http_request_duration_seconds_count", **timed) >= 1


def test_chat_rounds_and_model_tokens(server: LiveServer, fake: FakeLLM) -> None:
    fake.script(Reply(content="counted", usage=(13, 5)))
    with server.client(server.app_key) as client:
        before = scrape(client)
        response = client.post(
            "/api/v1/chat/completions",
            json={"chatId": new_chat_id("metrics"), "messages": [{"role": "user", "content": "count me"}]},
        )
        assert response.status_code == 200
        after = scrape(client)
    model = {"kind": "llm", "model": FAKE_MODEL}
    assert value(after, "pyfastgpt_chat_rounds_total") == value(before, "pyfastgpt_chat_rounds_total") + 1
    calls = {**model, "outcome": "ok"}
    assert (
        value(after, "pyfastgpt_model_calls_total", **calls)
        == value(before, "pyfastgpt_model_calls_total", **calls) + 1
    )
    for direction, tokens in (("input", 13), ("output", 5)):
        labels = {**model, "direction": direction}
        grown = value(after, "pyfastgpt_model_tokens_total", **labels) - value(
            before, "pyfastgpt_model_tokens_total", **labels
        )
        assert grown == tokens
    assert value(after, "pyfastgpt_model_call_duration_seconds_count", **model) == (
        value(before, "pyfastgpt_model_call_duration_seconds_count", **model) + 1
    )


def test_model_errors_are_counted(server: LiveServer, fake: FakeLLM) -> None:
    fake.script(Reply(fault="malformed"))
    with server.client(server.app_key) as client:
        before = scrape(client)
        client.post("/api/v1/chat/completions", json={"messages": [{"role": "user", "content": "break"}]})
        after = scrape(client)
    failed = {"kind": "llm", "model": FAKE_MODEL, "outcome": "error"}
    assert (
        value(after, "pyfastgpt_model_calls_total", **failed)
        == value(before, "pyfastgpt_model_calls_total", **failed) + 1
    )
    assert (
        value(after, "pyfastgpt_errors_total", source="model")
        == value(before, "pyfastgpt_errors_total", source="model") + 1
    )


def _jobs(dataset_id: str, *, hours_old: float, failed: int, waiting: int) -> list[dict[str, object]]:
    created = utcnow() - timedelta(hours=hours_old)
    draft = JobDraft(team_id=new_id(), tmb_id=new_id(), dataset_id=dataset_id, collection_id=new_id(), q="q")
    rows = [draft.row(created) for _ in range(failed + waiting)]
    for row in rows[:failed]:
        row["retry_count"] = 0
        row["error_msg"] = "gave up"
    return rows


def test_training_queue_is_read_at_scrape_time(server: LiveServer) -> None:
    dataset_id = new_id()

    async def change(rows: list[dict[str, object]] | None) -> None:
        db = Database(server.settings.resolved_database_url)
        try:
            if rows:
                await db.run_write(lambda conn: conn.execute(JOBS.insert(), rows))
            else:
                await db.run_write(lambda conn: conn.execute(delete(JOBS).where(JOBS.c.dataset_id == dataset_id)))
        finally:
            await db.dispose()

    with server.client() as client:
        before = scrape(client)
        asyncio.run(change(_jobs(dataset_id, hours_old=2, failed=2, waiting=3)))
        try:
            during = scrape(client)
        finally:
            asyncio.run(change(None))
        after = scrape(client)
    assert value(during, "pyfastgpt_training_queue_up") == 1
    for state, added in (("waiting", 3), ("failed", 2), ("leased", 0)):
        grown = value(during, "pyfastgpt_training_queue_jobs", state=state) - value(
            before, "pyfastgpt_training_queue_jobs", state=state
        )
        assert grown == added, state
        assert value(after, "pyfastgpt_training_queue_jobs", state=state) == value(
            before, "pyfastgpt_training_queue_jobs", state=state
        )
    assert value(during, "pyfastgpt_training_queue_oldest_age_seconds") >= 2 * 3600


def test_openmetrics_when_asked(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        response = client.get("/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n") and response.text.count("# EOF") == 1
    assert "pyfastgpt_training_queue_up 1.0" in response.text


@pytest.fixture(scope="module")
def guarded_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    with serve(make_settings("sqlite", None, fake_llm, metrics_token="scrape-secret"), backend="sqlite") as live:
        yield live


def test_metrics_token_is_required_when_set(guarded_server: LiveServer) -> None:
    with guarded_server.client() as anonymous:
        missing = anonymous.get("/metrics")
    with guarded_server.client("wrong-secret") as wrong:
        refused = wrong.get("/metrics")
    for response in (missing, refused):
        assert response.status_code == 401
        assert response.json()["statusText"] == "unAuthorization"
    with guarded_server.client("scrape-secret") as scraper:
        assert value(scrape(scraper), "pyfastgpt_training_queue_up") == 1
    with guarded_server.client() as anonymous:
        assert anonymous.get("/healthz").status_code == 200  # probes stay open


def test_metrics_disabled(fake_llm: FakeLLM) -> None:
    settings = make_settings("sqlite", None, fake_llm, metrics_enabled=False)
    with serve(settings, backend="sqlite") as live, live.client() as client:
        response = client.get("/metrics")
        assert response.status_code == 404
        assert response.json()["statusText"] == "invalidResource"
