"""Resume messages for FastGPT's interactive nodes (userSelect and userInput forms)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any


def select_answer(options: Iterable[Mapping[str, Any]], choice: str) -> str:
    """The resume message for a ``userSelect`` node: the chosen option's ``value``."""
    known = list(options)
    for option in known:
        if choice in (option.get("value"), option.get("key")):
            return str(option.get("value"))
    if not known:
        return choice
    labels = ", ".join(repr(option.get("value")) for option in known)
    raise ValueError(f"{choice!r} is not one of the options: {labels}")


def form_answer(form: Iterable[Mapping[str, Any]], values: Mapping[str, Any]) -> str:
    """The resume message for a ``userInput`` node: a JSON object keyed by the form keys."""
    answer: dict[str, Any] = {}
    missing: list[str] = []
    used: set[str] = set()
    for item in form:
        key = str(item.get("key") or item.get("label") or "")
        label = str(item.get("label") or key)
        if key in values:
            answer[key] = values[key]
            used.add(key)
        elif label in values:
            answer[key] = values[label]
            used.add(label)
        elif item.get("defaultValue") not in (None, ""):
            answer[key] = item["defaultValue"]
        elif item.get("required"):
            missing.append(key)
    if missing:
        raise ValueError(f"required form fields missing: {', '.join(missing)}")
    answer.update({key: value for key, value in values.items() if key not in used and key not in answer})
    return json.dumps(answer, ensure_ascii=False)
