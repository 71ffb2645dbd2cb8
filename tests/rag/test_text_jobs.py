"""Ingestion's text work in a worker process gives what the same calls give in this one."""

from __future__ import annotations

from pathlib import Path

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.cpu_work import run_cpu
from pyfastgpt.rag.fulltext import segment
from pyfastgpt.rag.indexes import IndexSpec, build_indexes
from pyfastgpt.rag.splitter.settings import ChunkSettings, raw_text_to_chunks
from pyfastgpt.rag.text_jobs import IndexRequest, plan_indexes, segment_items, split_chunks

POLICY = (Path(__file__).resolve().parent / "data" / "zh_policy.txt").read_text()
MIXED = POLICY[:3000] + "\n\n## Node.js 与 e.g. 上海交通大学\n\n" + "The queue claims jobs with a lease. " * 40


async def test_split_chunks_in_a_worker_equals_the_splitter_here() -> None:
    for settings in (ChunkSettings(), ChunkSettings(chunk_size=300, index_size=128)):
        expected = [chunk for chunk in raw_text_to_chunks(MIXED, settings) if chunk.strip()]
        assert len(expected) > 1
        assert await run_cpu(1, split_chunks, MIXED, settings) == expected
    assert await run_cpu(1, split_chunks, "\n\n  \n", ChunkSettings()) == []


async def test_plan_indexes_in_a_worker_equals_build_indexes_here() -> None:
    custom = [IndexSpec("custom", "重置密码的步骤"), IndexSpec("question", "How do I reset it?")]
    stored = [IndexSpec("default", POLICY[:200].strip(), "41"), IndexSpec("custom", "重置密码的步骤", "42")]
    requests = [
        IndexRequest(POLICY[:2500], "", index_size=128, max_tokens=512),
        IndexRequest("如何重置密码？", "运行 reset-password 命令。", index_size=512, max_tokens=None),
        IndexRequest(MIXED, "answer", 256, 512, custom_indexes=custom, existing_indexes=stored, prefix_title="手册"),
    ]
    expected = plan_indexes(requests)  # here
    assert expected[1] == build_indexes("如何重置密码？", "运行 reset-password 命令。", index_size=512)
    assert IndexSpec("custom", "重置密码的步骤", "42") in expected[2]  # the stored user index keeps its id
    assert all(spec.text.startswith("# 手册\n") for spec in expected[2] if spec.type == "default")
    assert len(expected[0]) > 3
    assert await run_cpu(1, plan_indexes, requests) == expected


async def test_segment_items_in_a_worker_equals_segmenting_here() -> None:
    items = [(MIXED, ""), ("如何重置密码？", "运行 reset-password 命令。"), ("", "")]
    expected = [(segment(f"{q}\n{a}"), count_tokens(f"{q}{a}")) for q, a in items]
    assert "上海交通大学" in expected[0][0] and expected[1][1] > 0
    assert await run_cpu(1, segment_items, items) == expected
