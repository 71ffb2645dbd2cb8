"""OpenAI-style request messages ↔ FastGPT chat items (`GPTMessages2Chats`) and value-part helpers."""

from __future__ import annotations

from typing import Any

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.workflow.chat_values import ROLE_TO_OBJ, message_to_item


def messages_to_items(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Request messages → chat items `{obj, value}`; tool messages are folded away as FastGPT does."""
    items: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise InvalidRequest(f"messages[{index}] must be an object")
        role = message.get("role")
        if role == "tool" or role == "function":
            continue
        if str(role) not in ROLE_TO_OBJ:
            raise InvalidRequest(
                f"messages[{index}].role '{role}' is not one of system, user, assistant, developer, tool"
            )
        reasoning = message.get("reasoning_content")
        item = message_to_item(
            str(role),
            message.get("content"),
            reasoning=str(reasoning) if reasoning else None,
            tool_calls=bool(message.get("tool_calls")),
        )
        if item is None:
            continue
        if message.get("dataId"):
            item["dataId"] = str(message["dataId"])
        items.append(item)
    return items


def title_from(value: list[dict[str, Any]], *, fallback: str = "") -> str:
    """FastGPT 4.11: the first 20 characters of the question's first text part."""
    for part in value:
        if part.get("type") == "text" and isinstance(part.get("text"), dict):
            text = str(part["text"].get("content", "")).strip()
            if text:
                return text[:20]
    return fallback[:20]


def answer_interactive(value: list[dict[str, Any]], answer: str) -> list[dict[str, Any]]:
    """Record the user's answer in the pending interaction of a stored AI value (`updateInteractiveChat`)."""
    import json

    updated = [dict(part) for part in value]
    for index in range(len(updated) - 1, -1, -1):
        interactive = updated[index].get("interactive")
        if not isinstance(interactive, dict):
            continue
        interactive = json.loads(json.dumps(interactive))
        target = interactive
        while target.get("type") in ("childrenInteractive", "loopInteractive", "toolChildrenInteractive"):
            child = (target.get("params") or {}).get("childrenResponse")
            if not isinstance(child, dict):
                break
            target = child
        params = target.setdefault("params", {})
        if target.get("type") == "userSelect":
            params["userSelectedVal"] = answer
        elif target.get("type") in ("userInput", "formInput"):
            try:
                given = json.loads(answer)
            except ValueError:
                given = {}
            if isinstance(given, dict):
                for form_item in params.get("inputForm") or []:
                    for name in (form_item.get("key"), form_item.get("label")):
                        if name in given:
                            form_item["value"] = given[name]
                            break
            params["submitted"] = True
        updated[index] = {**updated[index], "interactive": interactive}
        break
    return updated
