"""OpenAI-style request messages ↔ FastGPT chat items (`GPTMessages2Chats`) and value-part helpers."""

from __future__ import annotations

from typing import Any

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.workflow.chat_values import value_text

ROLE_TO_OBJ = {"user": "Human", "assistant": "AI", "system": "System", "developer": "System"}


def _file_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if tail and not url.startswith("data:") else "image"


def content_to_parts(content: Any, *, role: str) -> list[dict[str, Any]]:
    """One message's `content` (string or parts) → FastGPT value parts (4.11 typed form)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": {"content": content}}]
    if not isinstance(content, list):
        raise InvalidRequest(f"messages[].content must be a string or a list of parts (role {role})")
    parts: list[dict[str, Any]] = []
    for index, part in enumerate(content):
        if not isinstance(part, dict):
            raise InvalidRequest(f"messages[].content[{index}] must be an object")
        kind = part.get("type")
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise InvalidRequest(f"messages[].content[{index}].text must be a string")
            parts.append({"type": "text", "text": {"content": text}})
        elif kind == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            if not isinstance(url, str) or not url.strip():
                raise InvalidRequest(f"messages[].content[{index}].image_url.url must be a non-empty URL")
            parts.append({"type": "file", "file": {"type": "image", "name": _file_name(url), "url": url}})
        elif kind == "file_url":
            url = part.get("url")
            if not isinstance(url, str) or not url:
                raise InvalidRequest(f"messages[].content[{index}].url is required for file_url parts")
            name = part.get("name") if isinstance(part.get("name"), str) else _file_name(url)
            parts.append({"type": "file", "file": {"type": "file", "name": name, "url": url}})
        else:
            raise InvalidRequest(
                f"messages[].content[{index}].type '{kind}' is not supported (text, image_url, file_url)"
            )
    return parts


def messages_to_items(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Request messages → chat items `{obj, value}`; tool messages are folded away as FastGPT does."""
    items: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise InvalidRequest(f"messages[{index}] must be an object")
        role = message.get("role")
        if role == "tool" or role == "function":
            continue
        obj = ROLE_TO_OBJ.get(str(role))
        if obj is None:
            raise InvalidRequest(
                f"messages[{index}].role '{role}' is not one of system, user, assistant, developer, tool"
            )
        value = content_to_parts(message.get("content"), role=str(role))
        if obj == "AI" and message.get("reasoning_content"):
            value.insert(0, {"type": "reasoning", "reasoning": {"content": str(message["reasoning_content"])}})
        if message.get("dataId"):
            items.append({"obj": obj, "value": value, "dataId": str(message["dataId"])})
        else:
            items.append({"obj": obj, "value": value})
    return items


text_of = value_text  # all text parts of a value, joined by newlines


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
