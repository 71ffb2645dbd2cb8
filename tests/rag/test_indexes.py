"""Index building for one data item."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyfastgpt.rag.indexes import IndexSpec, build_indexes, plan_index_changes, split_index_text
from pyfastgpt.rag.splitter import estimate_tokens

DATA = Path(__file__).resolve().parent / "data"
POLICY = (DATA / "zh_policy.txt").read_text()


def test_short_q_and_a_give_one_default_index_each() -> None:
    indexes = build_indexes("如何重置密码？", "运行 reset-password 命令。", index_size=512, max_tokens=512)
    assert indexes == [IndexSpec("default", "如何重置密码？"), IndexSpec("default", "运行 reset-password 命令。")]


def test_long_q_is_split_into_index_size_pieces() -> None:
    indexes = build_indexes(POLICY, index_size=128, max_tokens=512)
    assert len(indexes) > 5
    assert all(item.type == "default" for item in indexes)
    assert all(estimate_tokens(item.text) <= 128 * 1.6 for item in indexes)
    joined = "".join(item.text for item in indexes)
    assert "第八章 附则" in joined and "员工差旅管理办法" in joined


def test_prefix_title_is_added_to_default_indexes_only() -> None:
    indexes = build_indexes(
        "报销需要哪些材料？",
        "审批单、发票和行程单。",
        index_size=256,
        max_tokens=512,
        prefix_title="差旅制度",
        custom_indexes=[IndexSpec("custom", "报销材料清单")],
    )
    assert indexes == [
        IndexSpec("custom", "报销材料清单"),
        IndexSpec("default", "# 差旅制度\n报销需要哪些材料？"),
        IndexSpec("default", "# 差旅制度\n审批单、发票和行程单。"),
    ]


def test_prefix_budget_is_taken_from_the_token_limit() -> None:
    pieces = split_index_text(POLICY, index_size=512, max_tokens=100, prefix="# 差旅制度", count_tokens=estimate_tokens)
    assert all(p.startswith("# 差旅制度\n") for p in pieces)
    assert all(estimate_tokens(p) <= 100 * 1.6 for p in pieces)
    with pytest.raises(ValueError):
        split_index_text("text", index_size=512, max_tokens=70, prefix="# " + "长" * 20, count_tokens=estimate_tokens)


def test_custom_indexes_are_kept_when_different_and_deduplicated() -> None:
    indexes = build_indexes(
        "What is the refund policy?",
        index_size=512,
        max_tokens=512,
        custom_indexes=[
            IndexSpec("question", "How do refunds work?"),
            IndexSpec("custom", "What is the refund policy?"),  # equals the default index: dropped
            IndexSpec("summary", "How do refunds work?"),  # repeats an earlier user index: dropped
            IndexSpec("default", "stale system text"),  # system indexes are regenerated, never taken
            IndexSpec("", "refund window 30 days"),  # no type: custom
        ],
    )
    assert indexes == [
        IndexSpec("question", "How do refunds work?"),
        IndexSpec("custom", "refund window 30 days"),
        IndexSpec("default", "What is the refund policy?"),
    ]


def test_oversized_custom_index_is_split_with_its_type() -> None:
    indexes = build_indexes("q", index_size=64, max_tokens=80, custom_indexes=[IndexSpec("summary", POLICY[:600])])
    summaries = [item for item in indexes if item.type == "summary"]
    assert len(summaries) > 1
    assert all(estimate_tokens(item.text) <= 80 * 1.6 for item in summaries)


def test_existing_ids_are_reused_for_unchanged_texts() -> None:
    existing = [
        IndexSpec("default", "Old question text", "vec-1"),
        IndexSpec("default", "Answer that stays", "vec-2"),
        IndexSpec("custom", "keep me", "vec-3"),
        IndexSpec("custom", "drop me", "vec-4"),
    ]
    indexes = build_indexes(
        "New question text",
        "Answer that stays",
        index_size=512,
        max_tokens=512,
        custom_indexes=[IndexSpec("custom", "keep me"), IndexSpec("custom", "brand new")],
        existing_indexes=existing,
    )
    assert indexes == [
        IndexSpec("custom", "keep me", "vec-3"),
        IndexSpec("custom", "brand new"),
        IndexSpec("default", "New question text"),
        IndexSpec("default", "Answer that stays", "vec-2"),
    ]
    changes = {(c.op, c.index.text) for c in plan_index_changes(existing, indexes)}
    assert changes == {
        ("delete", "Old question text"),
        ("delete", "drop me"),
        ("unchanged", "keep me"),
        ("unchanged", "Answer that stays"),
        ("create", "brand new"),
        ("create", "New question text"),
    }


def test_a_default_index_may_take_the_vector_of_a_user_index_with_the_same_text() -> None:
    indexes = build_indexes(
        "Same text", index_size=512, max_tokens=512, custom_indexes=[IndexSpec("custom", "Same text", "vec-9")]
    )
    assert indexes == [IndexSpec("default", "Same text", "vec-9")]


def test_changed_text_under_a_known_id_is_an_update() -> None:
    current = [IndexSpec("question", "old wording", "vec-5")]
    desired = [IndexSpec("question", "new wording", "vec-5")]
    assert [(c.op, c.index.data_id) for c in plan_index_changes(current, desired)] == [("update", "vec-5")]


def test_a_chunk_within_the_index_size_is_its_own_index_without_a_second_split(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyfastgpt.rag.splitter.recursive import RecursiveSplitter

    chunk = (
        "# 差旅制度\n## 报销\n\n报销需要审批单、发票和行程单。Receipts are scanned within 30 days.\n\n逾期不予报销。"
    )

    def ladder(*args: object) -> list[str]:
        raise AssertionError("a chunk that fits was split again")

    monkeypatch.setattr(RecursiveSplitter, "_recurse", ladder)
    assert build_indexes(chunk, index_size=512, max_tokens=512) == [IndexSpec("default", chunk)]
    assert build_indexes(chunk, index_size=512, max_tokens=512, prefix_title="制度") == [
        IndexSpec("default", f"# 制度\n{chunk}")
    ]


def test_ids_are_kept_or_made_none_when_nothing_is_stored() -> None:
    drafts = [IndexSpec("custom", "a", ""), IndexSpec("custom", "b", "7"), IndexSpec("question", "c")]
    assert build_indexes("q", index_size=512, custom_indexes=drafts) == [
        IndexSpec("custom", "a", None), IndexSpec("custom", "b", "7"), IndexSpec("question", "c"),
        IndexSpec("default", "q"),
    ]  # fmt: skip
