"""File helpers for uploads: open a path/bytes/stream and report upload progress."""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ProgressCallback = Callable[[int, int], None]
"""Called as ``callback(bytes_sent, total_bytes)`` while a file is uploaded."""

FileInput = str | os.PathLike[str] | bytes | IO[bytes]


class ProgressReader:
    """A read-only binary stream that reports how much of it has been read.

    httpx reads multipart files in 64 KiB chunks and seeks back to 0 before a retry, which
    resets the count.
    """

    def __init__(self, file: IO[bytes], total: int, callback: ProgressCallback | None) -> None:
        self._file = file
        self._total = total
        self._callback = callback
        self._sent = 0

    @property
    def bytes_sent(self) -> int:
        return self._sent

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._callback is not None:
                self._callback(min(self._sent, self._total), self._total)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._file.seek(offset, whence)
        if whence == io.SEEK_SET:
            self._sent = position
        return position

    def tell(self) -> int:
        return self._file.tell()


@dataclass
class UploadFile:
    """An opened upload: its name, MIME type, size and stream (close it when done)."""

    filename: str
    content_type: str
    size: int
    stream: IO[bytes]
    owned: bool

    def close(self) -> None:
        if self.owned:
            self.stream.close()


def open_upload(file: FileInput, filename: str | None = None) -> UploadFile:
    """Open ``file`` (a path, raw bytes or a binary stream) for uploading."""
    if isinstance(file, bytes):
        name = filename or "upload.bin"
        return UploadFile(name, _guess_type(name), len(file), io.BytesIO(file), owned=True)
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        name = filename or path.name
        return UploadFile(name, _guess_type(name), path.stat().st_size, path.open("rb"), owned=True)
    name = filename or Path(str(getattr(file, "name", "upload.bin"))).name
    start = file.tell()
    size = file.seek(0, io.SEEK_END) - start
    file.seek(start)
    return UploadFile(name, _guess_type(name), size, file, owned=False)


def _guess_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
