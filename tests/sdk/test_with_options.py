"""``with_options``: a copy with other timeout, retries and headers on the same connection pool."""

from __future__ import annotations

import pytest

from fastgpt_client import (
    APITimeoutError,
    AsyncChatClient,
    ChatClient,
    FastGPTClient,
    InternalServerError,
)
from fastgpt_client._base import build_request_options
from tests.sdk.conftest import ScriptedServer

OK = {"code": 200, "statusText": "", "message": "", "data": {"rebuildingCount": 0, "trainingCount": 0}}
FAIL = {"code": 500, "statusText": "", "message": "boom", "data": None}
PATH = "/api/core/dataset/training/getDatasetTrainingQueue"


def test_copy_keeps_type_settings_and_pool() -> None:
    with ChatClient("k", base_url="http://127.0.0.1:9", timeout=30, max_retries=3, default_headers={"X-A": "1"}) as c:
        copy = c.with_options(timeout=5, max_retries=1, headers={"X-B": "2"})
        assert type(copy) is ChatClient and copy is not c
        assert copy._client is c._client and not copy._owns_http_client
        assert (copy.api_key, copy.base_url, copy.max_retries, copy.retry_policy.max_attempts) == (
            "k",
            c.base_url,
            1,
            1,
        )
        assert copy._custom_headers == {"X-A": "1", "X-B": "2"} and c._custom_headers == {"X-A": "1"}
        assert c.max_retries == 3 and copy.chat.histories._client is copy
        options = build_request_options("GET", "/api/core/ai/model/list")
        assert copy._build_request(options).extensions["timeout"]["read"] == 5.0
        assert c._build_request(options).extensions["timeout"]["read"] == 30.0
        unlimited = c.with_options(timeout=None)
        assert unlimited._build_request(options).extensions["timeout"]["read"] is None
        assert unlimited.with_options(max_retries=2)._build_request(options).extensions["timeout"]["read"] is None
        copy.close()  # closing the copy leaves the shared pool open
        assert not c._client.is_closed
        other = c.with_options(api_key="other", base_url="http://127.0.0.1:10/api")
        assert other.base_url == "http://127.0.0.1:10"
        assert other._build_request(options).headers["authorization"] == "Bearer other"


def test_headers_are_sent_by_the_copy_only(scripted_server: ScriptedServer) -> None:
    scripted_server.script(PATH, (200, {}, OK))
    with FastGPTClient("k", base_url=scripted_server.base_url, default_headers={"X-Team": "t"}) as client:
        client.with_options(headers={"X-Trace": "abc", "X-Team": "u"}).datasets.training.queue("d1")
        client.datasets.training.queue("d1")
    first, second = (request["headers"] for request in scripted_server.requests)
    assert first["x-trace"] == "abc" and first["x-team"] == "u"
    assert "x-trace" not in second and second["x-team"] == "t"


def test_max_retries_of_the_copy(scripted_server: ScriptedServer) -> None:
    scripted_server.script(PATH, (500, {"Retry-After": "0"}, FAIL), (500, {"Retry-After": "0"}, FAIL), (200, {}, OK))
    with FastGPTClient("k", base_url=scripted_server.base_url, max_retries=3, retry_delay=0) as client:
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=1).datasets.training.queue("d1")
        assert scripted_server.hits[PATH] == 1
        assert client.datasets.training.queue("d1") == OK["data"]  # the original still retries (2 more hits)
    assert scripted_server.hits[PATH] == 3


async def test_timeout_of_the_copy(scripted_server: ScriptedServer) -> None:
    scripted_server.script(PATH, (200, {}, OK))
    scripted_server.delays[PATH] = 0.6
    async with AsyncChatClient("k", base_url=scripted_server.base_url, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            await client.with_options(timeout=0.2).datasets.training.queue("d1")
        assert await client.datasets.training.queue("d1") == OK["data"]
        # the seed methods of the copy use its settings too
        scripted_server.script("/api/core/chat/init", (200, {}, OK))
        scripted_server.delays["/api/core/chat/init"] = 0.6
        with pytest.raises(APITimeoutError):
            await client.with_options(timeout=0.2).get_chat_init(appId="a", chatId="c")
