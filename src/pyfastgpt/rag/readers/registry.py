"""The reader registry: file extension → reader callable, the same door for built-ins and plugins.

A reader is ``(data: bytes, ctx: ReadContext) -> ReadResult``. Register one with
``registry.register(["ext", ...], reader)`` (or the ``@reader_for("ext")`` decorator on the default
registry); ``replace=True`` overrides an existing reader, e.g. a better PDF parser.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pyfastgpt.rag.readers.errors import EmptyFile, FileTooLarge, UnsupportedFileType

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Caps applied while reading untrusted files."""

    max_bytes: int = 100 * MB  # the uploaded file itself
    max_text_chars: int = 50_000_000  # extracted text
    max_uncompressed_bytes: int = 300 * MB  # sum of zip entries (docx/xlsx/pptx)
    max_compression_ratio: float = 120.0  # per zip entry larger than 1 MB uncompressed
    max_zip_entries: int = 20_000
    max_pages: int = 3_000  # pdf pages, pptx slides
    max_cells: int = 5_000_000  # xlsx / csv cells


@dataclass(slots=True)
class ReadResult:
    """Markdown-ish text of a document. ``raw_text`` is the unformatted text when it differs
    (csv/xlsx keep their comma-separated form there), ``pages`` holds per-page text for PDFs
    and per-slide text for presentations."""

    text: str
    format: str
    title: str = ""
    raw_text: str | None = None
    pages: list[str] = field(default_factory=list)
    encoding: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReadContext:
    name: str
    extension: str
    limits: ReadLimits
    encoding: str | None = None  # a caller-declared text encoding, e.g. from an HTTP header


class Reader(Protocol):
    def __call__(self, data: bytes, ctx: ReadContext, /) -> ReadResult: ...


def extension_of(name: str) -> str:
    """``report.final.PDF`` → ``pdf``; query strings and fragments of URLs are ignored."""
    base = name.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


class ReaderRegistry:
    def __init__(self) -> None:
        self._readers: dict[str, Reader] = {}

    def register(self, extensions: Iterable[str], reader: Reader, *, replace: bool = False) -> None:
        for extension in extensions:
            key = extension.lower().lstrip(".")
            if key in self._readers and not replace:
                raise ValueError(f"a reader for .{key} is already registered")
            self._readers[key] = reader

    def unregister(self, extension: str) -> None:
        self._readers.pop(extension.lower().lstrip("."), None)

    def get(self, extension: str) -> Reader | None:
        return self._readers.get(extension.lower().lstrip("."))

    def extensions(self) -> list[str]:
        return sorted(self._readers)

    def read(
        self, name: str, data: bytes, *, limits: ReadLimits | None = None, encoding: str | None = None
    ) -> ReadResult:
        limits = limits or ReadLimits()
        extension = extension_of(name)
        reader = self.get(extension)
        if reader is None:
            supported = ", ".join(f".{e}" for e in self.extensions())
            raise UnsupportedFileType(f'".{extension}" files are not supported (supported: {supported})', name=name)
        if not data:
            raise EmptyFile("The file is empty", name=name)
        if len(data) > limits.max_bytes:
            raise FileTooLarge(f"The file is larger than {limits.max_bytes // MB} MB", name=name)
        result = reader(data, ReadContext(name=name, extension=extension, limits=limits, encoding=encoding))
        if len(result.text) > limits.max_text_chars:
            raise FileTooLarge("The document holds more text than allowed", name=name)
        if not result.text.strip():
            raise EmptyFile("No text could be read from the file", name=name)
        return result


default_registry = ReaderRegistry()


def reader_for(*extensions: str, replace: bool = False) -> Callable[[Reader], Reader]:
    """Decorator registering a reader on the default registry."""

    def decorate(reader: Reader) -> Reader:
        default_registry.register(extensions, reader, replace=replace)
        return reader

    return decorate


def read_file(
    name: str,
    data: bytes,
    *,
    limits: ReadLimits | None = None,
    encoding: str | None = None,
    registry: ReaderRegistry | None = None,
) -> ReadResult:
    """Read an uploaded file into markdown-ish text, choosing the reader by extension."""
    return (registry or default_registry).read(name, data, limits=limits, encoding=encoding)


async def aread_file(
    name: str,
    data: bytes,
    *,
    limits: ReadLimits | None = None,
    encoding: str | None = None,
    registry: ReaderRegistry | None = None,
) -> ReadResult:
    """:func:`read_file` in a worker thread, keeping CPU-heavy parsing off the event loop."""
    return await asyncio.to_thread(read_file, name, data, limits=limits, encoding=encoding, registry=registry)
