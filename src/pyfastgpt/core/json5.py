"""JSON5 text as people type it (FastGPT parses such inputs with the `json5` package).

Strict JSON first (the common case, and the fastest parser); then `pyjson5`, a complete JSON5 parser
(bare keys in any script, single quotes, trailing commas, comments, hex numbers, NaN/Infinity).
Every failure is a `ValueError`.
"""

from __future__ import annotations

import json
from typing import Any

import pyjson5


def parse_json5(text: str) -> Any:
    """Parse JSON or JSON5 text; raises `ValueError` when it is neither."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return pyjson5.decode(text)
    except pyjson5.Json5Exception as exc:
        raise ValueError(f"invalid JSON5: {exc.message}") from None
