"""The splitter's shortcuts give the ladder's answer: a text no step would cut is kept whole, piece
lengths are carried instead of recounted, and the counters are the same functions, only faster."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyfastgpt.rag.splitter import count_valid_chars, estimate_tokens, split_text
from pyfastgpt.rag.splitter.length import LengthCounter, joined_length
from pyfastgpt.rag.splitter.recursive import CODE_LINE_MARKER, SPLIT_MARKER, RecursiveSplitter

# pieces that exercise every step of the ladder: headings of every level, fences, tables, blank
# lines, sentence and clause ends (CJK and Latin), CRLF, control characters and the markers
FRAGMENTS = [
    "a", "Hello", "words", "abcdefghijklmnopqrstuvwxyz", "x1", "42", "12345", " ", "  ", "\t", "\n", "\n\n",
    "\n\n\n", "\r\n", "\r", "。", "，", "！", "？", "；", ". ", "! ", "? ", "; ", ", ", "知识库", "向量", "검색",
    "ｆｕｌｌ", "# ", "## ", "### ", "#### ", "##### ", "###### ", "#\t", "Title\n", "```", "~~~", "```py\nx = 1\n```",
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n", "|", "-", "\x01", "\u3000", "\xa0", SPLIT_MARKER, CODE_LINE_MARKER,
]  # fmt: skip
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=120).map("".join)
# texts that usually are one heading chain and a body: what the chunk splitter hands the index builder
chains = st.builds(
    lambda levels, body: "".join(f"{'#' * level} Heading {level}\n" for level in levels) + body,
    st.lists(st.integers(1, 9), max_size=4),
    texts,
)
CHECKS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def splitter(chunk_size: int, token: bool, overlap: float, deep: int, custom: list[str]) -> RecursiveSplitter:
    return RecursiveSplitter(
        chunk_size=chunk_size,
        max_size=chunk_size * 3,
        overlap_ratio=overlap,
        custom_reg=custom,
        paragraph_deep=deep,
        count=estimate_tokens if token else count_valid_chars,
        token_mode=token,
    )


@CHECKS
@given(
    text=st.one_of(texts, chains),
    chunk_size=st.sampled_from([8, 30, 100, 600]),
    token=st.booleans(),
    overlap=st.sampled_from([0.0, 0.15, 0.2]),
    deep=st.sampled_from([0, 1, 3, 5, 8, 9]),
    custom=st.sampled_from([[], ["\\n\\n|。"]]),
)
def test_keeping_a_text_whole_gives_what_the_ladder_gives(
    text: str, chunk_size: int, token: bool, overlap: float, deep: int, custom: list[str]
) -> None:
    def outcome(shortcut: bool) -> list[str] | str:
        try:
            return splitter(chunk_size, token, overlap, deep, custom).split(text, shortcut=shortcut)
        except ValueError as error:  # e.g. a table header longer than a token chunk: both refuse
            return repr(error)

    assert outcome(True) == outcome(False)


def test_a_chunk_within_the_index_size_is_not_split_again(monkeypatch: pytest.MonkeyPatch) -> None:
    chunk = "# Guide\n## Install\n\nRun the installer. 然后重启服务。\n\nThen log in."
    assert split_text(chunk, chunk_size=512, max_size=512, mode="token") == [chunk]

    def ladder(*args: object) -> list[str]:
        raise AssertionError("the ladder ran on a text that fits")

    monkeypatch.setattr(RecursiveSplitter, "_recurse", ladder)
    assert split_text(chunk, chunk_size=512, max_size=512, mode="token") == [chunk]


def _reference_tokens(text: str) -> int:
    """``estimate_tokens`` as first written: CJK characters, words, digit runs and symbols."""
    total = len(re.findall(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]", text))
    for piece in re.findall(
        r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]", text
    ):
        if piece[0].isascii() and piece[0].isalpha():
            total += (len(piece) + 3) // 4
        elif piece[0].isascii() and piece[0].isdigit():
            total += (len(piece) + 2) // 3
        else:
            total += 1
    return total


@CHECKS
@given(text=st.one_of(texts, st.text()))
def test_the_counters_count_as_their_definitions(text: str) -> None:
    assert estimate_tokens(text) == _reference_tokens(text)
    assert count_valid_chars(text) == len(text) - len(re.findall(r"\s", text))


@CHECKS
@given(left=st.one_of(texts, st.text()), right=st.one_of(texts, st.text()))
def test_a_join_is_measured_from_its_parts(left: str, right: str) -> None:
    counters: list[LengthCounter] = [estimate_tokens, count_valid_chars, len]
    for count in counters:
        assert joined_length(count, left, count(left), right, count(right)) == count(left + right)
