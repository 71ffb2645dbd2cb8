"""Retry decisions and Retry-After handling (pure)."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest

from fastgpt_client._retry import (
    RetryPolicy,
    is_idempotent,
    parse_retry_after,
    should_retry_exception,
    should_retry_status,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, False), (401, False), (404, False), (408, True), (409, True), (422, False), (429, True), (500, True),
     (502, True), (503, True), (504, True)],
)  # fmt: skip
def test_idempotent_calls_retry_transient_statuses(status: int, expected: bool) -> None:
    assert should_retry_status(status, {}, idempotent=True) is expected


@pytest.mark.parametrize(
    ("status", "expected"), [(408, True), (409, True), (429, True), (500, False), (502, False), (503, True)]
)
def test_non_idempotent_calls_retry_only_when_nothing_was_done(status: int, expected: bool) -> None:
    assert should_retry_status(status, {}, idempotent=False) is expected


def test_x_should_retry_header_overrides() -> None:
    assert should_retry_status(400, {"X-Should-Retry": "true"}, idempotent=False) is True
    assert should_retry_status(503, {"x-should-retry": "false"}, idempotent=True) is False
    assert should_retry_status(503, {"x-should-retry": "maybe"}, idempotent=True) is True


def test_methods() -> None:
    assert [is_idempotent(method) for method in ("GET", "put", "DELETE", "POST", "PATCH")] == [
        True, True, True, False, False,
    ]  # fmt: skip


def test_exception_decisions() -> None:
    request = httpx.Request("POST", "http://x")
    connect = httpx.ConnectError("refused", request=request)
    read_timeout = httpx.ReadTimeout("slow", request=request)
    reset = httpx.RemoteProtocolError("reset", request=request)
    assert should_retry_exception(connect, idempotent=False)
    assert should_retry_exception(httpx.ConnectTimeout("t", request=request), idempotent=False)
    assert not should_retry_exception(read_timeout, idempotent=False)
    assert not should_retry_exception(reset, idempotent=False)
    assert should_retry_exception(read_timeout, idempotent=True)
    assert should_retry_exception(reset, idempotent=True)
    assert not should_retry_exception(httpx.UnsupportedProtocol("ftp", request=request), idempotent=True)
    assert not should_retry_exception(ValueError("not transport"), idempotent=True)


def test_parse_retry_after_forms() -> None:
    now = 1_700_000_000.0
    http_date = email.utils.formatdate(now + 12, usegmt=True)
    assert parse_retry_after({"Retry-After": "3"}, now=now) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}, now=now) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "Retry-After": "9"}, now=now) == 0.25
    assert parse_retry_after({"Retry-After": http_date}, now=now) == pytest.approx(12.0)
    assert parse_retry_after({"Retry-After": email.utils.formatdate(now - 50, usegmt=True)}, now=now) == 0.0
    assert parse_retry_after({"Retry-After": "soon"}, now=now) is None
    assert parse_retry_after({}, now=now) is None


def test_backoff_doubles_caps_and_jitters_down() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=0.5, max_delay=8.0, jitter=0.25)
    rng = random.Random(7)
    for attempt, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]):
        delay = policy.backoff(attempt, rng)
        assert ceiling * 0.75 <= delay <= ceiling
    no_jitter = RetryPolicy(base_delay=1.0, jitter=0.0)
    assert [no_jitter.backoff(attempt) for attempt in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]


def test_delay_prefers_a_sane_retry_after() -> None:
    policy = RetryPolicy(base_delay=1.0, jitter=0.0)
    assert policy.delay_for(0, {"Retry-After": "0"}) == 0.0
    assert policy.delay_for(0, {"Retry-After": "30"}) == 30.0
    assert policy.delay_for(1, {"Retry-After": "3600"}) == 2.0  # absurd hints fall back to backoff
    assert policy.delay_for(2, None) == 4.0


def test_seed_settings_map_to_an_attempt_budget() -> None:
    assert RetryPolicy.from_seed_settings(3, 1.0) == RetryPolicy(max_attempts=3, base_delay=1.0)
    assert RetryPolicy.from_seed_settings(0, -1.0).max_attempts == 1
    assert RetryPolicy.from_seed_settings(0, -1.0).base_delay == 0.0
