"""What FastGPT does with one corpus app for one chat round, and the check of a run against it.

An `AppCase` names the corpus file, the question, the variables (plugin inputs for plugin apps),
the scripted fake-LLM replies, which HTTP nodes are pointed at the local stand-in (`http_urls`:
node id → stand-in path, written into `system_httpReqUrl`), and the expected outcome: nodes that
ran or did not, node errors FastGPT would also raise offline (node id → error substring, "" for
any), answer text, node response values and the requests the stand-in received. `{stub}` in a
variable is replaced by the stand-in's base URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fake_llm import Reply
from tests.workflow.apps.fastgpt.corpus import StubCall, StubServer, answer_text, flatten_responses, node_error


@dataclass(frozen=True)
class Contains:
    """A value (text, or anything as JSON) containing every one of `parts`."""

    parts: tuple[str, ...]

    def __call__(self, value: Any) -> bool:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return all(part in text for part in self.parts)


def contains(*parts: str) -> Contains:
    return Contains(parts)


@dataclass(frozen=True)
class Check:
    """A named predicate, so a failed expectation says what was expected."""

    description: str
    predicate: Callable[[Any], bool] = field(repr=False)

    def __call__(self, value: Any) -> bool:
        return bool(self.predicate(value))

    def __repr__(self) -> str:
        return self.description


@dataclass(frozen=True)
class Matches:
    pattern: str

    def __call__(self, value: Any) -> bool:
        return isinstance(value, str) and re.search(self.pattern, value) is not None


@dataclass(frozen=True)
class StubExpectation:
    """A request the stand-in must have received: method, path, and optional body/query checks."""

    path: str
    method: str = "POST"
    body: Any = None  # exact JSON, or a predicate over the raw body text
    query: Mapping[str, str] = field(default_factory=dict)
    check: Callable[[StubCall], bool] | None = None


@dataclass(frozen=True)
class AppCase:
    name: str
    exercises: str
    question: str = "你好"
    variables: Mapping[str, Any] = field(default_factory=dict)
    replies: tuple[Reply, ...] = ()
    http_urls: Mapping[str, str] = field(default_factory=dict)
    ran: tuple[str, ...] = ()
    not_ran: tuple[str, ...] = ()
    errors: Mapping[str, str] = field(default_factory=dict)
    answer: tuple[str, ...] = ()  # substrings of the answer, in this order
    outputs: Mapping[tuple[str, str], Any] = field(default_factory=dict)  # (node id, response key)
    llm_calls: int | None = None
    llm_saw: tuple[str, ...] = ()  # substrings of the messages sent to the model
    stub_calls: tuple[StubExpectation, ...] = ()
    offline_note: str = ""  # what FastGPT itself would do without the stand-in


def _matches(expected: Any, actual: Any) -> bool:
    return bool(expected(actual)) if callable(expected) else expected == actual


def _in_order(text: str, parts: tuple[str, ...]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _messages_text(body: dict[str, Any]) -> str:
    return json.dumps(body.get("messages") or [], ensure_ascii=False)


def _stub_problems(expectation: StubExpectation, stub: StubServer) -> list[str]:
    calls = [c for c in stub.recorded(expectation.path) if c.method == expectation.method]
    if not calls:
        seen = [f"{c.method} {c.path}" for c in stub.calls]
        return [f"stand-in got no {expectation.method} {expectation.path} (got {seen})"]
    call = calls[0]
    problems: list[str] = []
    if expectation.body is not None:
        if callable(expectation.body):
            ok = bool(expectation.body(call.body))
        else:
            try:
                ok = call.json() == expectation.body
            except ValueError:
                ok = False
        if not ok:
            problems.append(f"{expectation.path} body {call.body!r} does not match {expectation.body!r}")
    for key, value in expectation.query.items():
        if call.query.get(key) != value:
            problems.append(f"{expectation.path} query {key}={call.query.get(key)!r}, expected {value!r}")
    if expectation.check is not None and not expectation.check(call):
        problems.append(f"{expectation.path} request failed its check: {call}")
    return problems


def check_run(case: AppCase, body: dict[str, Any], llm_requests: list[dict[str, Any]], stub: StubServer) -> list[str]:
    """Every way the completion `body` differs from what FastGPT does (empty when it matches)."""
    problems: list[str] = []
    responses = flatten_responses(body.get("responseData"))
    by_node: dict[str, list[dict[str, Any]]] = {}
    for response in responses:
        by_node.setdefault(str(response.get("nodeId")), []).append(response)
    for node_id in case.ran:
        if node_id not in by_node:
            problems.append(f"node {node_id} did not run (ran: {list(by_node)})")
    for node_id in case.not_ran:
        if node_id in by_node:
            problems.append(f"node {node_id} ran but FastGPT skips it")
    for node_id, items in by_node.items():
        errors = [e for e in (node_error(r) for r in items) if e]
        expected = case.errors.get(node_id)
        if expected is None and errors:
            name = items[0].get("moduleName")
            problems.append(f"node {node_id} ({name}, {items[0].get('moduleType')}) failed: {errors[0][:300]}")
        elif expected is not None and not any(expected in e for e in errors):
            problems.append(f"node {node_id} should fail with {expected!r}, got {errors or 'no error'}")
    for node_id in case.errors:
        if node_id not in by_node:
            problems.append(f"node {node_id} should fail but did not run")
    for (node_id, key), expected in case.outputs.items():
        values = [r[key] for r in by_node.get(node_id, []) if key in r]
        if not values:
            problems.append(f"node {node_id} response has no {key!r}")
        elif not any(_matches(expected, v) for v in values):
            problems.append(f"node {node_id} {key} = {values[0]!r:.400}, expected {expected!r:.200}")
    content = answer_text(((body.get("choices") or [{}])[0].get("message") or {}).get("content"))
    if case.answer and not _in_order(content, case.answer):
        problems.append(f"answer {content!r:.500} lacks {case.answer!r:.300}")
    if case.llm_calls is not None and len(llm_requests) != case.llm_calls:
        problems.append(f"{len(llm_requests)} model calls, FastGPT makes {case.llm_calls}")
    sent = "\n".join(_messages_text(r) for r in llm_requests)
    for part in case.llm_saw:
        if json.dumps(part, ensure_ascii=False)[1:-1] not in sent:
            problems.append(f"no model request contained {part!r}")
    for expectation in case.stub_calls:
        problems.extend(_stub_problems(expectation, stub))
    return problems
