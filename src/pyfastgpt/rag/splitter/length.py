"""Length counting and the last-resort hard cut of the splitter.

FastGPT counts a chunk's length in "valid characters" (everything but whitespace) by default, and
in tokens when asked to (index building, token-mode collections). Both counters are plain
``Callable[[str], int]`` so callers may inject the tokenizer of their embedding model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LengthCounter = Callable[[str], int]

# Everything that is neither whitespace nor an ASCII letter or digit is one token: CJK ideographs,
# kana, hangul and full-width forms (roughly one token each in BPE vocabularies) and other symbols.
# The CJK range also holds one whitespace character, the ideographic space: it counts as well.
# All is counted on bytes, one per character (anything not ASCII becomes "?", a symbol), so in C:
# symbols are what is left once ASCII whitespace, letters and digits are deleted, less the other
# non-ASCII whitespace; letter and digit groups are counted on the bytes mapped to "a" for a letter
# or "0" for a digit and a space otherwise, where growing each run by width - 1 at its end makes the
# count of non-overlapping width-long runs ceil(n / width) for a run of n.
_NOT_SYMBOLS = bytes(byte for byte in range(128) if chr(byte).isspace() or chr(byte).isalnum())
_WIDE_SPACE = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f]")  # \s, not ASCII, not U+3000
_LETTER_RUNS = bytes(ord("a") if chr(byte).isascii() and chr(byte).isalpha() else ord(" ") for byte in range(256))
_DIGIT_RUNS = bytes(ord("0") if chr(byte) in "0123456789" else ord(" ") for byte in range(256))
_ASCII_SPACES = bytes(byte for byte in range(128) if chr(byte).isspace())


def count_valid_chars(text: str) -> int:
    """FastGPT's ``getTextValidLength``: the number of non-whitespace characters (``str.split``
    and the regex ``\\s`` agree on every code point)."""
    return len("".join(text.split()))


def has_wide_space(text: str) -> bool:
    """Whether ``text`` holds whitespace that is not ASCII (the ideographic space included)."""
    return not text.isascii() and ("\u3000" in text or _WIDE_SPACE.search(text) is not None)


def count_narrow_valid_chars(text: str) -> int:
    """:func:`count_valid_chars` of a text without :func:`has_wide_space`, counted on bytes (one per
    character, anything not ASCII becoming "?"): a few times faster, for a splitter that measures
    the parts of such a text."""
    return len(text.encode("ascii", "replace").translate(None, _ASCII_SPACES))


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate of BPE tokens (cl100k-like), used when no tokenizer is injected.

    One token per CJK character, one per ~4 letters of a Latin word (at least one per word), one
    per 3 digits and one per other symbol. It errs slightly high, which keeps chunks under limits.
    (Counted in C, with byte passes and, beyond ASCII, one regex pass: the splitter measures text
    in token mode constantly.)
    """
    wide_spaces = 0 if text.isascii() else len(_WIDE_SPACE.findall(text))
    return estimate_narrow_tokens(text) - wide_spaces


def estimate_narrow_tokens(text: str) -> int:
    """:func:`estimate_tokens` of a text without :func:`has_wide_space` (one regex pass less)."""
    ascii_text = text.encode("ascii", "replace")
    symbols = len(ascii_text.translate(None, _NOT_SYMBOLS))
    ascii_text += b" "
    letters = ascii_text.translate(_LETTER_RUNS).replace(b"a ", b"aaaa ").count(b"aaaa")
    return symbols + letters + ascii_text.translate(_DIGIT_RUNS).replace(b"0 ", b"000 ").count(b"000")


def narrow_counter(count: LengthCounter) -> LengthCounter:
    """What counts like ``count`` the texts without :func:`has_wide_space`, faster if it can."""
    if count is count_valid_chars:
        return count_narrow_valid_chars
    if count is estimate_tokens:
        return estimate_narrow_tokens
    return count


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_DIGITS = frozenset("0123456789")


def _run_at_end(text: str, chars: frozenset[str]) -> int:
    end = len(text)
    start = end
    while start and text[start - 1] in chars:
        start -= 1
    return end - start


def _run_at_start(text: str, chars: frozenset[str]) -> int:
    end = 0
    while end < len(text) and text[end] in chars:
        end += 1
    return end


def _token_junction(left: str, right: str) -> int:
    """``estimate_tokens(left + right) - estimate_tokens(left) - estimate_tokens(right)``: only a
    letter run or a digit run that the junction joins is counted differently."""
    if not left or not right:
        return 0
    if left[-1] in _ASCII_LETTERS and right[0] in _ASCII_LETTERS:
        chars, width = _ASCII_LETTERS, 4
    elif left[-1] in _ASCII_DIGITS and right[0] in _ASCII_DIGITS:
        chars, width = _ASCII_DIGITS, 3
    else:
        return 0
    tail, head = _run_at_end(left, chars), _run_at_start(right, chars)
    return -(-(tail + head) // width) + (-tail // width) + (-head // width)


def joined_length(count: LengthCounter, left: str, left_length: int, right: str, right_length: int) -> int:
    """``count(left + right)`` given both parts' lengths: the built-in counters are additive up to
    the junction, so this costs nothing for them (the splitter grows chunks piece by piece and
    would otherwise recount the whole chunk at every piece); any other counter counts the join."""
    if count is count_valid_chars:
        return left_length + right_length
    if count is estimate_tokens:
        return left_length + right_length + _token_junction(left, right)
    return count(left + right)


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
