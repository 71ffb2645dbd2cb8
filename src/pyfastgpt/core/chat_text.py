"""The text of a FastGPT chat value or an OpenAI message content: one reading for every layer."""

from __future__ import annotations

from typing import Any


def value_text(value: Any, separator: str = "\n") -> str:
    """The text parts of `value`, joined by `separator`.

    `value` is a chat value (`[{"type": "text", "text": {"content": …}}, …]`; a part with `text` but no
    `type` counts), an OpenAI content part list (`[{"type": "text", "text": "…"}]`), a plain string, or
    None. Files, reasoning, tool and interactive parts have no text here.
    """
    if isinstance(value, str):
        return value
    texts: list[str] = []
    for part in value or []:
        if not isinstance(part, dict) or part.get("type", "text") != "text":
            continue
        text = part.get("text")
        if isinstance(text, dict):
            texts.append(str(text.get("content") or ""))
        elif isinstance(text, str):
            texts.append(text)
    return separator.join(texts)
