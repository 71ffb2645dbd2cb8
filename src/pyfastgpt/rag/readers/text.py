"""Plain text, markdown and csv: encoding detection and the csv → markdown table conversion."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter

import charset_normalizer

from pyfastgpt.rag.readers.errors import BinaryContent, CorruptFile, FileTooLarge
from pyfastgpt.rag.readers.registry import ReadContext, ReadResult, reader_for

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_SAMPLE = 64 * 1024
# a spreadsheet cell may legitimately hold a long text; the file size cap bounds it anyway
# (set once: the limit is process-wide, changing it per call would race between threads)
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


_COMMON = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _utf16_without_bom(data: bytes) -> str | None:
    """NUL bytes in an even-length file suggest BOM-less UTF-16: pick the byte order whose
    decoding is made of common characters (ASCII, Latin, CJK, kana, full-width forms)."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    best, best_score = None, 0.5
    for encoding in ("utf-16-le", "utf-16-be"):
        decoded = sample.decode(encoding, errors="replace")
        score = len(_COMMON.findall(decoded)) / max(len(decoded), 1)
        if score > best_score:
            best, best_score = encoding, score
    return best


def _plausible_text(text: str) -> bool:
    """No NULs, few control characters, and almost no unassigned / private-use / surrogate code
    points (random bytes decoded as UTF-16 produce many of those)."""
    if "\x00" in text or _looks_binary(text):
        return False
    sample = text[:_SAMPLE]
    # each distinct character is classified once; text usually has none of these, then nothing is counted
    odd_chars = [ch for ch in set(sample) if unicodedata.category(ch) in ("Cn", "Co", "Cs")]
    if not odd_chars:
        return True
    counts = Counter(sample)
    return sum(counts[ch] for ch in odd_chars) <= len(sample) * 0.01


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    return bool(sample) and len(_CONTROL.findall(sample)) > max(8, len(sample) * 0.02)


def decode_text(data: bytes, *, declared: str | None = None, name: str = "") -> tuple[str, str]:
    """Decode bytes of a text document: BOM, declared charset, UTF-8, BOM-less UTF-16, then
    charset-normalizer (which recognises GBK/GB18030, Big5, Shift-JIS, cp125x …).

    Raises :class:`BinaryContent` for bytes that are not text in any encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    utf16 = _utf16_without_bom(data)
    if utf16:
        candidates.append(utf16)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible_text(text):
            return text, codecs.lookup(encoding).name
    if b"\x00" in data[:_SAMPLE]:
        raise BinaryContent("The file is binary, not text", name=name)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryContent("The file's text encoding could not be recognised", name=name)
    text = str(best)
    if _looks_binary(text):
        raise BinaryContent("The file is binary, not text", name=name)
    return text, best.encoding


_DATA_URI_IMAGE = re.compile(r"!\[([^\]]*)\]\(data:image/[^)]*\)")


@reader_for("txt", "md", "markdown", "text")
def read_plain_text(data: bytes, ctx: ReadContext) -> ReadResult:
    text, encoding = decode_text(data, declared=ctx.encoding, name=ctx.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # inline base64 images would flood chunks and indexes (FastGPT moves them to image storage)
    text = _DATA_URI_IMAGE.sub(r"![\1](data-uri-image)", text)
    return ReadResult(text=text, format="md" if ctx.extension in ("md", "markdown") else "txt", encoding=encoding)


def markdown_cell(value: object) -> str:
    """A value as one markdown table cell: newlines escaped, pipes escaped."""
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\n", "\\n").replace("|", "\\|").strip()


def rows_to_markdown(rows: list[list[str]]) -> str:
    """Rows (first = header) → a GFM table; short rows are padded to the header width."""
    width = max((len(row) for row in rows), default=0)
    if not rows or width == 0:
        return ""
    padded = [row + [""] * (width - len(row)) for row in rows]
    header, body = padded[0], padded[1:]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


@reader_for("csv")
def read_csv(data: bytes, ctx: ReadContext) -> ReadResult:
    raw, encoding = decode_text(data, declared=ctx.encoding, name=ctx.name)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(raw[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(raw, newline=""), dialect):
            if not any(cell.strip() for cell in row):
                continue
            cells += len(row)
            if cells > ctx.limits.max_cells:
                raise FileTooLarge("The table has more cells than allowed", name=ctx.name)
            rows.append([markdown_cell(cell) for cell in row])
    except csv.Error as error:
        raise CorruptFile(f"The CSV file could not be parsed: {error}", name=ctx.name) from error
    return ReadResult(text=rows_to_markdown(rows), format="csv", raw_text=raw, encoding=encoding)
