"""The reader registry: built-ins and third-party readers go through the same door."""

from __future__ import annotations

import json

import pytest

from pyfastgpt.rag.readers import (
    ReadContext,
    ReaderRegistry,
    ReadResult,
    UnsupportedFileType,
    default_registry,
    read_file,
)
from pyfastgpt.rag.readers.pdf import read_pdf_pypdf
from pyfastgpt.rag.readers.text import read_plain_text
from tests.rag.readers.makers import PdfPage, make_pdf


def read_jsonl(data: bytes, ctx: ReadContext) -> ReadResult:
    """A plugin reader: one JSON object per line → ``key: value`` paragraphs."""
    records = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
    text = "\n\n".join("\n".join(f"{k}: {v}" for k, v in record.items()) for record in records)
    return ReadResult(text=text, format=ctx.extension, metadata={"records": len(records)})


def test_builtins_cover_fastgpt_formats() -> None:
    assert {"txt", "md", "html", "pdf", "docx", "pptx", "csv", "xlsx"} <= set(default_registry.extensions())


def test_unknown_extension_is_refused_with_fastgpt_code() -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        read_file("archive.rar", b"Rar!\x1a\x07")
    error = caught.value
    assert error.status == 400
    assert error.envelope()["code"] == 507009
    assert error.envelope()["statusText"] == "unsupportedFileType"
    assert ".pdf" in error.message


def test_third_party_reader_registers_like_a_builtin() -> None:
    registry = ReaderRegistry()
    registry.register(["txt"], read_plain_text)
    registry.register([".JSONL"], read_jsonl)
    result = read_file("rows.jsonl", b'{"q": "hi", "a": "hello"}\n{"q": "bye"}\n', registry=registry)
    assert result.text == "q: hi\na: hello\n\nq: bye"
    assert result.metadata == {"records": 2}
    with pytest.raises(ValueError):
        registry.register(["jsonl"], read_jsonl)
    with pytest.raises(UnsupportedFileType):
        read_file("x.pdf", b"%PDF", registry=registry)


def test_replace_swaps_the_pdf_engine() -> None:
    registry = ReaderRegistry()
    for extension in default_registry.extensions():
        reader = default_registry.get(extension)
        assert reader is not None
        registry.register([extension], reader)
    registry.register(["pdf"], read_pdf_pypdf, replace=True)
    data = make_pdf([PdfPage(["Body text."], header="HEADER LINE")])
    # pypdf does not crop running headers; the default PDFium engine does
    assert "HEADER LINE" in read_file("a.pdf", data, registry=registry).text
    assert "HEADER LINE" not in read_file("a.pdf", data).text


def test_extension_is_taken_from_names_and_urls() -> None:
    assert read_file("dir/Notes.v2.TXT", b"hello").format == "txt"
    assert read_file("https://example.com/readme.md?raw=1#top", b"# Title").format == "md"
