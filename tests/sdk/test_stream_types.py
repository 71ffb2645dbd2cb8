"""Typed stream events and the Stream objects over real httpx responses."""

from __future__ import annotations

import json

import httpx
import pytest

from fastgpt_client import AsyncStream, FastGPTInteractiveEvent, Stream, StreamParseError
from fastgpt_client._sse import ServerSentEvent, decode_sse
from fastgpt_client.stream_types import (
    AnswerEvent,
    ChatTitleEvent,
    DoneEvent,
    ErrorEvent,
    FastAnswerEvent,
    FlowNodeResponseEvent,
    FlowNodeStatusEvent,
    FlowResponsesEvent,
    StreamSummary,
    ToolCallEvent,
    ToolParamsEvent,
    ToolResponseEvent,
    UnknownEvent,
    UpdateVariablesEvent,
    WorkflowDurationEvent,
    form_answer,
    parse_event,
    select_answer,
)
from fastgpt_client.streaming import aiter_stream_events, iter_stream_events


def chunk(content: str | None, finish: str | None = None) -> str:
    delta = {} if content is None else {"role": "assistant", "content": content}
    return json.dumps(
        {
            "id": "",
            "object": "",
            "created": 0,
            "model": "",
            "choices": [{"delta": delta, "index": 0, "finish_reason": finish}],
        },
        ensure_ascii=False,
    )


PLAIN_STREAM = (
    f"data: {chunk('电')}\n\ndata: {chunk('影')}\n\ndata: {chunk(None, 'stop')}\n\ndata: [DONE]\n\n"
).encode()

DETAIL_STREAM = (
    'event: flowNodeStatus\ndata: {"status":"running","name":"AI 对话"}\n\n'
    f"event: answer\ndata: {chunk('Hello')}\n\n"
    f"event: fastAnswer\ndata: {chunk(' world')}\n\n"
    'event: toolCall\ndata: {"tool":{"id":"t1","toolName":"search","params":"","response":""}}\n\n'
    'event: toolParams\ndata: {"tool":{"id":"t1","params":"{\\"q\\":1}"}}\n\n'
    'event: toolResponse\ndata: {"tool":{"id":"t1","response":"ok"}}\n\n'
    'event: updateVariables\ndata: {"city":"Paris"}\n\n'
    'event: flowNodeResponse\ndata: {"nodeId":"n1","moduleType":"chatNode"}\n\n'
    'event: workflowDuration\ndata: {"durationSeconds":1.5}\n\n'
    'event: chatTitle\ndata: {"title":"Greeting"}\n\n'
    f"event: answer\ndata: {chunk(None, 'stop')}\n\n"
    "event: answer\ndata: [DONE]\n\n"
    'event: flowResponses\ndata: [{"moduleName":"AI 对话","moduleType":"chatNode"}]\n\n'
).encode()


def events_of(body: bytes) -> list[object]:
    return [event for sse in decode_sse([body]) if (event := parse_event(sse)) is not None]


def test_plain_framing_yields_answers_then_done() -> None:
    events = events_of(PLAIN_STREAM)
    assert [type(event) for event in events] == [AnswerEvent, AnswerEvent, AnswerEvent, DoneEvent]
    answers = [event for event in events if isinstance(event, AnswerEvent)]
    assert "".join(event.content for event in answers) == "电影"
    assert answers[-1].finish_reason == "stop"
    assert all(event.raw_event is None for event in events)


def test_detail_framing_maps_every_named_event() -> None:
    events = events_of(DETAIL_STREAM)
    kinds = [event.event for event in events]  # type: ignore[attr-defined]
    assert kinds == [
        "flowNodeStatus", "answer", "fastAnswer", "toolCall", "toolParams", "toolResponse", "updateVariables",
        "flowNodeResponse", "workflowDuration", "chatTitle", "answer", "done", "flowResponses",
    ]  # fmt: skip
    status, _, fast, call, params, tool_response, variables, node, duration, title, _, done, responses = events
    assert isinstance(status, FlowNodeStatusEvent) and (status.status, status.name) == ("running", "AI 对话")
    assert isinstance(fast, FastAnswerEvent) and fast.content == " world"
    assert isinstance(call, ToolCallEvent) and (call.tool_id, call.tool_name) == ("t1", "search")
    assert isinstance(params, ToolParamsEvent) and json.loads(params.params) == {"q": 1}
    assert isinstance(tool_response, ToolResponseEvent) and tool_response.response == "ok"
    assert isinstance(variables, UpdateVariablesEvent) and variables.variables == {"city": "Paris"}
    assert isinstance(node, FlowNodeResponseEvent) and node.response["nodeId"] == "n1"
    assert isinstance(duration, WorkflowDurationEvent) and duration.duration_seconds == 1.5
    assert isinstance(title, ChatTitleEvent) and title.title == "Greeting"
    assert isinstance(done, DoneEvent) and done.raw_event == "answer"
    assert isinstance(responses, FlowResponsesEvent) and responses.responses[0]["moduleType"] == "chatNode"


def test_error_event_shapes() -> None:
    fastgpt_style = parse_event(ServerSentEvent(data='{"message":"boom"}', event="error"))
    openai_style = parse_event(ServerSentEvent(data='{"error":{"message":"bad","type":"x"}}', event="error"))
    envelope = parse_event(ServerSentEvent(data='{"code":514,"statusText":"unAuthApiKey","message":""}', event="error"))
    text = parse_event(ServerSentEvent(data="plain failure", event="error"))
    bare = parse_event(ServerSentEvent(data='{"error":{"message":"nameless"}}'))
    assert [event.message for event in (fastgpt_style, openai_style, envelope, text, bare)] == [  # type: ignore[union-attr]
        "boom", "bad", "unAuthApiKey", "plain failure", "nameless",
    ]  # fmt: skip
    assert all(isinstance(event, ErrorEvent) for event in (fastgpt_style, openai_style, envelope, text, bare))


def test_keepalive_without_data_is_skipped_and_bad_json_raises() -> None:
    assert parse_event(ServerSentEvent(data="", event="answer")) is None
    with pytest.raises(StreamParseError):
        parse_event(ServerSentEvent(data="{not json", event="answer"))


def test_unknown_event_keeps_its_name() -> None:
    event = parse_event(ServerSentEvent(data='{"plan":1}', event="plan"))
    assert isinstance(event, UnknownEvent) and event.raw_event == "plan" and event.data == {"plan": 1}


SELECT = {"interactive": {"type": "userSelect", "params": {"description": "Sure?", "userSelectOptions": [
    {"key": "option1", "value": "Confirm"}, {"key": "option2", "value": "Cancel"}]}}}  # fmt: skip
FORM = {"interactive": {"type": "userInput", "params": {"description": "Fill", "inputForm": [
    {"type": "input", "key": "name", "label": "Name", "required": True, "defaultValue": ""},
    {"type": "numberInput", "key": "age", "label": "Age", "required": False, "defaultValue": 18}]}}}  # fmt: skip


def test_interactive_select_accessors_and_answer() -> None:
    event = parse_event(ServerSentEvent(data=json.dumps(SELECT), event="interactive"))
    assert isinstance(event, FastGPTInteractiveEvent)
    assert event.interaction_type == "userSelect" and event.description == "Sure?"
    assert [option["value"] for option in event.options] == ["Confirm", "Cancel"]
    assert event.select_answer("option2") == "Cancel"
    assert event.select_answer("Confirm") == "Confirm"
    with pytest.raises(ValueError, match="not one of the options"):
        event.select_answer("Maybe")


def test_interactive_form_answer_fills_defaults_and_checks_required() -> None:
    event = parse_event(ServerSentEvent(data=json.dumps(FORM), event="interactive"))
    assert isinstance(event, FastGPTInteractiveEvent) and event.interaction_type == "userInput"
    assert [field["key"] for field in event.form] == ["name", "age"]
    assert json.loads(event.form_answer({"Name": "Ada"})) == {"name": "Ada", "age": 18}
    with pytest.raises(ValueError, match="name"):
        event.form_answer({"age": 3})


def test_answer_helpers_without_a_paused_event() -> None:
    assert select_answer([], "anything") == "anything"
    assert json.loads(form_answer([], {"a": 1})) == {"a": 1}


def test_bare_interactive_payload_is_recognised() -> None:
    event = parse_event(ServerSentEvent(data=json.dumps(SELECT)))
    assert isinstance(event, FastGPTInteractiveEvent)


def test_summary_collects_text_title_variables_and_responses() -> None:
    summary = StreamSummary()
    for event in events_of(DETAIL_STREAM):
        summary.add(event)  # type: ignore[arg-type]
    assert summary.text == "Hello world"
    assert summary.done and summary.title == "Greeting"
    assert summary.variables == {"city": "Paris"}
    assert [item["moduleType"] for item in summary.node_responses] == ["chatNode", "chatNode"]
    assert summary.node_statuses == ["AI 对话"]


def streaming_response(body: bytes, *, chunk_size: int = 7) -> httpx.Response:
    parts = [body[index : index + chunk_size] for index in range(0, len(body), chunk_size)]
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=httpx.ByteStream(b"".join(parts)))


def test_sync_stream_iterates_and_closes() -> None:
    response = streaming_response(DETAIL_STREAM)
    stream = Stream(response, parse_event)
    with stream:
        kinds = [event.event for event in stream]
    assert kinds[-2:] == ["done", "flowResponses"]
    assert response.is_closed


async def test_async_stream_iterates_and_closes() -> None:
    body = DETAIL_STREAM

    class Body(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for index in range(0, len(body), 5):
                yield body[index : index + 5]

    response = httpx.Response(200, stream=Body())
    stream = AsyncStream(response, parse_event)
    async with stream:
        text = "".join([event.content async for event in stream if isinstance(event, AnswerEvent | FastAnswerEvent)])
    assert text == "Hello world"
    assert response.is_closed


def test_seed_helper_iter_stream_events() -> None:
    events = list(iter_stream_events(streaming_response(PLAIN_STREAM)))
    assert isinstance(events[-1], DoneEvent)


async def test_seed_helper_aiter_stream_events() -> None:
    class Body(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield PLAIN_STREAM

    events = [event async for event in aiter_stream_events(httpx.Response(200, stream=Body()))]
    assert [event.event for event in events] == ["answer", "answer", "answer", "done"]


def test_sync_stream_closed_early_releases_the_response() -> None:
    response = streaming_response(DETAIL_STREAM)
    with Stream(response, parse_event) as stream:
        first = next(iter(stream))
    assert isinstance(first, FlowNodeStatusEvent) and response.is_closed
    stream.close()  # idempotent
    assert list(stream) == []


async def test_async_stream_closed_early_releases_the_response() -> None:
    class Body(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield DETAIL_STREAM

    response = httpx.Response(200, stream=Body())
    async with AsyncStream(response, parse_event) as stream:
        first = await stream.__anext__()
    assert isinstance(first, FlowNodeStatusEvent) and response.is_closed
    await stream.close()
    assert [event async for event in stream] == []
