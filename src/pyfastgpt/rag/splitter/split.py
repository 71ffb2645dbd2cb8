"""``split_text``: FastGPT's ``splitText2Chunks`` (text → chunks for a dataset collection)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pyfastgpt.rag.splitter.length import LengthCounter, count_valid_chars, estimate_tokens
from pyfastgpt.rag.splitter.recursive import DEFAULT_OVERLAP_RATIO, RecursiveSplitter
from pyfastgpt.rag.splitter.table import is_markdown_table, split_markdown_table

CUSTOM_SPLIT_SIGN = "-----CUSTOM_SPLIT_SIGN-----"
DEFAULT_MAX_CHUNK_SIZE = 8000

LengthUnit = Literal["char", "token"]

_NEWLINES = re.compile(r"\r\n|\r")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_LOW_CONTROL = re.compile(r"[\x00-\x08]")
_LOW_CONTROLS = tuple(chr(code) for code in range(9))


def simple_text(text: str) -> str:
    """FastGPT's ``simpleText``: trim, normalise line ends, at most one blank line, drop NUL..BS.

    (FastGPT also lists two whitespace-collapsing regexes, but they use ``&&`` class intersection,
    which JavaScript does not support, so they only match runs ending in ``]]`` and are left out.)
    """
    text = text.strip()
    if "\r" in text:  # (substring tests first: they are much cheaper than a regex pass)
        text = _NEWLINES.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    if any(control in text for control in _LOW_CONTROLS):
        text = _LOW_CONTROL.sub(" ", text)
    return text


def split_text(
    text: str,
    *,
    chunk_size: int,
    overlap_ratio: float = DEFAULT_OVERLAP_RATIO,
    custom_reg: Sequence[str] = (),
    max_size: int = DEFAULT_MAX_CHUNK_SIZE,
    paragraph_deep: int = 5,
    paragraph_min_size: int = 100,
    mode: LengthUnit = "char",
    count_tokens: LengthCounter | None = None,
) -> list[str]:
    """Split ``text`` into chunks of about ``chunk_size`` (see ``recursive`` for the rules).

    ``mode="char"`` measures non-whitespace characters; ``mode="token"`` measures with
    ``count_tokens`` (default: :func:`estimate_tokens`). ``custom_reg`` are ``chunkSplitter``
    strings. ``paragraph_min_size`` is accepted for FastGPT parity; FastGPT does not use it either.
    Empty chunks are dropped.
    """
    del paragraph_min_size
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    token_mode = mode == "token"
    count: LengthCounter = (count_tokens or estimate_tokens) if token_mode else count_valid_chars
    splitter = RecursiveSplitter(
        chunk_size=chunk_size,
        max_size=max_size,
        overlap_ratio=overlap_ratio,
        custom_reg=list(custom_reg),
        paragraph_deep=paragraph_deep,
        count=count,
        token_mode=token_mode,
    )
    chunks: list[str] = []
    for part in text.split(CUSTOM_SPLIT_SIGN):
        if is_markdown_table(part):
            common = splitter.factory(
                overlap_ratio=overlap_ratio, custom_reg=list(custom_reg), paragraph_deep=paragraph_deep
            )
            chunks += split_markdown_table(
                part,
                chunk_size=chunk_size,
                max_size=max_size,
                count=count,
                token_mode=token_mode,
                common_split=common,
            )
        else:
            chunks += splitter.split(part)
    return [cleaned for cleaned in (simple_text(chunk) for chunk in chunks) if cleaned]
