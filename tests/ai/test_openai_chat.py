"""The OpenAI-compatible chat provider against the fake server: answers, streams and faults."""

from __future__ import annotations

import asyncio
import json

import pytest

from pyfastgpt.ai.errors import ModelError, ModelTimeout
from pyfastgpt.ai.protocols import ChatDelta, ChatMessage, ChatRequest, ToolCall, ToolSpec
from pyfastgpt.ai.providers.transport import RetryPolicy, SseParser
from pyfastgpt.core.errors import UpstreamError
from tests.ai.helpers import ProviderFactory, ask
from tests.fake_llm import FakeLLM, Reply

WEATHER = ToolSpec("get_weather", "Weather of a city", {"type": "object", "properties": {"city": {"type": "string"}}})


async def collect(stream: object) -> list[ChatDelta]:
    return [delta async for delta in stream]  # type: ignore[attr-defined]


async def test_complete_returns_content_usage_and_sends_openai_body(fake: FakeLLM, providers: ProviderFactory) -> None:
    result = await providers.chat().complete(ask("hello there", temperature=0.3, max_tokens=50))
    assert result.content == "echo: hello there"
    assert result.finish_reason == "stop"
    assert result.usage.input_tokens > 0 and result.usage.output_tokens == 4
    body = fake.requests[-1]
    assert body["model"] == "fake-chat" and body["stream"] is False
    assert body["temperature"] == 0.3 and body["max_tokens"] == 50
    assert body["messages"] == [{"role": "user", "content": "hello there"}]
    assert fake.calls[-1].headers["authorization"] == "Bearer sk-test"


async def test_complete_parses_tool_calls_and_reasoning(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(reasoning="need weather", tool_calls=[("get_weather", '{"city":"Paris"}')]))
    request = ask("weather in Paris?", tools=[WEATHER], tool_choice="auto")
    result = await providers.chat().complete(request)
    assert result.tool_calls == [ToolCall(id="call_0", name="get_weather", arguments='{"city":"Paris"}')]
    assert result.reasoning_content == "need weather"
    assert result.finish_reason == "tool_calls"
    sent = fake.requests[-1]
    assert sent["tools"][0]["function"]["name"] == "get_weather" and sent["tool_choice"] == "auto"


async def test_tool_result_messages_round_trip(fake: FakeLLM, providers: ProviderFactory) -> None:
    call = ToolCall(id="call_0", name="get_weather", arguments='{"city":"Paris"}')
    messages = [
        ChatMessage(role="user", content="weather?"),
        ChatMessage(role="assistant", content=None, tool_calls=[call]),
        ChatMessage(role="tool", content="sunny", tool_call_id="call_0"),
    ]
    fake.script(Reply(content="It is sunny."))
    result = await providers.chat().complete(ChatRequest(messages=messages))
    assert result.content == "It is sunny."
    sent = fake.requests[-1]["messages"]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": '{"city":"Paris"}'}
    assert sent[2] == {"role": "tool", "content": "sunny", "tool_call_id": "call_0"}


async def test_rules_answer_by_substring_after_the_queue(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.rule("weather", Reply(content="sunny"))
    fake.script(Reply(content="scripted"))
    model = providers.chat()
    assert (await model.complete(ask("weather?"))).content == "scripted"
    assert (await model.complete(ask("the weather today"))).content == "sunny"
    assert (await model.complete(ask("anything else"))).content == "echo: anything else"


async def test_json_response_format_is_passed_and_answer_kept_verbatim(
    fake: FakeLLM, providers: ProviderFactory
) -> None:
    fake.script(Reply(content='{"answer": 42}'))
    request = ask("give json", response_format={"type": "json_object"})
    result = await providers.chat().complete(request)
    assert json.loads(result.content) == {"answer": 42}
    assert fake.requests[-1]["response_format"] == {"type": "json_object"}


async def test_stream_yields_content_then_final_delta_with_usage(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content="one two three four", chunks=4, usage=(11, 4)))
    deltas = await collect(providers.chat().stream(ask("count")))
    assert "".join(d.content for d in deltas) == "one two three four"
    assert len([d for d in deltas if d.content]) == 4
    assert deltas[-1].finish_reason == "stop"
    assert deltas[-1].usage is not None and (deltas[-1].usage.input_tokens, deltas[-1].usage.output_tokens) == (11, 4)
    assert all(d.finish_reason is None for d in deltas[:-1])
    assert fake.requests[-1]["stream_options"] == {"include_usage": True}


async def test_stream_assembles_tool_call_argument_deltas_and_reasoning(
    fake: FakeLLM, providers: ProviderFactory
) -> None:
    fake.script(Reply(reasoning="let me think", tool_calls=[("get_weather", '{"city":"Paris"}')], chunks=3))
    deltas = await collect(providers.chat().stream(ask("weather?", tools=[WEATHER])))
    assert "".join(d.reasoning_content for d in deltas) == "let me think"
    parts = [part for d in deltas for part in d.tool_calls]
    assert parts[0].id == "call_0" and parts[0].name == "get_weather"
    assert len(parts) > 2
    assert json.loads("".join(p.arguments for p in parts)) == {"city": "Paris"}
    assert deltas[-1].finish_reason == "tool_calls"


async def test_retries_a_500_then_succeeds(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(fault="500"), Reply(content="recovered"))
    assert (await providers.chat().complete(ask("x"))).content == "recovered"
    assert len(fake.requests) == 2


async def test_stream_retries_a_429_before_the_first_byte(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(fault="429", retry_after=0), Reply(content="after the limit"))
    deltas = await collect(providers.chat().stream(ask("x")))
    assert "".join(d.content for d in deltas) == "after the limit"
    assert len(fake.requests) == 2


async def test_retry_after_beyond_the_cap_fails_at_once(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(fault="429", retry_after=3600), Reply(content="never sent"))
    with pytest.raises(ModelError) as caught:
        await providers.chat().complete(ask("x"))
    assert caught.value.upstream_status == 429
    assert len(fake.requests) == 1


async def test_persistent_500_raises_a_typed_upstream_error_after_bounded_retries(
    fake: FakeLLM, providers: ProviderFactory
) -> None:
    fake.script(*[Reply(fault="500")] * 5)
    with pytest.raises(ModelError) as caught:
        await providers.chat().complete(ask("x"))
    error = caught.value
    assert isinstance(error, UpstreamError) and error.status == 502
    assert error.provider == "fake" and error.upstream_status == 500
    assert "fake upstream failure" in error.message
    assert len(fake.requests) == 3  # first try + 2 retries


async def test_client_errors_are_not_retried(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.require_api_key("another-key")
    with pytest.raises(ModelError) as caught:
        await providers.chat().complete(ask("x"))
    assert caught.value.upstream_status == 401
    assert len(fake.requests) == 1


async def test_malformed_sse_raises_instead_of_hanging(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content="a b c", fault="malformed"))
    with pytest.raises(ModelError, match="malformed stream chunk"):
        await collect(providers.chat().stream(ask("x")))
    assert len(fake.requests) == 1


async def test_malformed_json_answer_raises(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(fault="malformed"))
    with pytest.raises(ModelError, match="malformed JSON"):
        await providers.chat().complete(ask("x"))


async def test_disconnect_mid_stream_raises_without_retrying(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content="a b c d e f g h", fault="disconnect"), Reply(content="must not be used"))
    received: list[str] = []

    async def consume() -> None:
        async for delta in providers.chat().stream(ask("x")):
            received.append(delta.content)

    with pytest.raises(ModelError):
        await consume()
    assert received and "".join(received) != "a b c d e f g h"
    assert len(fake.requests) == 1


async def test_disconnect_before_the_body_is_retried_for_complete(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content="lost", fault="disconnect"), Reply(content="second try"))
    assert (await providers.chat().complete(ask("x"))).content == "second try"


async def test_slow_first_byte_times_out_with_a_typed_error(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(*[Reply(content="late", first_byte_delay_s=1.5)] * 2)
    model = providers.chat(timeout_s=0.2, retry=RetryPolicy(max_retries=1, initial_delay_s=0.01))
    with pytest.raises(ModelTimeout):
        await collect(model.stream(ask("x")))
    assert len(fake.requests) == 2


async def test_closing_a_stream_early_closes_the_http_stream(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content=" ".join(["word"] * 200), delay_s=0.02))
    stream = providers.chat().stream(ask("x"))
    first = await stream.__anext__()
    assert first.content
    assert fake.active_streams == 1
    await stream.aclose()
    for _ in range(200):
        if fake.active_streams == 0:
            break
        await asyncio.sleep(0.01)
    assert fake.active_streams == 0


async def test_cancelling_the_consumer_task_closes_the_stream(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script(Reply(content=" ".join(["word"] * 200), delay_s=0.02))
    started = asyncio.Event()

    async def consume() -> None:
        async for _ in providers.chat().stream(ask("x")):
            started.set()

    task = asyncio.create_task(consume())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(200):
        if fake.active_streams == 0:
            break
        await asyncio.sleep(0.01)
    assert fake.active_streams == 0


def test_sse_parser_reassembles_events_split_anywhere() -> None:
    wire = b'event: answer\r\ndata: {"a": 1}\r\n\r\ndata: line one\ndata: line two\n\n: comment\ndata: [DONE]\n\ndata: tail'
    expected = [("answer", '{"a": 1}'), ("message", "line one\nline two"), ("message", "[DONE]"), ("message", "tail")]
    for size in (1, 2, 3, 7, len(wire)):
        parser = SseParser()
        events: list[tuple[str, str]] = []
        for start in range(0, len(wire), size):
            events.extend(parser.feed(wire[start : start + size]))
        events.extend(parser.close())
        assert events == expected, size
