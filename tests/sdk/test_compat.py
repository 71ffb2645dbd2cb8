"""Drop-in compatibility with the fastgpt-python-sdk: names, signatures and defaults."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

import fastgpt_client
from fastgpt_client import (
    AppClient,
    AsyncAppClient,
    AsyncChatClient,
    AsyncFastGPTClient,
    BaseClientMixin,
    ChatClient,
    FastGPTClient,
)

SEED_EXPORTS = [
    "FastGPTClient", "ChatClient", "AppClient", "AsyncFastGPTClient", "AsyncChatClient", "AsyncAppClient",
    "FastGPTError", "APIError", "AuthenticationError", "RateLimitError", "ValidationError", "StreamParseError",
    "iter_stream_events", "aiter_stream_events", "FastGPTStreamEvent", "FastGPTInteractiveEvent",
    "encode_image_data_url", "is_data_url", "decode_data_url", "image_url_part", "image_part_from_bytes",
    "image_part_from_path",
]  # fmt: skip
SEED_MODULES = ["client", "async_client", "base_client", "exceptions", "streaming", "stream_types", "images"]

EMPTY = inspect.Parameter.empty
# method -> [(name, default)] in order (EMPTY = required); taken from the seed async_client.py
SEED_CHAT_METHODS: dict[str, list[tuple[str, Any]]] = {
    "create_chat_completion": [("messages", EMPTY), ("stream", False), ("chatId", None), ("detail", False),
                               ("variables", None), ("responseChatItemId", None), ("image_input_mode", "base64"),
                               ("appId", None), ("outLinkAuthData", None)],
    "presign_chat_file_post_url": [("appId", EMPTY), ("chatId", EMPTY), ("filename", EMPTY),
                                   ("fileSelectConfig", None), ("outLinkAuthData", None)],
    "presign_chat_file_get_url": [("appId", EMPTY), ("key", EMPTY), ("outLinkAuthData", None)],
    "upload_to_presigned_url": [("upload_url", EMPTY), ("file_path", EMPTY), ("headers", None), ("fields", None),
                                ("method", None)],
    "upload_chat_file": [("appId", EMPTY), ("chatId", EMPTY), ("file_path", EMPTY), ("file_type", "doc"),
                         ("fileSelectConfig", None), ("outLinkAuthData", None)],
    "upload_chat_image": [("appId", EMPTY), ("chatId", EMPTY), ("file_path", EMPTY), ("fileSelectConfig", None),
                          ("outLinkAuthData", None)],
    "get_chat_histories": [("appId", EMPTY), ("offset", 0), ("pageSize", 20), ("source", "api")],
    "get_chat_init": [("appId", EMPTY), ("chatId", EMPTY)],
    "get_chat_records": [("appId", EMPTY), ("chatId", EMPTY), ("offset", 0), ("pageSize", 10),
                         ("loadCustomFeedbacks", False)],
    "get_record_detail": [("appId", EMPTY), ("chatId", EMPTY), ("dataId", EMPTY)],
    "update_chat_history": [("appId", EMPTY), ("chatId", EMPTY), ("customTitle", None), ("top", None)],
    "delete_chat_history": [("appId", EMPTY), ("chatId", EMPTY)],
    "clear_chat_histories": [("appId", EMPTY)],
    "delete_chat_record": [("appId", EMPTY), ("chatId", EMPTY), ("contentId", EMPTY)],
    "send_feedback": [("appId", EMPTY), ("chatId", EMPTY), ("dataId", EMPTY), ("userGoodFeedback", None),
                      ("userBadFeedback", None)],
    "get_suggested_questions": [("appId", EMPTY), ("chatId", EMPTY), ("questionGuide", None)],
}  # fmt: skip
SEED_APP_METHODS = {
    "get_app_logs_chart": [("appId", EMPTY), ("dateStart", EMPTY), ("dateEnd", EMPTY), ("offset", 1), ("source", None),
                           ("userTimespan", "day"), ("chatTimespan", "day"), ("appTimespan", "day")],
}  # fmt: skip
SEED_CONSTRUCTOR = [("api_key", EMPTY), ("base_url", "http://localhost:3000"), ("timeout", 60.0), ("max_retries", 3),
                    ("retry_delay", 1.0), ("enable_logging", False)]  # fmt: skip


def test_seed_exports_and_modules() -> None:
    missing = [name for name in SEED_EXPORTS if not hasattr(fastgpt_client, name)]
    assert missing == []
    for module in SEED_MODULES:
        __import__(f"fastgpt_client.{module}")
    assert fastgpt_client.__version__


def leading_parameters(function: Any, count: int) -> list[tuple[str, Any]]:
    parameters = [param for name, param in inspect.signature(function).parameters.items() if name != "self"]
    return [(param.name, param.default) for param in parameters[:count]]


@pytest.mark.parametrize("cls", [FastGPTClient, AsyncFastGPTClient, ChatClient, AsyncChatClient, AppClient,
                                 AsyncAppClient])  # fmt: skip
def test_constructor_signature(cls: type) -> None:
    assert leading_parameters(cls.__init__, len(SEED_CONSTRUCTOR)) == SEED_CONSTRUCTOR
    assert issubclass(cls, BaseClientMixin)


@pytest.mark.parametrize(("sync_cls", "async_cls", "methods"), [
    (ChatClient, AsyncChatClient, SEED_CHAT_METHODS), (AppClient, AsyncAppClient, SEED_APP_METHODS),
])  # fmt: skip
def test_seed_methods_keep_parameters_and_defaults(
    sync_cls: type, async_cls: type, methods: dict[str, list[tuple[str, Any]]]
) -> None:
    for name, expected in methods.items():
        sync_method, async_method = getattr(sync_cls, name), getattr(async_cls, name)
        assert leading_parameters(sync_method, len(expected)) == expected, name
        assert leading_parameters(async_method, len(expected)) == expected, name
        assert inspect.iscoroutinefunction(async_method) and not inspect.iscoroutinefunction(sync_method)


def test_context_managers_close_the_pool() -> None:
    with ChatClient("k") as client:
        pool = client._client
    assert isinstance(pool, httpx.Client) and pool.is_closed


async def test_async_context_manager_closes_the_pool() -> None:
    async with AsyncAppClient("k") as client:
        pool = client._client
    assert isinstance(pool, httpx.AsyncClient) and pool.is_closed


def test_caller_supplied_http_client_is_not_closed() -> None:
    own = httpx.Client()
    with FastGPTClient("k", http_client=own):
        pass
    assert not own.is_closed
    own.close()


def test_resources_are_on_every_client() -> None:
    with ChatClient("k") as client:
        assert client.datasets.collections is client.datasets.collections
        for attribute in ("chat", "datasets", "apps", "api_keys", "share_links", "analytics", "models"):
            assert getattr(client, attribute) is not None
        assert client.chat.completions and client.chat.interactive and client.apps.versions
        assert client.datasets.data and client.datasets.training
        chat = client.chat
        assert chat.histories and chat.records and chat.feedback and chat.files and chat.test and client.models
