"""Objects as files under ``<DATA_DIR>/files/``, with URLs the app itself serves and signs.

Layout: ``objects/<key>`` holds the bytes, ``meta/<key>.json`` the content type, ``tmp/`` partial
uploads (moved into place atomically). URLs:

- read: ``GET {base}/api/system/file/read/<key>?e=<expiry>&s=<sig>``
- upload: ``PUT {base}/api/system/file/upload/<key>?e=&m=<max bytes>&t=<content type>&s=`` with the
  signed ``Content-Type`` header, or a multipart ``POST {base}/api/system/file/upload`` whose fields
  (``key, e, m, Content-Type, s``) come before the ``file`` part.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from pyfastgpt.store.objects.base import (
    CHUNK_SIZE,
    Body,
    InvalidKey,
    ObjectInfo,
    ObjectMissing,
    ObjectTooLarge,
    PresignedUpload,
    UploadMethod,
    body_chunks,
    key_segments,
)
from pyfastgpt.store.objects.signing import SignatureInvalid, UrlSigner

READ_PREFIX = "/api/system/file/read/"
UPLOAD_PREFIX = "/api/system/file/upload"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class LocalObjectStore:
    backend = "local"
    upload_method: UploadMethod = "PUT"

    def __init__(self, root: Path, signer: UrlSigner, *, public_base_url: str = "") -> None:
        self.root = Path(root).resolve()
        self.signer = signer
        self.public_base_url = public_base_url.rstrip("/")
        for part in ("objects", "meta", "tmp"):
            (self.root / part).mkdir(parents=True, exist_ok=True)

    # --- paths -------------------------------------------------------------------------------
    def _path(self, area: str, key: str, suffix: str = "") -> Path:
        segments = key_segments(key)
        base = (self.root / area).resolve()
        path = base.joinpath(*segments[:-1], segments[-1] + suffix)
        if not path.resolve().is_relative_to(base):  # a symlink planted inside the tree
            raise InvalidKey("The key leaves the storage directory")
        return path

    # --- objects -----------------------------------------------------------------------------
    async def put(self, key: str, body: Body, content_type: str, *, max_bytes: int | None = None) -> ObjectInfo:
        target = self._path("objects", key)
        meta = self._path("meta", key, ".json")
        temp = self.root / "tmp" / f"{secrets.token_hex(12)}.part"
        size = 0
        handle: IO[bytes] = await asyncio.to_thread(open, temp, "wb")
        try:
            async for chunk in body_chunks(body, max_bytes):
                size += len(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(handle.close)
            await asyncio.to_thread(self._commit, temp, target, meta, content_type or DEFAULT_CONTENT_TYPE)
        except BaseException:
            handle.close()
            temp.unlink(missing_ok=True)
            raise
        return ObjectInfo(key=key, size=size, content_type=content_type or DEFAULT_CONTENT_TYPE)

    @staticmethod
    def _commit(temp: Path, target: Path, meta: Path, content_type: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"contentType": content_type}), "utf-8")
        os.replace(temp, target)

    async def get(self, key: str) -> AsyncIterator[bytes]:
        path = self._path("objects", key)
        try:
            handle: IO[bytes] = await asyncio.to_thread(open, path, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
            raise ObjectMissing(key) from error
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_SIZE):
                yield chunk
        finally:
            handle.close()

    async def read(self, key: str, *, max_bytes: int | None = None) -> bytes:
        info = await self.stat(key)
        if info is None:
            raise ObjectMissing(key)
        if max_bytes is not None and info.size > max_bytes:
            raise ObjectTooLarge(f"The object is larger than {max_bytes} bytes")
        return await asyncio.to_thread(self._path("objects", key).read_bytes)

    async def stat(self, key: str) -> ObjectInfo | None:
        return await asyncio.to_thread(self._stat, key)

    def _stat(self, key: str) -> ObjectInfo | None:
        path = self._path("objects", key)
        if not path.is_file():
            return None
        content_type = DEFAULT_CONTENT_TYPE
        with contextlib.suppress(OSError, ValueError, KeyError):
            content_type = json.loads(self._path("meta", key, ".json").read_text("utf-8"))["contentType"]
        return ObjectInfo(key=key, size=path.stat().st_size, content_type=content_type)

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def delete(self, key: str) -> None:
        def remove() -> None:
            self._path("objects", key).unlink(missing_ok=True)
            self._path("meta", key, ".json").unlink(missing_ok=True)

        await asyncio.to_thread(remove)

    # --- signed URLs ---------------------------------------------------------------------------
    def _base(self, base_url: str | None) -> str:
        return self.public_base_url or (base_url or "").rstrip("/")

    async def presign_upload(
        self,
        key: str,
        *,
        max_size: int,
        content_type: str,
        expires_s: int,
        method: UploadMethod | None = None,
        base_url: str | None = None,
    ) -> PresignedUpload:
        key_segments(key)
        expires = int(time.time()) + expires_s
        signature = self.signer.sign("upload", key, expires, max_size, content_type)
        if (method or self.upload_method) == "POST":
            fields = {"key": key, "e": str(expires), "m": str(max_size), "Content-Type": content_type, "s": signature}
            return PresignedUpload(url=self._base(base_url) + UPLOAD_PREFIX, method="POST", fields=fields)
        query = urlencode({"e": expires, "m": max_size, "t": content_type, "s": signature})
        url = f"{self._base(base_url)}{UPLOAD_PREFIX}/{quote(key)}?{query}"
        return PresignedUpload(url=url, method="PUT", headers={"Content-Type": content_type})

    def verify_upload(self, key: str, expires: str, max_size: str, content_type: str, signature: str) -> int:
        """Check an upload grant; return its size limit. Raise :class:`SignatureInvalid`."""
        try:
            expires_at, limit = int(expires), int(max_size)
        except ValueError as error:
            raise SignatureInvalid("Malformed upload grant") from error
        self.signer.verify(signature, expires_at, "upload", key, expires_at, limit, content_type)
        return limit

    async def presign_get(self, key: str, *, expires_s: int, base_url: str | None = None) -> str:
        key_segments(key)
        expires = int(time.time()) + expires_s
        query = urlencode({"e": expires, "s": self.signer.sign("get", key, expires)})
        return f"{self._base(base_url)}{READ_PREFIX}{quote(key)}?{query}"

    def verify_get(self, key: str, expires: str, signature: str) -> None:
        try:
            expires_at = int(expires)
        except ValueError as error:
            raise SignatureInvalid("Malformed read grant") from error
        self.signer.verify(signature, expires_at, "get", key, expires_at)

    def key_from_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        if not parts.path.startswith(READ_PREFIX):
            return None
        key = unquote(parts.path[len(READ_PREFIX) :])
        query = parse_qs(parts.query)
        try:
            key_segments(key)
            self.verify_get(key, query.get("e", [""])[0], query.get("s", [""])[0])
        except (InvalidKey, SignatureInvalid):
            return None
        return key

    async def read_url(self, url: str, *, max_bytes: int | None = None) -> tuple[ObjectInfo, bytes] | None:
        parts = urlsplit(url)
        if not parts.path.startswith(READ_PREFIX):
            return None
        key = unquote(parts.path[len(READ_PREFIX) :])
        query = parse_qs(parts.query)
        try:
            key_segments(key)
        except InvalidKey as error:
            raise SignatureInvalid("Malformed file link") from error
        self.verify_get(key, query.get("e", [""])[0], query.get("s", [""])[0])
        data = await self.read(key, max_bytes=max_bytes)
        info = await self.stat(key)
        if info is None:
            raise ObjectMissing(key)
        return info, data

    async def aclose(self) -> None:
        return None
