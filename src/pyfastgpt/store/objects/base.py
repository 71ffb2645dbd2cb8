"""The object-storage protocol every backend (local directory, S3) implements.

Keys are ``/``-separated relative paths (``chat/<appId>/<uid>/<chat>/<rand>/<name>``). Every key is
checked by :func:`key_segments` before it reaches a backend: no empty, ``.`` or ``..`` segments, no
backslashes, control characters or absolute paths, at most ``MAX_KEY_LENGTH`` characters.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

UploadMethod = Literal["PUT", "POST"]
Body = bytes | AsyncIterable[bytes]
MAX_KEY_LENGTH = 500
CHUNK_SIZE = 64 * 1024


class InvalidKey(ValueError):
    """A key that could escape the storage root or is otherwise malformed."""


class ObjectMissing(LookupError):
    """No object is stored under the key."""


class ObjectTooLarge(ValueError):
    """A body went over the size the caller allowed."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class PresignedUpload:
    """Where and how a client uploads: ``PUT url`` with ``headers``, or a multipart ``POST url``
    with ``fields`` first and the file last (field name ``file``)."""

    url: str
    method: UploadMethod
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def key_segments(key: str) -> list[str]:
    """Split and validate a key; raise :class:`InvalidKey` for anything unsafe."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKey("A key must have 1 to 500 characters")
    if key.startswith("/") or "\\" in key or any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise InvalidKey("A key may not be absolute or hold backslashes or control characters")
    segments = key.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise InvalidKey("A key may not hold empty, '.' or '..' segments")
    return segments


async def body_chunks(body: Body, max_bytes: int | None = None) -> AsyncIterator[bytes]:
    """The body as chunks, raising :class:`ObjectTooLarge` once more than ``max_bytes`` arrived."""
    received = 0
    if isinstance(body, bytes):
        if max_bytes is not None and len(body) > max_bytes:
            raise ObjectTooLarge(f"The body is larger than {max_bytes} bytes")
        yield body
        return
    async for chunk in body:
        received += len(chunk)
        if max_bytes is not None and received > max_bytes:
            raise ObjectTooLarge(f"The body is larger than {max_bytes} bytes")
        if chunk:
            yield chunk


class ObjectStore(Protocol):
    """An object store. ``base_url`` (the server's external origin) matters only to backends whose
    URLs the app serves itself; others ignore it."""

    backend: str
    upload_method: UploadMethod  # what `presign_upload` gives by default

    async def put(self, key: str, body: Body, content_type: str, *, max_bytes: int | None = None) -> ObjectInfo: ...

    def get(self, key: str) -> AsyncIterator[bytes]:
        """Stream the object; raise :class:`ObjectMissing` (on first iteration) when absent."""
        ...

    async def read(self, key: str, *, max_bytes: int | None = None) -> bytes: ...

    async def stat(self, key: str) -> ObjectInfo | None: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def presign_upload(
        self,
        key: str,
        *,
        max_size: int,
        content_type: str,
        expires_s: int,
        method: UploadMethod | None = None,
        base_url: str | None = None,
    ) -> PresignedUpload: ...

    async def presign_get(self, key: str, *, expires_s: int, base_url: str | None = None) -> str: ...

    def key_from_url(self, url: str) -> str | None:
        """The key of a URL pointing into this store, else ``None`` (local: signature checked too;
        S3: by shape only — use :meth:`read_url` for verified access)."""
        ...

    async def read_url(self, url: str, *, max_bytes: int | None = None) -> tuple[ObjectInfo, bytes] | None:
        """Read the object behind a URL this store signed; ``None`` when the URL is not ours.
        Raise ``SignatureInvalid`` for a forged or expired one, :class:`ObjectMissing`,
        :class:`ObjectTooLarge`."""
        ...

    async def aclose(self) -> None: ...
