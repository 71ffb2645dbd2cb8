"""`estimate_tokens` counts letter and digit groups on bytes: the same count as its regex definition."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pyfastgpt.rag.splitter.length import estimate_tokens

# The definition: one per symbol (not a letter, digit or whitespace; the ideographic space counts), one per
# started group of 4 ASCII letters or 3 digits.
SYMBOL_FREE = re.compile(r"[\sA-Za-z0-9]+")
GROUP = re.compile(r"[A-Za-z]{1,4}|[0-9]{1,3}")
FRAGMENTS = ["a", "abcd", "abcde", "Z9", "123", "1234", " ", "\n", "\u3000", "知识", "é", "ｆ", "０", "-", "a-b",
             "\ud800"]  # fmt: skip


def defined(text: str) -> int:
    return len(SYMBOL_FREE.sub("", text)) + text.count("\u3000") + GROUP.subn("", text)[1]


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), st.text()))
def test_estimate_is_its_definition(text: str) -> None:
    assert estimate_tokens(text) == defined(text)


def test_groups_of_letters_and_digits() -> None:
    assert [estimate_tokens(text) for text in ("", "abcd", "abcde", "123", "1234", "ab12cd", "知识 库")] == [
        0, 1, 2, 1, 2, 3, 3,
    ]  # fmt: skip
