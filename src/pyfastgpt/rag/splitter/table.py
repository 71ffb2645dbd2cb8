"""Markdown tables: detection and a row splitter that repeats the header in every chunk."""

from __future__ import annotations

import re
from collections.abc import Callable

from pyfastgpt.rag.splitter.length import LengthCounter

_SEPARATOR_ROW = re.compile(r"^(\|[\s:]*-+[\s:]*)+\|$")

# (text, chunk_size, max_size) -> chunks; the general splitter, used for over-long rows
CommonSplit = Callable[[str, float, int], list[str]]


def is_markdown_table(text: str) -> bool:
    """True when ``text`` is exactly a pipe table: header row, separator row, then pipe rows."""
    if "|" not in text:
        return False
    lines = text.split("\n")
    if len(lines) < 2:
        return False
    header = lines[0].strip()
    if not header.startswith("|") or not header.endswith("|"):
        return False
    if not _SEPARATOR_ROW.match(lines[1].strip()):
        return False
    for line in lines[2:]:
        row = line.strip()
        if row and (not row.startswith("|") or not row.endswith("|")):
            return False
    return True


def split_markdown_table(
    text: str,
    *,
    chunk_size: float,
    max_size: int,
    count: LengthCounter,
    token_mode: bool,
    common_split: CommonSplit,
) -> list[str]:
    """Group rows into chunks of about ``chunk_size``; each chunk starts with the header rows.

    A group that ends up longer than ``max_size`` (one enormous row) goes through the general
    splitter without the header. In token mode a row that cannot fit next to the header is cut
    into header-prefixed pieces that each stay within ``chunk_size`` tokens.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return [text]
    head = f"{lines[0]}\n{lines[1]}\n"
    head_length = count(head)
    chunks: list[str] = []
    chunk = head

    for row in lines[2:]:
        row_length = count(row)
        if token_mode and head_length + row_length > chunk_size:
            if chunk != head:
                chunks.append(chunk)
            chunks.extend(_split_row_with_header(row, head, int(chunk_size), max_size, count, common_split))
            chunk = head
            continue
        if count(chunk) + row_length > chunk_size:
            if count(chunk) > max_size:
                chunks.extend(common_split(chunk.replace(head, "", 1).strip(), chunk_size, max_size))
            else:
                chunks.append(chunk)
            chunk = head
        chunk += f"{row}\n"

    if chunk and (chunk != head or not chunks):
        chunks.append(chunk)
    return chunks


def _split_row_with_header(
    row: str, head: str, chunk_size: int, max_size: int, count: LengthCounter, common_split: CommonSplit
) -> list[str]:
    content_size = chunk_size - count(head)
    if content_size <= 0:
        raise ValueError("Markdown table header exceeds the token chunk size")
    pieces: list[str] = []
    for part in common_split(row, content_size, min(max_size, content_size)):
        rest = part
        while rest:
            left, right, best = 1, len(rest), 0
            while left <= right:
                mid = (left + right) // 2
                if count(head + rest[:mid]) <= chunk_size:
                    best, left = mid, mid + 1
                else:
                    right = mid - 1
            if best == 0:
                raise ValueError("Markdown table header leaves no token budget for row content")
            pieces.append(head + rest[:best])
            rest = rest[best:]
    return pieces
