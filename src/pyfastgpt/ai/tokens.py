"""Offline token counting: a fast estimate of a GPT-style BPE token count.

No tokenizer files are downloaded (tiktoken fetches its BPE tables at run time, which fails here).
Instead, text is pre-split the way GPT BPE tokenizers pre-split it (letters runs with their leading
space, digit groups of up to three, punctuation runs, whitespace) and each piece is costed:

- a CJK / kana / hangul character: 1 token each (cl100k spends 1–2 per Han character, o200k and
  Qwen-style vocabularies about 0.7–1; 1 is the middle);
- a run of other letters: 1 token up to 6 letters, then one more per 4 letters (common English
  words are single tokens; long or rare words split in pieces of ~4 characters);
- a digit group (≤3 digits): 1 token; a punctuation run: one token per 2 characters (rounded up);
- whitespace: free when it leads a word, otherwise one token per newline run.

Accuracy, measured offline on `tests/ai/data/token_corpus.json` (24 samples: English prose, code,
SQL, JSON, numbers, URLs, French/German, Chinese) by `tests/ai/test_tokens.py` (tiktoken's tables
cannot be fetched here, so the references are the two real tokenizers that ship offline):

| reference tokenizer                                   | Latin script + code (total) | per sample  | Chinese (total) |
| ----------------------------------------------------- | --------------------------- | ----------- | --------------- |
| SmolLM2 GPT-2-style BPE, 49k vocab (GGUF, llama-cpp)  | 0.94×                       | 0.39–2.0×   | 0.62×           |
| multilingual-e5 SentencePiece, 250k XLM-R vocab       | 1.04×                       | 0.75–1.7×   | 1.64×           |

The extremes are digits (SmolLM2 spends one token per digit, the estimate one per three) and long
common words ("internationalization" is one or two real tokens). For Chinese the estimate (1 per
character) sits between a large multilingual vocabulary (~0.6 per character) and an English BPE
(~1.6, bytes). It is meant for context budgeting and for usage accounting when a provider reports
no usage, not for exact billing.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

_CJK = (
    "\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef"
)
# Each CJK character is a piece of its own; a run of them is matched whole and costs its length
# (fewer matches, same total). The letter class excludes CJK inside the set (no per-character look-ahead).
_PIECE = re.compile(
    rf"[{_CJK}]+"  # a run of CJK characters, one piece per character
    rf"| ?[^\W\d_{_CJK}]+"  # a letter run with its leading space
    r"| ?\d{1,3}"  # a digit group
    r"|\n+"  # newlines
    r"|[^\S\n]+"  # other whitespace
    r"| ?[^\w\s]+",  # punctuation run
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# a space before full-width digits makes them one digit group (" １２" costs 1), without it they are
# CJK characters ("１２" costs 2)
_SPACED_WIDE_DIGIT = re.compile(r" [\uff10-\uff19]")

_IMAGE_TOKENS = 85  # OpenAI's low-detail image cost
_PER_MESSAGE = 3
_REPLY_PRIMING = 3


def count_tokens(text: str | None) -> int:
    """Estimated number of BPE tokens in `text`."""
    if not text:
        return 0
    if _SPACED_WIDE_DIGIT.search(text):  # the one place a space changes its neighbour's cost
        return _pieces_tokens(text)
    # A piece holds a space only as its first character, where it costs nothing: the words between
    # spaces are costed on their own, and remembered (texts repeat their words).
    return sum(map(_WORD_COSTS.__getitem__, text.split(" ")))


def _pieces_tokens(text: str) -> int:
    return sum(map(_PIECE_COSTS.__getitem__, _PIECE.findall(text)))


def _word_tokens(word: str) -> int:
    """The cost of a word (no space in it): one per CJK letter, plus the cost of the rest once each
    run of CJK letters is replaced by ``_`` (which ends the pieces around it and is no piece itself).
    A CJK letter is only ever in a CJK run, where each character costs one (unlike full-width digits
    and punctuation, which a digit group or a punctuation run may take), and what is left, without
    CJK letters, usually repeats: it is remembered (Chinese text has no spaces between words)."""
    rest, runs = _cjk_letter_runs().subn("_", word)
    if not runs:
        return _pieces_tokens(word)
    return len(word) - len(rest) + runs + _WORD_COSTS[rest]


@functools.cache
def _cjk_letter_runs() -> re.Pattern[str]:
    """Runs of the CJK characters that are letters (``[^\\W\\d_]``), as the running Unicode database
    says (derived once, on first use: it takes a few tens of milliseconds)."""
    first = 0x2E80
    candidates = "".join(map(chr, range(first, 0x10000)))
    spans = re.finditer(rf"(?:(?![\W\d_])[{_CJK}])+", candidates)
    ranges = "".join(f"{chr(first + span.start())}-{chr(first + span.end() - 1)}" for span in spans)
    return re.compile(f"[{ranges}]+")


class _Costs(dict[str, int]):
    """Costs remembered on first sight, up to `_MAX_REMEMBERED` entries of at most `_LONGEST_REMEMBERED`
    characters; not those of texts holding CJK characters: they rarely repeat (and a CJK run's cost is
    just its length)."""

    def __init__(self, cost: Callable[[str], int]) -> None:
        super().__init__()
        self._cost = cost

    def __missing__(self, text: str) -> int:
        cost = self._cost(text)
        if len(text) <= _LONGEST_REMEMBERED and len(self) < _MAX_REMEMBERED and not _CJK_CHAR.search(text):
            self[text] = cost
        return cost


def _piece_tokens(piece: str) -> int:
    """The cost of one pre-split piece."""
    first = piece[0]
    if first == "\n":
        return 1
    if _CJK_CHAR.match(first):  # a CJK run (a digit group may hold full-width digits after a space)
        return len(piece)
    body = piece.lstrip(" ")
    if not body or (first.isspace() and piece.isspace()):
        return 0
    lead = body[0]
    if lead.isdigit():
        return 1
    if lead.isalpha():
        n = len(body)
        return 1 if n <= 6 else 1 + math.ceil((n - 6) / 4)
    return math.ceil(len(body) / 2)


_MAX_REMEMBERED = 1 << 17
_LONGEST_REMEMBERED = 64  # words, not blobs (a URL or base64 run repeats rarely and would fill memory)
_PIECE_COSTS = _Costs(_piece_tokens)
_WORD_COSTS = _Costs(_word_tokens)


def _content_tokens(content: Any) -> int:
    if content is None:
        return 0
    if isinstance(content, str):
        return count_tokens(content)
    total = 0
    for part in content if isinstance(content, list) else [content]:
        if isinstance(part, Mapping):
            kind = part.get("type")
            if kind == "text":
                total += count_tokens(str(part.get("text", "")))
            elif kind in ("image_url", "image", "file_url", "input_audio"):
                total += _IMAGE_TOKENS
            else:
                total += count_tokens(json.dumps(part, ensure_ascii=False))
        else:
            total += count_tokens(str(part))
    return total


def _field(message: Any, name: str) -> Any:
    if isinstance(message, Mapping):
        return message.get(name)
    return getattr(message, name, None)


def count_messages_tokens(messages: Iterable[Any], tools: Sequence[Any] | None = None) -> int:
    """Estimated prompt tokens of OpenAI-style messages (ChatMessage objects or plain dicts).

    Follows OpenAI's accounting: 3 tokens of framing per message, 1 for a name, 3 to prime the
    reply; image parts cost 85 tokens; tool calls and tool specs are costed as their JSON text.
    """
    total = _REPLY_PRIMING
    for message in messages:
        total += _PER_MESSAGE
        total += count_tokens(str(_field(message, "role") or ""))
        total += _content_tokens(_field(message, "content"))
        if _field(message, "name"):
            total += 1 + count_tokens(str(_field(message, "name")))
        for call in _field(message, "tool_calls") or []:
            function = _field(call, "function")
            name = _field(function, "name") if function is not None else _field(call, "name")
            arguments = _field(function, "arguments") if function is not None else _field(call, "arguments")
            total += 3 + count_tokens(str(name or "")) + count_tokens(str(arguments or ""))
        if _field(message, "tool_call_id"):
            total += 1
    if tools:
        for tool in tools:
            spec = (
                tool
                if isinstance(tool, Mapping)
                else {
                    "name": _field(tool, "name"),
                    "description": _field(tool, "description"),
                    "parameters": _field(tool, "parameters"),
                }
            )
            total += 8 + count_tokens(json.dumps(spec, ensure_ascii=False))
    return total
