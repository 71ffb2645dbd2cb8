"""``fastgpt chat``: stream answers; when the workflow asks (select / form), ask the user."""

from __future__ import annotations

import argparse
import json
import uuid
from typing import Any, TextIO

from fastgpt_client._sync._client import FastGPTClient
from fastgpt_client._sync._streaming import Stream
from fastgpt_client.stream_types import (
    AnswerEvent,
    ErrorEvent,
    FastAnswerEvent,
    FastGPTInteractiveEvent,
    FlowNodeStatusEvent,
    StreamEvent,
)


def parse_variables(pairs: list[str]) -> dict[str, Any]:
    """``["k=v", "n=3"]`` → ``{"k": "v", "n": 3}`` (values that parse as JSON are decoded)."""
    variables: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"fastgpt: --var expects KEY=VALUE, got {pair!r}")
        try:
            variables[key] = json.loads(value)
        except ValueError:
            variables[key] = value
    return variables


def print_stream(
    stream: Stream[StreamEvent], stdout: TextIO, stderr: TextIO, detail: bool
) -> FastGPTInteractiveEvent | None:
    """Print answer text as it arrives; return the interactive pause, if the run stopped at one."""
    pending: FastGPTInteractiveEvent | None = None
    with stream:
        for event in stream:
            if isinstance(event, AnswerEvent | FastAnswerEvent):
                stdout.write(event.content)
                stdout.flush()
            elif isinstance(event, FlowNodeStatusEvent) and detail:
                stderr.write(f"[{event.status}] {event.name}\n")
            elif isinstance(event, ErrorEvent):
                stderr.write(f"\nerror: {event.message}\n")
            elif isinstance(event, FastGPTInteractiveEvent):
                pending = event
    stdout.write("\n")
    return pending


def ask_interactive(event: FastGPTInteractiveEvent, stdin: TextIO, stdout: TextIO) -> dict[str, Any] | str | None:
    """Prompt for a select choice (returns the value) or form values (returns a dict)."""
    if event.description:
        stdout.write(f"{event.description}\n")
    if event.options:
        for number, option in enumerate(event.options, 1):
            stdout.write(f"  {number}. {option.get('value')}\n")
        stdout.write("choose> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return None
        answer = line.strip()
        if answer.isdigit() and 1 <= int(answer) <= len(event.options):
            return str(event.options[int(answer) - 1].get("value"))
        return answer
    values: dict[str, Any] = {}
    for field in event.form:
        key = str(field.get("key") or field.get("label"))
        stdout.write(f"{field.get('label') or key}{' *' if field.get('required') else ''}> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return None
        text = line.rstrip("\n")
        if text:
            values[key] = float(text) if field.get("valueType") == "number" else text
    return values


def run_chat(client: FastGPTClient, args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    chat_id = args.chat_id or uuid.uuid4().hex
    variables = parse_variables(args.var)
    common: dict[str, Any] = {"chat_id": chat_id, "detail": True}
    if args.app_id:
        common["app_id"] = args.app_id
    if variables:
        common["variables"] = variables
    message: str | None = args.message
    one_shot = message is not None
    if not one_shot:
        stderr.write(f"chat {chat_id} (empty line or Ctrl-D to quit)\n")
    while True:
        if not one_shot:
            stdout.write("you> ")
            stdout.flush()
            line = stdin.readline()
            message = line.strip() if line else ""
            if not message:
                return 0
        stream = client.chat.completions.create(messages=[{"role": "user", "content": message}], stream=True, **common)
        pending = print_stream(stream, stdout, stderr, args.detail)
        while pending is not None:
            reply = ask_interactive(pending, stdin, stdout)
            if reply is None:
                return 0
            if isinstance(reply, dict):
                stream = client.chat.interactive.submit_form(chat_id=chat_id, values=reply, event=pending)
            else:
                stream = client.chat.interactive.answer_select(chat_id=chat_id, choice=reply, event=pending)
            pending = print_stream(stream, stdout, stderr, args.detail)
        if one_shot:
            return 0
