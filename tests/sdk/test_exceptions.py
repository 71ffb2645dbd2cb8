"""Exception mapping: the class tree, and real HTTP answers from a local scripted server."""

from __future__ import annotations

import socket

import httpx
import pytest

from fastgpt_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncChatClient,
    AsyncFastGPTClient,
    AuthenticationError,
    BadRequestError,
    ChatClient,
    ConflictError,
    FastGPTClient,
    FastGPTError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamParseError,
    UnprocessableEntityError,
    ValidationError,
)
from fastgpt_client._exceptions import error_message, make_status_error
from tests.sdk.conftest import ScriptedServer

ENVELOPE = {"code": 500, "statusText": "error", "message": "boom", "data": None}


def test_tree() -> None:
    assert issubclass(APIError, FastGPTError) and issubclass(StreamParseError, FastGPTError)
    for cls in (BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
                UnprocessableEntityError, RateLimitError, InternalServerError):  # fmt: skip
        assert issubclass(cls, APIStatusError) and issubclass(cls, APIError)
    assert issubclass(UnprocessableEntityError, ValidationError)
    assert issubclass(APITimeoutError, APIConnectionError) and issubclass(APIConnectionError, APIError)


def test_seed_constructor_signatures_still_work() -> None:
    error = APIError("m", 418, {"x": 1})
    assert (error.message, error.status_code, error.response_data, str(error)) == ("m", 418, {"x": 1}, "m")
    auth = AuthenticationError("denied", 401, None)
    assert auth.status_code == 401
    limited = RateLimitError("slow down", "3", 429, {"message": "slow down"})
    assert limited.retry_after == "3" and limited.status_code == 429
    assert ValidationError("bad").status_code is None


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequestError), (401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError),
     (409, ConflictError), (422, UnprocessableEntityError), (429, RateLimitError), (500, InternalServerError),
     (503, InternalServerError), (418, APIStatusError)],
)  # fmt: skip
def test_make_status_error(status: int, cls: type[APIStatusError]) -> None:
    error = make_status_error(status, {"message": "m"}, headers=httpx.Headers({"Retry-After": "2"}))
    assert type(error) is cls and error.status_code == status and error.message == "m"
    if status == 429:
        assert isinstance(error, RateLimitError) and error.retry_after == "2"


def test_error_message_sources() -> None:
    assert error_message(500, {"message": "fastgpt"}) == "fastgpt"
    assert error_message(500, {"error": {"message": "openai"}}) == "openai"
    assert error_message(500, {"statusText": "unAuthApiKey", "message": ""}) == "unAuthApiKey"
    assert error_message(502, "<html>bad gateway</html>") == "<html>bad gateway</html>"
    assert error_message(500, None) == "HTTP 500"


@pytest.mark.parametrize(
    ("status", "cls"),
    [(401, AuthenticationError), (404, NotFoundError), (422, UnprocessableEntityError), (429, RateLimitError),
     (500, InternalServerError), (502, InternalServerError)],
)  # fmt: skip
def test_sync_client_maps_real_statuses(scripted_server: ScriptedServer, status: int, cls: type[APIError]) -> None:
    body = {"code": status, "statusText": "x", "message": f"status {status}", "data": None}
    scripted_server.script("/api/core/chat/init", (status, {"Retry-After": "0"}, body))
    with (
        ChatClient("k", base_url=scripted_server.base_url + "/api", max_retries=1) as client,
        pytest.raises(cls) as caught,
    ):
        client.get_chat_init(appId="a", chatId="c")
    assert caught.value.status_code == status and caught.value.message == f"status {status}"
    assert caught.value.response_data == body and caught.value.response is not None
    assert scripted_server.hits["/api/core/chat/init"] == 1


async def test_async_client_maps_real_statuses(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/core/dataset/detail", (404, {}, {"code": 404, "message": "no dataset"}))
    async with AsyncFastGPTClient("k", base_url=scripted_server.base_url, max_retries=1) as client:
        with pytest.raises(NotFoundError, match="no dataset"):
            await client.datasets.detail("d1")


async def test_error_status_on_a_streaming_request_is_read_and_raised(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/v1/chat/completions", (401, {}, {"message": "bad key"}))
    async with AsyncChatClient("k", base_url=scripted_server.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.chat.completions.create(messages=[{"role": "user", "content": "x"}], stream=True)
    assert caught.value.response_data == {"message": "bad key"}


def test_envelope_error_inside_http_200_raises(scripted_server: ScriptedServer) -> None:
    payload = {"code": 514, "statusText": "unAuthApiKey", "message": "Invalid API Key", "data": None}
    scripted_server.script("/api/core/dataset/list", (200, {}, payload))
    with (
        FastGPTClient("k", base_url=scripted_server.base_url) as client,
        pytest.raises(APIStatusError) as caught,
    ):
        client.datasets.list()
    assert caught.value.code == 514 and caught.value.status_text == "unAuthApiKey"


def test_idempotent_calls_retry_until_success_honouring_retry_after(scripted_server: ScriptedServer) -> None:
    ok = {"code": 200, "statusText": "", "message": "", "data": {"_id": "d1"}}
    scripted_server.script(
        "/api/core/dataset/detail", (503, {"Retry-After": "0"}, ENVELOPE), (429, {"Retry-After": "0"}, ENVELOPE),
        (200, {}, ok),
    )  # fmt: skip
    with FastGPTClient("k", base_url=scripted_server.base_url, max_retries=3, retry_delay=30.0) as client:
        assert client.datasets.detail("d1") == {"_id": "d1"}
    assert scripted_server.hits["/api/core/dataset/detail"] == 3


def test_retries_stop_at_the_attempt_budget(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/core/chat/getHistories", (500, {"Retry-After": "0"}, ENVELOPE))
    with (
        ChatClient("k", base_url=scripted_server.base_url, max_retries=3) as client,
        pytest.raises(InternalServerError, match="boom"),
    ):
        client.get_chat_histories(appId="a")
    assert scripted_server.hits["/api/core/chat/getHistories"] == 3


def test_chat_completion_post_is_not_retried_after_a_500(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/v1/chat/completions", (500, {"Retry-After": "0"}, ENVELOPE))
    with (
        ChatClient("k", base_url=scripted_server.base_url, max_retries=3) as client,
        pytest.raises(InternalServerError),
    ):
        client.create_chat_completion(messages=[{"role": "user", "content": "hi"}])
    assert scripted_server.hits["/api/v1/chat/completions"] == 1


async def test_chat_completion_post_is_retried_after_429(scripted_server: ScriptedServer) -> None:
    answer = {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}}]}
    scripted_server.script(
        "/api/v1/chat/completions", (429, {"Retry-After": "0"}, {"message": "slow"}), (200, {}, answer)
    )
    async with AsyncChatClient("k", base_url=scripted_server.base_url, max_retries=2) as client:
        response = await client.create_chat_completion(messages=[{"role": "user", "content": "hi"}])
    assert response.json()["choices"][0]["message"]["content"] == "ok"
    assert scripted_server.hits["/api/v1/chat/completions"] == 2


def test_rate_limit_exposes_retry_after(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/core/chat/init", (429, {"Retry-After": "0"}, {"message": "limited"}))
    with (
        ChatClient("k", base_url=scripted_server.base_url, max_retries=1) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.get_chat_init(appId="a", chatId="c")
    assert caught.value.retry_after == "0"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_becomes_api_connection_error() -> None:
    with (
        FastGPTClient("k", base_url=f"http://127.0.0.1:{closed_port()}", max_retries=2, retry_delay=0.0) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.datasets.list()
    assert not isinstance(caught.value, APITimeoutError) and caught.value.status_code is None


async def test_slow_answer_becomes_api_timeout_error(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/core/app/detail", (200, {}, {"code": 200, "message": "", "data": {}}))
    scripted_server.delays["/api/core/app/detail"] = 1.0
    async with AsyncFastGPTClient("k", base_url=scripted_server.base_url, timeout=0.2, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            await client.apps.detail("a1")
