"""The splitter's shortcuts give the ladder's answer: a text no step would cut is kept whole, piece
lengths are carried instead of recounted, separator regexes and piece tests are skipped when a
substring test rules them out, and the counters are the same functions, only faster."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyfastgpt.rag.splitter import count_valid_chars, estimate_tokens, split_text
from pyfastgpt.rag.splitter.length import (
    _WIDE_SPACE,
    LengthCounter,
    has_wide_space,
    joined_length,
    narrow_counter,
)
from pyfastgpt.rag.splitter.recursive import (
    _AFTER,
    _HEADING_STARTS,
    _HEADINGS,
    CODE_LINE_MARKER,
    MAX_HEADING_DEPTH,
    SPLIT_MARKER,
    RecursiveSplitter,
    _is_code_block,
    _Step,
)
from pyfastgpt.rag.splitter.table import is_markdown_table

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


# the splitter settings both ladder comparisons draw (with their own paragraph depths)
SPLIT_SETTINGS = {
    "text": st.one_of(texts, chains),
    "chunk_size": st.sampled_from([8, 30, 100, 600]),
    "token": st.booleans(),
    "overlap": st.sampled_from([0.0, 0.15, 0.2]),
    "custom": st.sampled_from([[], ["\\n\\n|。"]]),
}


@CHECKS
@given(**SPLIT_SETTINGS, deep=st.sampled_from([0, 1, 3, 5, 8, 9]))
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


# the separator patterns as first written (multi-line anchors, alternatives with no leading literal)
FIRST_HEADINGS = [re.compile(rf"^(#{{{level}}}\s[^\n]+\n)", re.M) for level in range(1, MAX_HEADING_DEPTH + 1)]
FIRST_HEADING_STARTS = [re.compile(rf"^#{{1,{depth}}}\s", re.M) for depth in range(1, MAX_HEADING_DEPTH + 1)]
FIRST_AFTER = [
    re.compile(pattern)
    for pattern in (
        r"(\n\|(?:[^\n|]*\|)+\n\|(?:[:\-\s]*\|)+\n(?:\|(?:[^\n|]*\|)*\n)*)",
        r"(\n{2,})",
        r"([\n])",
        r"([。]|([a-zA-Z])\.\s)",
        r"([！]|!\s)",
        r"([？]|\?\s)",
        r"([；]|;\s)",
        r"([，]|,\s)",
    )
]
SEPARATOR_TEXTS = st.one_of(
    texts, st.text(alphabet=st.sampled_from(list("#| \n\t.。!！?？;；,，:-aZ9知\u3000")), max_size=60)
)


def _mark_before(match: re.Match[str]) -> str:  # as headings are marked
    return f"<>{match.group(1)}"


def _mark_after(match: re.Match[str]) -> str:  # as the other separators are
    return f"{match.group(1) or ''}<>"


@CHECKS
@given(text=SEPARATOR_TEXTS, start=st.integers(0, 8))
def test_the_separator_patterns_match_as_first_written(text: str, start: int) -> None:
    for pattern, first in zip(_HEADINGS, FIRST_HEADINGS, strict=True):
        assert pattern.subn(_mark_before, text) == first.subn(_mark_before, text)
        assert bool(pattern.search(text)) == bool(first.search(text))
    for pattern, first in zip(_HEADING_STARTS, FIRST_HEADING_STARTS, strict=True):
        assert bool(pattern.search(text, start)) == bool(first.search(text, start))
    for (pattern, needles), first in zip(_AFTER, FIRST_AFTER, strict=True):
        assert [m.end() for m in pattern.finditer(text)] == [m.end() for m in first.finditer(text)]
        assert pattern.sub(_mark_after, text) == first.sub(_mark_after, text)
        assert any(needle in text for needle in needles) or first.search(text) is None


class _Unhurried(RecursiveSplitter):
    """The splitter without its shortcuts: every piece tested for code and tables, every piece
    measured with the counter given (not recognised as a built-in one), every separator regex run."""

    def _is_code_block(self, text: str) -> bool:
        return _is_code_block(text)

    def _is_table(self, text: str) -> bool:
        return is_markdown_table(text)


@CHECKS
@given(**SPLIT_SETTINGS, deep=st.sampled_from([0, 1, 3, 5, 8]))
def test_skipping_tests_and_measurements_gives_what_the_ladder_gives(
    text: str, chunk_size: int, token: bool, overlap: float, deep: int, custom: list[str]
) -> None:
    counter = estimate_tokens if token else count_valid_chars

    def outcome(kind: type[RecursiveSplitter], count: LengthCounter) -> list[str] | str:
        options = {"overlap_ratio": overlap, "custom_reg": custom, "paragraph_deep": deep, "token_mode": token}
        try:
            return kind(chunk_size=chunk_size, max_size=chunk_size * 3, count=count, **options).split(text)
        except ValueError as error:
            return repr(error)

    fast = outcome(RecursiveSplitter, counter)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Step, "may_match", lambda step, text: True)
        assert fast == outcome(_Unhurried, lambda text: counter(text))


@CHECKS
@given(text=st.one_of(texts, st.text()))
def test_the_narrow_counts_are_the_counts_of_texts_without_wide_spaces(text: str) -> None:
    assert has_wide_space(text) == bool(re.search(r"[^\S\x00-\x7f]", text))
    counters: list[LengthCounter] = [count_valid_chars, estimate_tokens, len]
    if not has_wide_space(text):
        assert [narrow_counter(count)(text) for count in counters] == [count(text) for count in counters]


def test_the_wide_spaces_are_the_whitespace_beyond_ascii() -> None:
    """Every code point the regex ``\\s`` matches beyond ASCII is either U+3000 or in ``_WIDE_SPACE``."""
    wide = [chr(code) for code in range(0x80, 0x110000) if re.match(r"\s", chr(code))]
    assert [char for char in wide if not _WIDE_SPACE.match(char)] == ["\u3000"]
    assert all(has_wide_space(char) for char in wide)
