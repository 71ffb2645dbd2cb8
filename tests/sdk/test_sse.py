"""The incremental SSE decoder: line ends, chunk boundaries, comments and FastGPT's framings."""

from __future__ import annotations

import pytest

from fastgpt_client._sse import ServerSentEvent, SSEDecoder, decode_sse


def test_bare_data_frames_have_no_event_name() -> None:
    events = decode_sse([b'data: {"a":1}\n\ndata: {"a":2}\n\n'])
    assert events == [ServerSentEvent(data='{"a":1}'), ServerSentEvent(data='{"a":2}')]


def test_named_event_pairs() -> None:
    events = decode_sse([b'event: answer\ndata: {"x":1}\n\nevent: flowNodeStatus\ndata: {"status":"running"}\n\n'])
    assert [(event.event, event.data) for event in events] == [
        ("answer", '{"x":1}'),
        ("flowNodeStatus", '{"status":"running"}'),
    ]


def test_fields_without_space_after_colon() -> None:
    events = decode_sse([b"event:answer\ndata:{}\n\n"])
    assert events == [ServerSentEvent(data="{}", event="answer")]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(newline: bytes) -> None:
    body = newline.join([b"event: answer", b"data: 1", b"", b"data: 2", b"", b""])
    assert [(event.event, event.data) for event in decode_sse([body])] == [("answer", "1"), (None, "2")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    out = decoder.feed(b"data: 1\r")
    out += decoder.feed(b"\n\r")
    out += decoder.feed(b"\ndata: 2\r\n\r\n")
    out += decoder.flush()
    assert [event.data for event in out] == ["1", "2"]


def test_multibyte_utf8_split_between_chunks() -> None:
    payload = 'data: {"content":"电影"}\n\n'.encode()
    chunks = [payload[index : index + 1] for index in range(len(payload))]
    assert decode_sse(chunks) == [ServerSentEvent(data='{"content":"电影"}')]


def test_comments_are_ignored_and_multiline_data_joined() -> None:
    events = decode_sse([b": keep-alive\n\ndata: line one\ndata: line two\nid: 7\nretry: 300\n\n"])
    assert events == [ServerSentEvent(data="line one\nline two", id="7", retry=300)]


def test_pending_event_is_dispatched_at_end_of_stream() -> None:
    assert decode_sse([b"event: answer\ndata: [DONE]"]) == [ServerSentEvent(data="[DONE]", event="answer")]


def test_event_line_without_blank_separator_starts_a_new_frame() -> None:
    events = decode_sse([b"event: answer\ndata: 1\nevent: flowResponses\ndata: []\n\n"])
    assert [(event.event, event.data) for event in events] == [("answer", "1"), ("flowResponses", "[]")]


def test_event_name_without_data_dispatches_empty_data() -> None:
    assert decode_sse([b"event: answer\n\n"]) == [ServerSentEvent(data="", event="answer")]


def test_unknown_fields_ignored() -> None:
    assert decode_sse([b"foo: bar\ndata: x\n\n"]) == [ServerSentEvent(data="x")]
