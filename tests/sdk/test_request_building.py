"""Base-URL normalisation, request building, the NOT_GIVEN sentinel and envelope unwrapping."""

from __future__ import annotations

import json

import httpx
import pytest

from fastgpt_client import NOT_GIVEN, FastGPTClient, NotGiven, ValidationError
from fastgpt_client._async.resources.chat.completions import completion_body
from fastgpt_client._async.resources.datasets.collections import chunk_settings
from fastgpt_client._async.resources.datasets.data import batched, merge_push_results
from fastgpt_client._base import build_request_options, build_timeout, normalize_base_url, unwrap_envelope
from fastgpt_client._exceptions import AuthenticationError, InternalServerError, NotFoundError
from fastgpt_client._sync.chat_client import chat_completion_payload
from fastgpt_client._types import is_given, strip_not_given


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://localhost:3000/", "http://localhost:3000"),
        ("http://localhost:3000/api", "http://localhost:3000"),
        ("http://localhost:3000/api/", "http://localhost:3000"),
        ("https://cloud.fastgpt.cn/api/v1", "https://cloud.fastgpt.cn"),
        ("http://host/fastgpt/api", "http://host/fastgpt"),
        ("http://host/apiary", "http://host/apiary"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("  http://h:1/api  ", "http://h:1"),
    ],
)
def test_normalize_base_url(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("bad", ["", "   ", "http://"])
def test_normalize_base_url_rejects_nonsense(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalize_base_url(bad)


def test_not_given_is_a_falsy_singleton_distinct_from_none() -> None:
    assert NotGiven() is NOT_GIVEN and not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"
    assert is_given(None) and not is_given(NOT_GIVEN)
    assert strip_not_given({"a": NOT_GIVEN, "b": None, "c": 0}) == {"b": None, "c": 0}


def test_build_request_options_drops_not_given_keeps_null() -> None:
    options = build_request_options(
        "put",
        "/api/core/dataset/update",
        body={"id": "d1", "name": NOT_GIVEN, "intro": None},
        query={"appId": "a", "skip": None, "flag": True, "auth": {"shareId": "s"}, "gone": NOT_GIVEN},
        extra_body={"extra": 1},
        extra_headers={"X-Trace": "t"},
        timeout=5.0,
    )
    assert options.method == "PUT"
    assert options.json == {"id": "d1", "intro": None, "extra": 1}
    assert options.params == {"appId": "a", "flag": "true", "auth": '{"shareId": "s"}'}
    assert options.headers == {"X-Trace": "t"} and options.timeout == 5.0
    assert options.retry_idempotent is True
    post = build_request_options("POST", "/x", body={})
    assert post.json == {} and post.params is None and post.retry_idempotent is False
    assert isinstance(post.timeout, NotGiven)
    assert build_request_options("POST", "/x", body={}, idempotent=True).retry_idempotent is True


def test_client_builds_the_wire_request() -> None:
    with FastGPTClient(api_key=" fastgpt-k ", base_url="http://127.0.0.1:9/api", default_headers={"X-A": "1"}) as c:
        options = build_request_options("GET", "/api/core/dataset/detail", query={"id": "d 1"}, timeout=2.0)
        request = c._build_request(options)
        assert str(request.url) == "http://127.0.0.1:9/api/core/dataset/detail?id=d+1"
        assert request.headers["authorization"] == "Bearer fastgpt-k"
        assert request.headers["x-a"] == "1"
        assert request.extensions["timeout"]["read"] == 2.0
        post = c._build_request(build_request_options("POST", "/api/v1/chat/completions", body={"chatId": None}))
        assert json.loads(post.content) == {"chatId": None}
        assert post.headers["content-type"] == "application/json"


def test_constructor_keeps_seed_attributes_and_timeout_rule() -> None:
    with FastGPTClient("k") as client:
        assert (client.base_url, client.timeout, client.max_retries, client.retry_delay, client.enable_logging) == (
            "http://localhost:3000", 60.0, 3, 1.0, False,
        )  # fmt: skip
        assert client._client.timeout == httpx.Timeout(60.0, connect=15.0)
    assert build_timeout(5) == httpx.Timeout(5.0, connect=5.0)
    assert build_timeout(0) == httpx.Timeout(None, connect=15.0)
    with pytest.raises(ValidationError):
        FastGPTClient("  ")


def test_validate_params() -> None:
    with FastGPTClient("k") as client:
        client._validate_params(appId="a", offset=0, messages=[{"role": "user", "content": "x"}])
        for bad in ({"appId": ""}, {"chatId": None}, {"messages": "hi"}, {"messages": ["x"]}, {"pageSize": -1}):
            with pytest.raises(ValidationError):
                client._validate_params(**bad)


def test_unwrap_envelope() -> None:
    assert unwrap_envelope({"code": 200, "statusText": "", "message": "", "data": {"x": 1}}) == {"x": 1}
    openai_body = {"id": "c", "choices": [], "data": "not an envelope"}
    assert unwrap_envelope(openai_body) is openai_body
    assert unwrap_envelope([1, 2]) == [1, 2]
    with pytest.raises(NotFoundError) as not_found:
        unwrap_envelope({"code": 404, "statusText": "x", "message": "gone", "data": None})
    assert not_found.value.message == "gone"
    with pytest.raises(InternalServerError) as app_error:
        unwrap_envelope({"code": 502000, "statusText": "appUnExist", "message": "App missing", "data": None})
    assert app_error.value.code == 502000 and app_error.value.status_text == "appUnExist"
    with pytest.raises(AuthenticationError):
        unwrap_envelope({"code": 401, "statusText": "", "message": "", "data": None})


def test_completion_body_uses_wire_names_and_sentinel() -> None:
    body = completion_body(
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        chat_id="c1",
        detail=NOT_GIVEN,
        variables={"k": "v"},
        response_chat_item_id=NOT_GIVEN,
        app_id=NOT_GIVEN,
        custom_uid=NOT_GIVEN,
        metadata=NOT_GIVEN,
        retain_dataset_cite=False,
        out_link_auth_data={"shareId": "s", "outLinkUid": "u"},
        model=NOT_GIVEN,
    )
    assert strip_not_given(body) == {
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "chatId": "c1",
        "variables": {"k": "v"},
        "retainDatasetCite": False,
        "outLinkAuthData": {"shareId": "s", "outLinkUid": "u"},
    }


def test_seed_completion_payload_omits_falsy_optionals() -> None:
    assert chat_completion_payload([], False, None, False, None, None) == {
        "messages": [], "stream": False, "detail": False,
    }  # fmt: skip
    full = chat_completion_payload([], True, "c", True, {"a": 1}, "r")
    assert (full["chatId"], full["variables"], full["responseChatItemId"]) == ("c", {"a": 1}, "r")


def test_chunk_settings_wire_names() -> None:
    settings = chunk_settings(
        training_type="qa",
        chunk_setting_mode="custom",
        chunk_split_mode=NOT_GIVEN,
        chunk_size=800,
        index_size=NOT_GIVEN,
        chunk_splitter=NOT_GIVEN,
        qa_prompt="Q?",
        tags=("a", "b"),
        metadata=NOT_GIVEN,
    )
    assert settings == {"trainingType": "qa", "chunkSettingMode": "custom", "chunkSize": 800, "qaPrompt": "Q?",
                        "tags": ["a", "b"]}  # fmt: skip


def test_push_data_batches_of_at_most_200_and_merged_results() -> None:
    items = [{"q": f"q{index}"} for index in range(450)]
    batches = list(batched(items, 200))
    assert [len(batch) for batch in batches] == [200, 200, 50]
    assert [item["q"] for batch in batches for item in batch] == [item["q"] for item in items]
    with pytest.raises(ValueError):
        list(batched(items, 201))
    merged = merge_push_results([{"insertLen": 200, "repeat": ["x"]}, {"insertLen": 49, "error": [{"q": "bad"}]}])
    assert merged == {"insertLen": 249, "overToken": [], "repeat": ["x"], "error": [{"q": "bad"}]}
