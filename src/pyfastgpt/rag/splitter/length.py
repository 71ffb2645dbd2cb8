"""Length counting and the last-resort hard cut of the splitter.

FastGPT counts a chunk's length in "valid characters" (everything but whitespace) by default, and
in tokens when asked to (index building, token-mode collections). Both counters are plain
``Callable[[str], int]`` so callers may inject the tokenizer of their embedding model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LengthCounter = Callable[[str], int]

_WHITESPACE = re.compile(r"\s")
# CJK ideographs, kana, hangul and full-width forms: roughly one token each in BPE vocabularies.
_WIDE_CHAR = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_WORD_OR_SYMBOL = re.compile(r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def count_valid_chars(text: str) -> int:
    """FastGPT's ``getTextValidLength``: the number of non-whitespace characters."""
    return len(text) - len(_WHITESPACE.findall(text))


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of BPE tokens (cl100k-like), used when no tokenizer is injected.

    One token per CJK character, one per ~4 letters of a Latin word (at least one per word), one
    per 3 digits and one per other symbol. It errs slightly high, which keeps chunks under limits.
    """
    total = len(_WIDE_CHAR.findall(text))
    for piece in _WORD_OR_SYMBOL.findall(text):
        if piece[0].isascii() and piece[0].isalpha():
            total += (len(piece) + 3) // 4
        elif piece[0].isascii() and piece[0].isdigit():
            total += (len(piece) + 2) // 3
        else:
            total += 1
    return total


def split_by_char_limit(text: str, max_length: float, step_length: float) -> list[str]:
    """Hard cut by raw character positions, windows of ``max_length`` advancing by ``step_length``."""
    length = max(1, int(max_length))
    step = max(1, int(step_length))
    return [text[i : i + length] for i in range(0, len(text), step)]


def longest_prefix_within(text: str, max_length: float, count: LengthCounter) -> str:
    """The longest prefix of ``text`` whose counted length is at most ``max_length`` (binary search)."""
    if not text or count(text) <= max_length:
        return text
    left, right, best = 1, len(text), 0
    while left <= right:
        mid = (left + right) // 2
        if count(text[:mid]) <= max_length:
            best, left = mid, mid + 1
        else:
            right = mid - 1
    return text[:best]


def longest_suffix_within(text: str, max_length: float, count: LengthCounter) -> str:
    """The longest suffix of ``text`` whose counted length is at most ``max_length``."""
    if not text or max_length <= 0:
        return ""
    if count(text) <= max_length:
        return text
    left, right, best = 0, len(text) - 1, len(text)
    while left <= right:
        mid = (left + right) // 2
        if count(text[mid:]) <= max_length:
            best, right = mid, mid - 1
        else:
            left = mid + 1
    return text[best:]


def split_by_counter_limit(text: str, max_length: float, step_length: float, count: LengthCounter) -> list[str]:
    """Hard cut measured with ``count`` (token mode): longest safe prefixes, with a counted overlap."""
    if not text:
        return []
    if max_length <= 0:
        return [text]
    chunks: list[str] = []
    rest = text
    overlap = max(0, max_length - max(1, step_length))
    while rest:
        safe = longest_prefix_within(rest, max_length, count)
        if not safe:
            raise ValueError("Text contains a character that exceeds the token length limit")
        chunks.append(safe)
        if len(safe) >= len(rest):
            break
        remaining = rest[len(safe) :]
        following = remaining
        if overlap > 0:
            following = longest_suffix_within(safe, overlap, count) + remaining
        # an overlap that would stop progress is dropped so the loop always advances
        rest = remaining if len(following) >= len(rest) else following
    return chunks
