from __future__ import annotations

from pyfastgpt.core.errors import ERROR_CODES, ApiKeyInvalid, AppError, NotFound, TooManyRequests


def test_envelope_carries_fastgpt_code_and_key() -> None:
    error = NotFound(key="appUnExist")
    assert error.status == 404
    assert error.envelope() == {
        "code": 502000,
        "statusText": "appUnExist",
        "message": "Application does not exist",
        "data": None,
    }


def test_statuses_and_headers() -> None:
    assert ApiKeyInvalid().status == 401
    assert ApiKeyInvalid().code == 514
    limited = TooManyRequests(retry_after=7)
    assert limited.status == 429
    assert limited.headers == {"Retry-After": "7"}


def test_unknown_key_falls_back_to_500() -> None:
    error = AppError("something odd", key="neverHeardOf")
    assert error.code == 500
    assert error.message == "something odd"


def test_codes_are_unique() -> None:
    codes = [code for code, _ in ERROR_CODES.values()]
    assert len(codes) == len(set(codes))
