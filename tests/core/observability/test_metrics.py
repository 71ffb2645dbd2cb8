"""The metrics switch (counted per server using it) and what HTTP answers record.

`metrics_off` is not needed by `http_request` itself (it records unconditionally: the middleware
checks the switch); it keeps the switch test independent of live servers of the session."""

from __future__ import annotations

from pyfastgpt.core.observability import metrics


def test_metrics_switch_is_counted(metrics_off: None) -> None:
    assert not metrics.ON
    metrics.acquire()
    metrics.acquire()
    metrics.release()
    assert metrics.ON  # one server still runs with metrics
    metrics.release()
    assert not metrics.ON
    metrics.release()  # an extra release never goes negative
    metrics.acquire()
    assert metrics.ON
    metrics.release()
    assert not metrics.ON


def test_a_5xx_answer_is_an_error(metrics_off: None) -> None:
    route = {"method": "GET", "route": "/x/{id}"}

    def seen() -> tuple[float, float, float]:
        return (
            metrics.REGISTRY.get_sample_value("pyfastgpt_http_requests_total", {**route, "status": "503"}) or 0.0,
            metrics.REGISTRY.get_sample_value("pyfastgpt_http_request_duration_seconds_count", route) or 0.0,
            metrics.REGISTRY.get_sample_value("pyfastgpt_errors_total", {"source": "http"}) or 0.0,
        )

    before = seen()
    metrics.http_request("GET", "/x/{id}", 503, 0.25)
    metrics.http_request("GET", "/x/{id}", 200, 0.01)
    after = seen()
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (1, 2, 1)
