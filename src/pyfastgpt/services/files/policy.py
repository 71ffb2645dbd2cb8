"""What an app lets its chat upload (FastGPT's `fileSelectConfig`) and how uploads are named.

Keys: ``chat/<appId>/<uid>/<chat>/<random>/<filename>`` — the file name stays the last segment,
so the workflow can tell an image from a document by the URL's extension, and the random
segment keeps two uploads of the same name apart.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import secrets
import unicodedata
from typing import Any

from pyfastgpt.core.errors import InvalidRequest

FILE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "canSelectFile": (".pdf", ".docx", ".pptx", ".xlsx", ".txt", ".md", ".html", ".csv"),
    "canSelectImg": (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg"),
    "canSelectVideo": (".mp4", ".mov", ".avi", ".mpeg", ".webm"),
    "canSelectAudio": (".mp3", ".wav", ".ogg", ".m4a", ".amr", ".mpga"),
}
DEFAULT_MAX_FILES = 10
MAX_FILENAME_CHARS = 200
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# leading bytes of the raster image formats a chat may upload
IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/bmp": (b"BM",),
    "image/webp": (b"RIFF",),
}


def allowed_extensions(config: dict[str, Any] | None) -> set[str]:
    """FastGPT's `getAllowedExtensionsFromFileSelectConfig`: the extensions the switches enable."""
    if not config:
        return set()
    extensions: set[str] = set()
    for switch, values in FILE_EXTENSIONS.items():
        if config.get(switch):
            extensions.update(values)
    if config.get("canSelectCustomFileExtension"):
        for value in config.get("customFileExtensionList") or []:
            text = str(value).strip().lower()
            if text:
                extensions.add(text if text.startswith(".") else f".{text}")
    return extensions


def max_files(config: dict[str, Any] | None) -> int:
    try:
        return max(int((config or {}).get("maxFiles") or DEFAULT_MAX_FILES), 1)
    except (TypeError, ValueError):
        return DEFAULT_MAX_FILES


def clean_filename(filename: str) -> str:
    """Refuse names that are paths or hold control characters; normalise the rest (NFC, trimmed)."""
    name = unicodedata.normalize("NFC", filename).strip()
    if not name or name in (".", ".."):
        raise InvalidRequest("filename is required", key="missingParams")
    if "/" in name or "\\" in name or any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise InvalidRequest("filename may not hold path separators or control characters", key="invalidParams")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_FILENAME_CHARS - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and 0 < len(extension) < 20 else name[:MAX_FILENAME_CHARS]
    return name


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and extension else ""


def check_extension(name: str, allowed: set[str]) -> str:
    extension = extension_of(name)
    if not extension or extension not in allowed:
        shown = ", ".join(sorted(allowed))
        raise InvalidRequest(
            f'"{extension or name}" files may not be uploaded to this app (allowed: {shown})', key="unsupportedFileType"
        )
    return extension


def content_type_for(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def key_segment(value: str) -> str:
    """An id as a key segment: kept when plainly safe, otherwise its SHA-256 prefix."""
    return value if _SAFE_SEGMENT.match(value) else hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def chat_prefix(app_id: str, uid: str, chat_id: str) -> str:
    return "/".join(("chat", key_segment(app_id), key_segment(uid), key_segment(chat_id))) + "/"


def chat_file_key(app_id: str, uid: str, chat_id: str, filename: str) -> str:
    return f"{chat_prefix(app_id, uid, chat_id)}{secrets.token_hex(8)}/{filename}"


def app_id_of_key(key: str) -> str | None:
    parts = key.split("/")
    return parts[1] if len(parts) >= 6 and parts[0] == "chat" else None


def image_matches(content_type: str, head: bytes) -> bool:
    """Whether the first bytes of an upload fit the raster image type it claims (others pass)."""
    signatures = IMAGE_SIGNATURES.get(content_type)
    if signatures is None:
        return True
    if content_type == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return any(head.startswith(signature) for signature in signatures)
