"""Properties of the splitter on real documents: sizes, heading chains, tables, code, overlap, coverage."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from pyfastgpt.rag.splitter import CUSTOM_SPLIT_SIGN, count_valid_chars, estimate_tokens, split_text

DATA = Path(__file__).resolve().parents[1] / "data"
ZH_MANUAL = (DATA / "zh_manual.md").read_text()
EN_RUNBOOK = (DATA / "en_runbook.md").read_text()
ZH_POLICY = (DATA / "zh_policy.txt").read_text()
EN_FAQ = (DATA / "en_faq.txt").read_text()
QA_PAIRS = (DATA / "qa_pairs.txt").read_text()

# clause ends: the finest separators the splitter uses before a hard cut
CLAUSE_END = re.compile(r"(?<=[。！？；，])|(?<=[.!?;,]) ")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _headings(text: str) -> set[str]:
    headings, fenced = set(), False
    for line in text.splitlines():
        fenced ^= line.startswith(("```", "~~~"))
        if not fenced and re.match(r"#{1,6} ", line):
            headings.add(line)
    return headings


def _body(chunk: str, headings: set[str]) -> str:
    """A chunk without the heading chain the splitter prefixes it with."""
    lines = chunk.split("\n")
    while lines and lines[0] in headings:
        lines.pop(0)
    return "\n".join(lines)


def _clauses(text: str) -> list[str]:
    parts = [_squash(p) for line in text.split("\n") for p in CLAUSE_END.split(line)]
    return [p for p in parts if len(p) >= 4]


@pytest.mark.parametrize("text", [ZH_MANUAL, EN_RUNBOOK, ZH_POLICY, EN_FAQ], ids=["zh-md", "en-md", "zh", "en"])
@pytest.mark.parametrize("chunk_size", [100, 300, 1000])
def test_no_clause_is_lost(text: str, chunk_size: int) -> None:
    headings = _headings(text)
    chunks = split_text(text, chunk_size=chunk_size, overlap_ratio=0.2)
    joined = _squash("".join(_body(chunk, headings) for chunk in chunks))
    body = "\n".join(line for line in text.splitlines() if line not in headings)
    missing = [s for s in _clauses(body) if s not in joined]
    assert missing == []


@pytest.mark.parametrize("text", [ZH_POLICY, EN_FAQ], ids=["zh", "en"])
@pytest.mark.parametrize("chunk_size", [150, 400])
def test_plain_text_chunk_sizes_stay_near_the_target(text: str, chunk_size: int) -> None:
    chunks = split_text(text, chunk_size=chunk_size, overlap_ratio=0.2, paragraph_deep=0)
    sizes = [count_valid_chars(c) for c in chunks]
    assert len(chunks) > count_valid_chars(text) // (2 * chunk_size)
    # a merged chunk may reach 1.2x the target, and short tails (< 40 %) are appended at each level
    assert max(sizes) <= chunk_size * 2
    # all but the last are at least the 0.8x floor minus one sentence of slack
    assert sum(size >= chunk_size * 0.5 for size in sizes[:-1]) >= len(sizes[:-1]) * 0.8


def test_heading_chain_is_kept_as_prefix() -> None:
    chunks = split_text(ZH_MANUAL, chunk_size=300, overlap_ratio=0.2)
    assert all(c.startswith("# 星河知识库使用手册") for c in chunks)
    threshold = [c for c in chunks if "相似度阈值用于过滤" in c]
    assert threshold
    assert all(c.startswith("# 星河知识库使用手册\n## 检索调优\n### 相似度阈值\n") for c in threshold)
    english = split_text(EN_RUNBOOK, chunk_size=200, overlap_ratio=0.2)
    failover = [c for c in english if "orchestrator promotes the replica" in c]
    assert failover
    assert all(
        c.startswith("# Orbit Platform Operations Runbook\n## Recovery\n### Database failover") for c in failover
    )


def test_headings_are_ignored_beyond_the_paragraph_depth() -> None:
    chunks = split_text(ZH_MANUAL, chunk_size=300, overlap_ratio=0.2, paragraph_deep=0)
    assert not chunks[1].startswith("#")
    assert sum(c.startswith("# 星河知识库使用手册") for c in chunks) == 1


def test_code_blocks_stay_whole() -> None:
    block = EN_RUNBOOK[EN_RUNBOOK.index("```yaml") : EN_RUNBOOK.index("```\n\n## Monitoring") + 3]
    # (the length of a fenced block counts FastGPT's internal line markers, so 4x is reached early)
    for size in (150, 400, 1000):
        chunks = split_text(EN_RUNBOOK, chunk_size=size, overlap_ratio=0.2)
        holding = [c for c in chunks if "maxUnavailable" in c]
        assert len(holding) == 1
        assert block in holding[0]


def test_code_blocks_longer_than_four_chunks_are_cut() -> None:
    code = "```text\n" + "\n".join(f"line {i} of a very long generated log file" for i in range(80)) + "\n```"
    chunks = split_text(f"Intro paragraph.\n\n{code}\n\nOutro paragraph.", chunk_size=100, overlap_ratio=0.2)
    assert len(chunks) > 4
    assert _squash("".join(chunks)).count("line79") == 1


@pytest.mark.parametrize("chunk_size", [60, 120])
def test_long_tables_are_split_with_the_header_repeated(chunk_size: int) -> None:
    header = "| Metric | Warning | Critical | Owner |\n| --- | --- | --- | --- |"
    chunks = split_text(EN_RUNBOOK, chunk_size=chunk_size, overlap_ratio=0.2)
    table_chunks = [c for c in chunks if "| --- | --- | --- | --- |" in c]
    assert len(table_chunks) >= 2
    assert all(header in c for c in table_chunks)
    rows = [line for line in EN_RUNBOOK.splitlines() if line.startswith("| ") and "---" not in line][1:]
    for row in rows:
        assert any(row in c for c in table_chunks)


def test_a_document_that_is_a_table_splits_by_rows() -> None:
    rows = "\n".join(f"| {i} | 名称{i} | 这是第 {i} 行的说明文字 |" for i in range(60))
    table = f"| 编号 | 名称 | 说明 |\n| --- | --- | --- |\n{rows}"
    chunks = split_text(table, chunk_size=200)
    assert len(chunks) > 3
    assert all(c.startswith("| 编号 | 名称 | 说明 |\n| --- | --- | --- |\n|") for c in chunks)
    assert sum(c.count("这是第") for c in chunks) == 60


def test_overlap_is_taken_at_sentence_boundaries() -> None:
    chunks = split_text(EN_FAQ, chunk_size=200, overlap_ratio=0.2, paragraph_deep=0)
    overlapping = 0
    for previous, current in itertools.pairwise(chunks):
        first_sentence = current.split(". ")[0]
        if len(first_sentence) > 10 and first_sentence in previous:
            overlapping += 1
    assert overlapping >= len(chunks) // 3
    without = split_text(EN_FAQ, chunk_size=200, overlap_ratio=0.0, paragraph_deep=0)
    assert sum(len(c) for c in without) < sum(len(c) for c in chunks)


def test_no_overlap_across_headings() -> None:
    chunks = split_text(ZH_MANUAL, chunk_size=1000, overlap_ratio=0.2)
    bodies = [c.split("\n\n", 1)[-1] for c in chunks]
    for previous, current in itertools.pairwise(bodies):
        assert current[:20] not in previous


def test_short_tail_is_merged_into_the_previous_chunk() -> None:
    text = "。".join(["这是一个用于测试的中文句子内容"] * 14) + "。尾巴。"
    chunks = split_text(text, chunk_size=100, overlap_ratio=0)
    assert chunks[-1].endswith("尾巴。")
    assert count_valid_chars(chunks[-1]) > 40


def test_custom_split_sign_and_custom_separator() -> None:
    chunks = split_text(QA_PAIRS, chunk_size=500)
    assert len(chunks) == QA_PAIRS.count(CUSTOM_SPLIT_SIGN) + 1
    assert all(c.startswith("Q:") for c in chunks)
    by_question = split_text(QA_PAIRS.replace(CUSTOM_SPLIT_SIGN, ""), chunk_size=500, custom_reg=["Q:"])
    assert len(by_question) == 4
    assert all(c.startswith(("如何", "知识库", "How", "可以")) for c in by_question)


def test_custom_separator_alternatives_and_escaped_newline() -> None:
    text = "甲段内容\n\n乙段内容###丙段内容"
    assert split_text(text, chunk_size=500, custom_reg=["\\n\\n|###"]) == ["甲段内容", "乙段内容", "丙段内容"]


def test_token_mode_keeps_every_chunk_within_the_limit() -> None:
    for text in (ZH_MANUAL, EN_RUNBOOK, ZH_POLICY):
        chunks = split_text(text, chunk_size=128, max_size=128, mode="token")
        assert max(estimate_tokens(c) for c in chunks) <= 128 * 1.6
        assert len(chunks) >= estimate_tokens(text) // 256


def test_token_mode_uses_an_injected_counter() -> None:
    words = " ".join(f"w{i}" for i in range(400))
    chunks = split_text(words, chunk_size=50, max_size=50, mode="token", count_tokens=lambda t: len(t.split()))
    assert all(len(c.split()) <= 50 for c in chunks)
    assert {w for c in chunks for w in c.split()} == set(words.split())


def test_hard_cut_for_text_without_separators() -> None:
    text = "字" * 20000
    chunks = split_text(text, chunk_size=1000, overlap_ratio=0.2)
    assert all(len(c) <= 1000 for c in chunks)
    assert len(chunks) == 25  # windows of 1000 advancing by 800
    assert chunks[1].startswith("字" * 200)


def test_empty_and_whitespace_text() -> None:
    assert split_text("", chunk_size=100) == []
    assert split_text(" \n\n \n", chunk_size=100) == []
    with pytest.raises(ValueError):
        split_text("x", chunk_size=0)
