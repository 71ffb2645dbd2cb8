"""`/api/v1/chat/completions` against real OpenAI clients and raw SSE."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import openai
import pytest

from tests.api.v1.chat.helpers import answer_app, create_app, parse_sse, stored
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer


def sdk(server: LiveServer, key: str, *, strict: bool = False) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=f"{server.base_url}/api/v1", api_key=key, max_retries=0, timeout=30, _strict_response_validation=strict
    )


_open_clients: list[openai.OpenAI] = []


def request_closing(client: openai.OpenAI) -> None:
    _open_clients.append(client)


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _open_clients:
        _open_clients.pop().close()


@pytest.mark.parametrize("strict", [False, True])
def test_openai_sdk_non_stream_and_history(server: LiveServer, fake: FakeLLM, strict: bool) -> None:
    client = sdk(server, server.app_key, strict=strict)
    request_closing(client)
    fake.script(Reply(content="Paris is the capital.", usage=(21, 5)))
    first = client.chat.completions.create(
        model="ignored",
        messages=[{"role": "user", "content": "Capital of France?"}],
        extra_body={"chatId": f"h-{strict}"},
    )
    assert first.choices[0].message.content == "Paris is the capital."
    assert first.choices[0].message.role == "assistant"
    assert first.choices[0].finish_reason == "stop"
    assert first.object == "chat.completion"
    assert first.id == f"h-{strict}"
    assert first.usage is not None
    assert first.usage.prompt_tokens == 21
    assert first.usage.completion_tokens == 5
    fake.script(Reply(content="About 2 million."))
    client.chat.completions.create(
        model="ignored",
        messages=[{"role": "user", "content": "And its population?"}],
        extra_body={"chatId": f"h-{strict}"},
    )
    sent = [m["content"] for m in fake.requests[-1]["messages"]]
    assert sent[-3:] == ["Capital of France?", "Paris is the capital.", "And its population?"]
    rows = stored(server, server.app_id, f"h-{strict}")
    assert [i["obj"] for i in rows["items"]] == ["Human", "AI", "Human", "AI"]
    assert rows["chat"].title == "Capital of France?"[:20]
    assert rows["chat"].source == "api"


@pytest.mark.parametrize("strict", [False, True])
def test_openai_sdk_stream(server: LiveServer, fake: FakeLLM, strict: bool) -> None:
    client = sdk(server, server.app_key, strict=strict)
    request_closing(client)
    fake.script(Reply(content="one two three four five", chunks=5))
    stream = client.chat.completions.create(
        model="x", messages=[{"role": "user", "content": "count"}], stream=True, extra_body={"chatId": f"s-{strict}"}
    )
    pieces: list[str] = []
    finishes: list[str | None] = []
    for chunk in stream:
        assert chunk.choices is not None
        assert chunk.object == "chat.completion.chunk"
        assert chunk.id == f"s-{strict}"
        pieces.append(chunk.choices[0].delta.content or "")
        finishes.append(chunk.choices[0].finish_reason)
    assert "".join(pieces) == "one two three four five"
    assert finishes[-1] == "stop"


def test_openai_async_parallel_streams(server: LiveServer, fake: FakeLLM) -> None:
    async def run() -> list[str]:
        client = openai.AsyncOpenAI(base_url=f"{server.base_url}/api/v1", api_key=server.app_key, max_retries=0)

        async def one(i: int) -> str:
            stream = await client.chat.completions.create(
                model="x",
                messages=[{"role": "user", "content": f"stream {i}"}],
                stream=True,
                extra_body={"chatId": f"par-{i}"},
            )
            return "".join([c.choices[0].delta.content or "" async for c in stream])

        try:
            return await asyncio.gather(*(one(i) for i in range(5)))
        finally:
            await client.close()

    assert sorted(asyncio.run(run())) == sorted(f"echo: stream {i}" for i in range(5))


def test_bad_key_and_missing_messages(server: LiveServer) -> None:
    with sdk(server, "fastgpt-nope") as bad, pytest.raises(openai.AuthenticationError):
        bad.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}])
    with sdk(server, server.app_key) as good, pytest.raises(openai.BadRequestError) as info:
        good.chat.completions.create(model="x", messages=[])
    assert "messages is empty" in str(info.value)


def test_sse_framing_plain_and_detail(server: LiveServer, fake: FakeLLM) -> None:
    with server.client(server.app_key) as client:
        fake.script(Reply(content="abc def", chunks=2))
        plain = client.post(
            "/api/v1/chat/completions", json={"stream": True, "messages": [{"role": "user", "content": "x"}]}
        )
        assert plain.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(plain.text)
        assert all(name is None for name, _ in events)
        assert events[-1] == (None, "[DONE]")
        fake.script(Reply(content="abc def", chunks=2))
        detailed = client.post(
            "/api/v1/chat/completions",
            json={"stream": True, "detail": True, "messages": [{"role": "user", "content": "y"}]},
        )
    events = parse_sse(detailed.text)
    names = [name for name, _ in events]
    assert all(name is not None for name in names)
    assert names[0] == "flowNodeStatus"
    assert "workflowDuration" in names
    done_at = [data for _, data in events].index("[DONE]")
    assert names[done_at] == "answer"
    assert names[done_at + 1 :] == ["flowResponses"]
    stop = json.loads(events[done_at - 1][1])
    assert stop["choices"][0]["finish_reason"] == "stop"
    node_types = [r["moduleType"] for r in json.loads(events[-1][1])]
    assert node_types == ["workflowStart", "chatNode"]


def test_v2_sends_flow_node_responses_and_no_flow_responses(server: LiveServer, fake: FakeLLM) -> None:
    with server.client(server.app_key) as client:
        response = client.post(
            "/api/v2/chat/completions",
            json={"stream": True, "detail": True, "messages": [{"role": "user", "content": "v2"}]},
        )
    names = [name for name, _ in parse_sse(response.text)]
    assert names.count("flowNodeResponse") == 2
    assert "flowResponses" not in names
    assert names[-1] == "answer"


def test_detail_non_stream_has_response_data_and_variables(server: LiveServer) -> None:
    _app_id, key = create_app(server, answer_app("Hello {{name}}, you said {{$start.userChatInput$}}"))
    with server.client(key) as client:
        body = client.post(
            "/api/v1/chat/completions",
            json={"detail": True, "variables": {"Name": "Ada"}, "messages": [{"role": "user", "content": "hey"}]},
        ).json()
    assert (
        body["choices"][0]["message"]["content"] == "\nHello Ada, you said hey"
    )  # FastGPT's answer node starts with a newline
    assert [r["moduleType"] for r in body["responseData"]] == ["workflowStart", "answerNode"]
    assert body["newVariables"]["name"] == "Ada"


def test_response_chat_item_id_and_no_record(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("fixed"))
    with server.client(key) as client:
        client.post(
            "/api/v1/chat/completions",
            json={"chatId": "rid", "responseChatItemId": "my-ai-item", "messages": [{"role": "user", "content": "a"}]},
        )
        client.post(
            "/api/v1/chat/completions",
            json={"chatId": "NO_RECORD_HISTORIES", "messages": [{"role": "user", "content": "a"}]},
        )
    assert stored(server, app_id, "rid")["items"][1]["dataId"] == "my-ai-item"
    nothing = stored(server, app_id, "NO_RECORD_HISTORIES")
    assert nothing["chat"] is None
    assert nothing["items"] == []


def test_llm_fault_keeps_the_question_and_the_error(server: LiveServer, fake: FakeLLM) -> None:
    fake.script(*[Reply(fault="500")] * 5)
    with server.client(server.app_key) as client:
        body = client.post(
            "/api/v1/chat/completions", json={"chatId": "fails", "messages": [{"role": "user", "content": "will fail"}]}
        ).json()
    assert body["error"]
    rows = stored(server, server.app_id, "fails")
    assert rows["items"][0]["value"] == [{"type": "text", "text": {"content": "will fail"}}]
    assert rows["items"][1]["obj"] == "AI"
    assert rows["items"][1]["error"]
    assert rows["chat"].error_count == 1


def test_a_new_chat_without_chat_id_keeps_the_question_and_the_error_in_one_write(
    server: LiveServer, fake: FakeLLM
) -> None:
    """No `chatId`: the server names the chat and writes it with both items after the run (4.11 saveChat)."""
    fake.script(*[Reply(fault="500")] * 5)
    with server.client(server.app_key) as client:
        body = client.post(
            "/api/v1/chat/completions", json={"messages": [{"role": "user", "content": "fresh and failing"}]}
        ).json()
    assert body["error"]
    chat_id = body["id"]
    rows = stored(server, server.app_id, chat_id)
    assert [item["obj"] for item in rows["items"]] == ["Human", "AI"]
    assert rows["items"][0]["value"] == [{"type": "text", "text": {"content": "fresh and failing"}}]
    assert rows["items"][1]["error"]
    assert rows["chat"].error_count == 1 and rows["chat"].chat_generate_status == 2
    assert rows["chat"].title == "fresh and failing"


def test_concurrent_round_on_one_chat_gets_409(server: LiveServer, fake: FakeLLM) -> None:
    fake.rule("slow-one", Reply(content="done", first_byte_delay_s=1.5))

    async def run() -> list[int]:
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": f"Bearer {server.app_key}"}, timeout=30
        ) as c:
            first = asyncio.create_task(
                c.post(
                    "/api/v1/chat/completions",
                    json={"chatId": "busy", "messages": [{"role": "user", "content": "slow-one"}]},
                )
            )
            await asyncio.sleep(0.3)
            second = await c.post(
                "/api/v1/chat/completions", json={"chatId": "busy", "messages": [{"role": "user", "content": "x"}]}
            )
            return [(await first).status_code, second.status_code, second.json()["code"]]

    assert asyncio.run(run()) == [200, 409, 504001]


def test_bad_requests_are_clear(server: LiveServer) -> None:
    with server.client(server.app_key) as client:
        long_id = client.post(
            "/api/v1/chat/completions", json={"chatId": "x" * 1025, "messages": [{"role": "user", "content": "a"}]}
        )
        bad_part = client.post(
            "/api/v1/chat/completions",
            json={"messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]},
        )
        bad_role = client.post("/api/v1/chat/completions", json={"messages": [{"role": "wizard", "content": "a"}]})
        unknown_app = client.post(
            "/api/v1/chat/completions", json={"appId": "a" * 24, "messages": [{"role": "user", "content": "a"}]}
        )
    assert long_id.status_code == 400
    assert "1024" in long_id.json()["message"]
    assert bad_part.status_code == 400
    assert "video" in bad_part.json()["message"]
    assert bad_role.status_code == 400
    assert unknown_app.status_code == 404
    assert unknown_app.json()["statusText"] == "appUnExist"
    with server.root as client:
        team_key = client.post("/api/support/openapi/create", json={"name": "team"}).json()["data"]
    with server.client(team_key) as client:
        no_app = client.post("/api/v1/chat/completions", json={"messages": [{"role": "user", "content": "a"}]})
        by_suffix = client.post(
            "/api/v1/chat/completions",
            headers={"Authorization": f"Bearer {team_key}-{server.app_id}"},
            json={"messages": [{"role": "user", "content": "suffix"}]},
        )
        by_body = client.post(
            "/api/v1/chat/completions", json={"appId": server.app_id, "messages": [{"role": "user", "content": "b"}]}
        )
    assert no_app.status_code == 400
    assert "app key rather than the account key" in no_app.json()["message"]
    assert by_suffix.status_code == 200
    assert by_body.status_code == 200


def test_image_data_url_is_accepted(server: LiveServer) -> None:
    with server.client(server.app_key) as client:
        response = client.post(
            "/api/v1/chat/completions",
            json={
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "what is this"},
                            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                        ],
                    }
                ]
            },
        )
    assert response.status_code == 200
