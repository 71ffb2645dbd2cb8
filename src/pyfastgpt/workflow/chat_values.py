"""FastGPT chat value parts <-> model messages (`packages/global/core/chat/adapt.ts`)."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ToolCall
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.errors import InvalidRequest

ChatItem = dict[str, Any]  # {"obj": "Human"|"AI"|"System", "value": [parts], "dataId"?}

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


def prompt_from_value(value: list[dict[str, Any]] | None) -> tuple[str, list[dict[str, Any]]]:
    """`chatValue2RuntimePrompt`: concatenated text and the file parts' `file` objects."""
    files = [item["file"] for item in value or [] if item.get("type") == "file" and item.get("file")]
    return value_text(value, ""), files


def value_from_prompt(text: str, files: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`runtimePrompt2ChatsValue`."""
    value: list[dict[str, Any]] = [{"type": "file", "file": file} for file in files or []]
    if text:
        value.append({"type": "text", "text": {"content": text}})
    return value


def system_item(prompt: str) -> list[ChatItem]:
    if not prompt:
        return []
    return [{"obj": "System", "value": [{"type": "text", "text": {"content": prompt}}]}]


def select_histories(history: Any, histories: list[ChatItem]) -> list[ChatItem]:
    """`getHistories`: a chatHistory reference (list) or the last N rounds (N*2 items)."""
    if not history:
        return []
    if isinstance(history, list):
        return history
    try:
        rounds = int(history)
    except (TypeError, ValueError):
        return []
    if rounds <= 0:
        return []
    split = next((i for i, item in enumerate(histories) if item.get("obj") != "System"), len(histories))
    return histories[:split] + histories[split:][-(rounds * 2) :]


def _user_content(value: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for item in value:
        kind = item.get("type")
        if kind == "text":
            parts.append({"type": "text", "text": (item.get("text") or {}).get("content") or ""})
        elif kind == "file" and item.get("file"):
            file = item["file"]
            if file.get("type") == "image":
                parts.append({"type": "image_url", "image_url": {"url": file.get("url", "")}})
            elif file.get("type") == "file":
                parts.append({"type": "file_url", "name": file.get("name", ""), "url": file.get("url", "")})
    if len(parts) == 1 and parts[0]["type"] == "text":
        return str(parts[0]["text"])
    return parts


def chats_to_messages(items: list[ChatItem], *, reserve_tool: bool = False) -> list[ChatMessage]:
    """`chats2GPTMessages`."""
    messages: list[ChatMessage] = []
    for item in items:
        obj = item.get("obj")
        value = item.get("value") or []
        if obj == "System":
            content = ((value[0] if value else {}).get("text") or {}).get("content")
            if content:
                messages.append(ChatMessage(role="system", content=content))
        elif obj == "Human":
            messages.append(ChatMessage(role="user", content=_user_content(value)))
        else:
            messages.extend(_ai_messages(value, reserve_tool))
    return messages


def _ai_messages(value: list[dict[str, Any]], reserve_tool: bool) -> list[ChatMessage]:
    result: list[ChatMessage] = []
    previous_text = False
    for part in value:
        kind = part.get("type")
        if kind == "tool" and reserve_tool and part.get("tools"):
            calls = [
                ToolCall(id=t.get("id", ""), name=t.get("functionName", ""), arguments=t.get("params", ""))
                for t in part["tools"]
            ]
            result.append(ChatMessage(role="assistant", content=None, tool_calls=calls))
            for tool in part["tools"]:
                result.append(
                    ChatMessage(
                        role="tool",
                        content=str(tool.get("response", "")),
                        tool_call_id=tool.get("id", ""),
                        name=tool.get("functionName"),
                    )
                )
            previous_text = False
        elif kind == "text" and isinstance((part.get("text") or {}).get("content"), str):
            content = part["text"]["content"]
            if not content and len(value) > 1:
                continue
            if previous_text and result and isinstance(result[-1].content, str):
                result[-1].content += content
            else:
                result.append(ChatMessage(role="assistant", content=content))
            previous_text = True
            continue
        elif kind == "interactive":
            text = _interactive_text(part.get("interactive") or {})
            if text:
                result.append(ChatMessage(role="assistant", content=text))
        previous_text = False
    return result or [ChatMessage(role="assistant", content="")]


def _interactive_text(interactive: dict[str, Any]) -> str:
    params = interactive.get("params") or {}
    child = params.get("childrenResponse")
    if isinstance(child, dict):
        return _interactive_text(child)
    return str(params.get("description") or "")


def message_to_item(
    role: str, content: Any, *, reasoning: str | None = None, tool_calls: bool = False
) -> ChatItem | None:
    """`GPTMessages2Chats` for one OpenAI-style message; None for tool results and tool-call-only answers."""
    if role in ("tool", "function"):
        return None
    obj = ROLE_TO_OBJ.get(role)
    if obj is None:
        raise InvalidRequest(f"message role '{role}' is not one of system, user, assistant, developer, tool")
    value = content_to_parts(content, role=role)
    if obj != "AI":
        return {"obj": obj, "value": value}
    if reasoning:
        value.insert(0, {"type": "reasoning", "reasoning": {"content": reasoning}})
    if not value:
        if tool_calls:
            return None
        value = [{"type": "text", "text": {"content": ""}}]
    return {"obj": obj, "value": value}


def messages_to_chats(messages: list[ChatMessage]) -> list[ChatItem]:
    """`GPTMessages2Chats` of a model conversation (node `history` outputs and previews)."""
    items = (
        message_to_item(m.role, m.content, reasoning=m.reasoning_content, tool_calls=bool(m.tool_calls))
        for m in messages
    )
    return [item for item in items if item is not None]


def history_preview(items: list[ChatItem], max_chars: int = 10000) -> list[dict[str, Any]]:
    """`getHistoryPreview`: `{obj, value: <text>}` per item, long texts shortened."""
    preview: list[dict[str, Any]] = []
    for item in items:
        text = ""
        for part in item.get("value") or []:
            if part.get("type") == "text":
                text += str((part.get("text") or {}).get("content") or "")
            elif part.get("type") == "file" and part.get("file"):
                file = part["file"]
                text += f"![{file.get('name', '')}]({file.get('url', '')})" if file.get("type") == "image" else ""
        if len(text) > max_chars:
            text = text[: max_chars // 2] + "\n...\n" + text[-max_chars // 2 :]
        preview.append({"obj": item.get("obj"), "value": text})
    return preview


def max_history_limit(nodes: list[dict[str, Any]]) -> int:
    """`getMaxHistoryLimitFromNodes`: how many chat items to load (largest `history` / `maxContext`
    number input, default 10, times 2)."""
    limit = 10
    for node in nodes:
        for item in node.get("inputs") or []:
            value = item.get("value")
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if item.get("key") in ("history", "maxContext") and is_number:
                limit = max(limit, int(value))
    return limit * 2
