"""`GET /metrics`: the Prometheus exposition (text, or OpenMetrics when the scraper asks for it).

Mounted only with `METRICS_ENABLED`. With `METRICS_TOKEN` set, a scrape must send
`Authorization: Bearer <token>` (401 otherwise); without it the endpoint is open, like most
exporters — set one when the port is reachable from outside.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from pyfastgpt.api.deps import Svc, bearer_token
from pyfastgpt.api.observability.training_queue import QueueCollector, QueueStats, queue_stats
from pyfastgpt.core.errors import AuthError
from pyfastgpt.core.observability import metrics

log = logging.getLogger("pyfastgpt.metrics")
router = APIRouter(tags=["observability"])
QUEUE_READ_TIMEOUT_S = 5.0


@router.get("/metrics", include_in_schema=False)
async def scrape(request: Request, services: Svc) -> Response:
    token = services.settings.metrics_token
    if token and not hmac.compare_digest((bearer_token(request) or "").encode(), token.encode()):
        raise AuthError("A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)")
    stats: QueueStats | None
    try:
        stats = await asyncio.wait_for(
            queue_stats(services.db, services.settings.training_lease_s), QUEUE_READ_TIMEOUT_S
        )
    except Exception:
        log.warning("training queue unreadable at scrape", exc_info=True)
        stats = None
    encoder, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encoder(_Scrape(stats)), media_type=content_type)


class _Scrape(Collector):
    """The process's metrics plus this scrape's training queue gauges."""

    def __init__(self, stats: QueueStats | None) -> None:
        self.queue = QueueCollector(stats)

    def collect(self) -> Iterator[Metric]:
        yield from metrics.REGISTRY.collect()
        yield from self.queue.collect()
