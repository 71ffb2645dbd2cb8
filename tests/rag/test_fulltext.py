"""Full-text token strings for ingest and queries."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyfastgpt.rag import fulltext
from pyfastgpt.rag.fulltext import asegment, asegment_query, segment, segment_query

DATA = Path(__file__).resolve().parent / "data"


def test_search_mode_emits_words_and_their_parts() -> None:
    assert segment("上海交通大学") == "上海 交通 大学 上海交通大学"
    assert segment_query("知识库检索") == ["知识", "知识库", "检索"]


def test_mixed_text_is_lowercased_without_punctuation_markdown_or_urls() -> None:
    text = "# 使用 FastGPT 的**知识库**：见 https://doc.example.com/kb?x=1 。Hello, World! 版本 4.8"
    tokens = segment(text).split(" ")
    assert "fastgpt" in tokens and "hello" in tokens and "world" in tokens
    assert "知识库" in tokens and "版本" in tokens
    assert not any(t in tokens for t in ("#", "**", "，", "：", "。", "!", ",", "https", "doc.example.com"))
    assert all(t == t.lower() and t.strip() == t for t in tokens)


def test_stopwords_are_trimmed_lightly() -> None:
    assert segment_query("the price of the plan") == ["price", "plan"]
    tokens = segment_query("我的问题是如何使用知识库")
    assert "的" not in tokens and "是" not in tokens
    assert {"问题", "使用", "知识库"} <= set(tokens)  # content words FastGPT's long list would drop


def test_query_tokens_are_distinct_in_order() -> None:
    assert segment_query("检索 检索 Search search") == ["检索", "search"]
    assert segment_query("？！。") == []


def test_stored_tokens_work_with_sqlite_fts5() -> None:
    docs = {
        name: segment(text)
        for name, text in (("manual", (DATA / "zh_manual.md").read_text()), ("faq", (DATA / "en_faq.txt").read_text()))
    }
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table t using fts5(name unindexed, tokens, tokenize='unicode61')")
    db.executemany("insert into t values (?, ?)", docs.items())

    def search(query: str) -> list[str]:
        terms = " OR ".join(f'"{token}"' for token in segment_query(query))
        return [row[0] for row in db.execute("select name from t where t match ? order by rank", (terms,))]

    assert search("相似度阈值怎么设置") == ["manual"]
    assert search("How long can I borrow films?") == ["faq"]


async def test_async_wrappers_and_concurrent_first_use() -> None:
    texts = [f"第{i}段：混合检索把语义检索与全文检索融合。" for i in range(8)]
    results = await asyncio.gather(*(asegment(t) for t in texts))
    assert results == [segment(t) for t in texts]
    assert await asegment_query("语义检索") == ["语义", "检索"]
    assert fulltext.tokenizer() is fulltext.tokenizer()


def test_both_engines_give_the_same_tokens() -> None:
    rjieba = pytest.importorskip("rjieba")
    jieba_cut = fulltext.tokenizer().cut_for_search
    corpus = "\n".join(p.read_text() for p in sorted(DATA.glob("*")) if p.suffix in (".md", ".txt"))
    for paragraph in corpus.split("\n"):
        lowered = paragraph.lower()
        by_jieba = {part for raw in jieba_cut(lowered) for part in re.findall(r"[^\W_]+", raw)}
        by_rjieba = {part for raw in rjieba.cut_for_search(lowered) for part in re.findall(r"[^\W_]+", raw)}
        assert by_jieba == by_rjieba, paragraph


def test_hyphenated_and_dotted_words_are_split() -> None:
    assert set(segment_query("non-profit e-mail node.js")) == {"non", "profit", "e", "mail", "node", "js"}
    assert "4" in segment_query("版本 4.8 发布") and "8" in segment_query("版本 4.8 发布")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab知识 \n#*`_~>[](){}|:/.-htpsHTP")), max_size=80).filter(
        lambda t: "http" not in t
    )
)
def test_markdown_is_stripped_alike_with_or_without_the_url_pattern(text: str) -> None:
    """Text without "http" skips the URL alternative: the same cleaning, one cheap pass."""
    assert fulltext._MARKDOWN.sub(" ", text) == fulltext._MARKDOWN_AND_URLS.sub(" ", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab知识_ .-,é²\u0301١")), max_size=6), max_size=12))
def test_word_parts_match_one_regex_pass_over_the_joined_cuts(cuts: list[str]) -> None:
    """The fast path (whole-word cuts kept as they are) splits exactly like the regex."""
    assert list(fulltext.word_parts(cuts)) == re.findall(r"[^\W_]+", " ".join(cuts))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ab知识_ .-,é²\u0301١")), max_size=6)
        | st.sampled_from(["the", "的", "a"]),
        max_size=12,
    )
)
def test_tokens_are_the_word_parts_without_stopwords(cuts: list[str]) -> None:
    """The cuts that are neither words nor stopwords are left out in one pass: the same tokens."""
    words = re.findall(r"[^\W_]+", " ".join(cuts))
    assert list(fulltext._words_but(cuts, fulltext.STOPWORDS)) == [w for w in words if w not in fulltext.STOPWORDS]


def test_preload_loads_the_engine_in_a_background_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "_cut", None)
    fulltext.preload().join()
    assert fulltext._cut is not None
    assert segment("上海交通大学") == "上海 交通 大学 上海交通大学"


def test_a_failed_preload_is_logged_and_left_to_the_first_segmentation(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fulltext, "_cut", None)
    monkeypatch.setattr(fulltext, "_engine", "rjieba")
    monkeypatch.setitem(sys.modules, "rjieba", None)  # importing it raises ImportError
    fulltext.preload().join()
    assert "could not load the segmentation engine" in caplog.text
    assert fulltext._cut is None
    with pytest.raises(ImportError):
        segment("text")
