"""FastGPT chat value parts <-> model messages (`packages/global/core/chat/adapt.ts`)."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ToolCall

ChatItem = dict[str, Any]  # {"obj": "Human"|"AI"|"System", "value": [parts], "dataId"?}


def value_text(value: list[dict[str, Any]] | None, separator: str = "\n") -> str:
    """The text parts of a chat value, joined by `separator` (a part with `text` but no `type` counts)."""
    return separator.join(
        str(part["text"].get("content") or "")
        for part in value or []
        if part.get("type", "text") == "text" and isinstance(part.get("text"), dict)
    )


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


def messages_to_chats(messages: list[ChatMessage]) -> list[ChatItem]:
    """`GPTMessages2Chats` (enough for node `history` outputs and previews)."""
    items: list[ChatItem] = []
    for message in messages:
        if message.role == "system":
            items.append({"obj": "System", "value": [{"type": "text", "text": {"content": _text(message)}}]})
        elif message.role == "user":
            items.append({"obj": "Human", "value": _user_value(message.content)})
        elif message.role == "assistant":
            value: list[dict[str, Any]] = []
            if message.reasoning_content:
                value.append({"type": "reasoning", "reasoning": {"content": message.reasoning_content}})
            if message.content:
                value.append({"type": "text", "text": {"content": _text(message)}})
            if value or not message.tool_calls:
                items.append({"obj": "AI", "value": value or [{"type": "text", "text": {"content": ""}}]})
    return items


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    if isinstance(message.content, list):
        return "".join(str(p.get("text", "")) for p in message.content if p.get("type") == "text")
    return ""


def _user_value(content: str | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if isinstance(content, str) or content is None:
        return [{"type": "text", "text": {"content": content or ""}}]
    value: list[dict[str, Any]] = []
    for part in content:
        if part.get("type") == "text":
            value.append({"type": "text", "text": {"content": part.get("text", "")}})
        elif part.get("type") == "image_url":
            url = (part.get("image_url") or {}).get("url", "")
            value.append({"type": "file", "file": {"type": "image", "name": "", "url": url}})
        elif part.get("type") == "file_url":
            value.append(
                {"type": "file", "file": {"type": "file", "name": part.get("name", ""), "url": part.get("url", "")}}
            )
    return value


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
