"""Helpers for sending images in chat messages (OpenAI-style ``image_url`` content parts).

An image is sent either inline, as a ``data:<mime>;base64,<payload>`` URL, or as a hosted URL
obtained by uploading it (``image_input_mode="upload"`` on ``create_chat_completion``).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from pathlib import Path
from typing import Any

_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(?:;[^;,]*)*?);base64,(?P<payload>.*)$", re.S)


def encode_image_data_url(data: bytes, mime_type: str = "image/jpeg") -> str:
    """``data:<mime_type>;base64,…`` for raw image bytes."""
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


def is_data_url(value: object) -> bool:
    """Whether ``value`` is an inline base64 data URL."""
    return isinstance(value, str) and _DATA_URL.match(value.strip()) is not None


def decode_data_url(data_url: str) -> tuple[str, bytes]:
    """``(mime_type, raw_bytes)`` of a base64 data URL; ``ValueError`` if it is not one."""
    match = _DATA_URL.match(data_url.strip())
    if match is None:
        raise ValueError("not a base64 data URL")
    payload = re.sub(r"\s+", "", match.group("payload"))
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"invalid base64 payload: {exc}") from exc
    return match.group("mime") or "application/octet-stream", raw


def image_url_part(url: str) -> dict[str, Any]:
    """An OpenAI-style content part: ``{"type": "image_url", "image_url": {"url": url}}``."""
    return {"type": "image_url", "image_url": {"url": url}}


def image_part_from_bytes(data: bytes, mime_type: str = "image/jpeg") -> dict[str, Any]:
    """A content part holding ``data`` inline as a base64 data URL."""
    return image_url_part(encode_image_data_url(data, mime_type))


def image_part_from_path(path: str | Path, mime_type: str | None = None) -> dict[str, Any]:
    """A content part holding the file at ``path`` inline (MIME type guessed from its name)."""
    file_path = Path(path)
    guessed = mime_type or mimetypes.guess_type(file_path.name)[0] or "image/jpeg"
    return image_part_from_bytes(file_path.read_bytes(), guessed)


__all__ = [
    "decode_data_url",
    "encode_image_data_url",
    "image_part_from_bytes",
    "image_part_from_path",
    "image_url_part",
    "is_data_url",
]
