"""Retry decisions, in one place and free of I/O.

Rules (openai-python's, adapted to the seed SDK's knobs):

* ``max_retries`` is the seed SDK's *attempt budget*: ``3`` (the default) means one call and at
  most two retries; anything below 1 means a single attempt.
* Retried: connection failures, timeouts, and HTTP 408, 409, 429 and 5xx. A server may force
  the answer with ``x-should-retry: true|false``.
* A non-idempotent call (a ``POST`` that changes state, such as a chat completion) is only
  retried when the server surely did not act on it: the connection could not be opened, or it
  answered 408/409/429/503 (refused before work started).
* The wait doubles from ``retry_delay`` up to 8 s, minus up to 25 % jitter; a ``Retry-After``
  (or ``retry-after-ms``) header of at most 60 s replaces the computed wait.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({408, 409, 429})
NOT_PROCESSED_STATUSES = frozenset({408, 409, 429, 503})
MAX_BACKOFF_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 60.0

_NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. ``max_attempts`` counts the first call."""

    max_attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = MAX_BACKOFF_SECONDS
    jitter: float = 0.25

    @classmethod
    def from_seed_settings(cls, max_retries: int, retry_delay: float) -> RetryPolicy:
        """The policy for the seed SDK's ``max_retries``/``retry_delay`` constructor arguments."""
        return cls(max_attempts=max(1, int(max_retries)), base_delay=max(0.0, float(retry_delay)))

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Wait before retry number ``attempt`` (0-based), without any server hint."""
        delay = min(self.base_delay * (2.0**attempt), self.max_delay)
        fraction = (rng.random() if rng is not None else random.random()) * self.jitter
        return delay * (1.0 - fraction)

    def delay_for(
        self,
        attempt: int,
        headers: Mapping[str, str] | None = None,
        *,
        now: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Wait before retry ``attempt``: the server's ``Retry-After`` when sane, else backoff."""
        hinted = parse_retry_after(headers, now=now) if headers is not None else None
        if hinted is not None and 0 <= hinted <= MAX_RETRY_AFTER_SECONDS:
            return hinted
        return self.backoff(attempt, rng)


def is_idempotent(method: str) -> bool:
    return method.upper() in IDEMPOTENT_METHODS


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(raw)
    if parsed is None:
        return None
    moment = email.utils.mktime_tz(parsed)
    return max(0.0, moment - (time.time() if now is None else now))


def should_retry_status(status_code: int, headers: Mapping[str, str], *, idempotent: bool) -> bool:
    """Whether an answer with ``status_code`` deserves another attempt."""
    forced = {key.lower(): value for key, value in headers.items()}.get("x-should-retry")
    if forced is not None and forced.lower() in {"true", "false"}:
        return forced.lower() == "true"
    if idempotent:
        return status_code in RETRYABLE_STATUSES or status_code >= 500
    return status_code in NOT_PROCESSED_STATUSES


def should_retry_exception(error: BaseException, *, idempotent: bool) -> bool:
    """Whether a transport failure deserves another attempt."""
    if not isinstance(error, httpx.TransportError):
        return False
    if isinstance(error, httpx.UnsupportedProtocol | httpx.ProxyError):
        return False
    if idempotent:
        return True
    return isinstance(error, _NOT_SENT_ERRORS)
