"""Stored header secrets (`StoreSecretValueType`) to request headers, as FastGPT's `getSecretValue`.

A stored secret maps a header name to `{"value": plain, "secret": encrypted}`. The special names
`Bearer` and `Basic` become an `Authorization` header. Only plain values can be used here: a value
encrypted by another FastGPT server cannot be decrypted, so it ends as a node error asking for the
secret to be entered again.
"""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.node import NodeRunError


def secret_headers(store_secret: Any) -> dict[str, str]:
    if not isinstance(store_secret, dict):
        return {}
    headers: dict[str, str] = {}
    for key, item in store_secret.items():
        if not isinstance(item, dict):
            continue
        value = item.get("value")
        if not value and item.get("secret"):
            raise NodeRunError(f"The header secret '{key}' is encrypted by another server; enter it again")
        text = str(value or "")
        if key == "Bearer":
            headers["Authorization"] = f"Bearer {text}"
        elif key == "Basic":
            headers["Authorization"] = f"Basic {text}"
        else:
            headers[str(key)] = text
    return headers


def custom_headers(value: Any) -> dict[str, str]:
    """`customHeaders` of an HTTP tool set: a JSON object, or its text."""
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise NodeRunError(f"Invalid custom headers: {exc}") from exc
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}
