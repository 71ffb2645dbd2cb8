"""Chunk-settings resolution and the chunk trigger (FastGPT computedCollectionChunkSettings)."""

from __future__ import annotations

from pathlib import Path

from pyfastgpt.rag.splitter import ChunkSettings, raw_text_to_chunks, resolve_chunk_settings, split_text

DATA = Path(__file__).resolve().parents[1] / "data"
POLICY = (DATA / "zh_policy.txt").read_text()


def test_auto_mode_for_chunk_training() -> None:
    settings = resolve_chunk_settings(
        {
            "trainingType": "chunk",
            "chunkSettingMode": "auto",
            "chunkSize": 300,
            "chunkSplitter": "###",
            "qaPrompt": "x",
        },
        embedding_default_tokens=384,
        embedding_max_tokens=512,
        llm_max_context=16000,
        llm_max_response=4000,
    )
    assert settings.chunk_split_mode == "paragraph"
    assert settings.paragraph_chunk_deep == 5
    assert settings.paragraph_chunk_min_size == 100
    assert settings.chunk_size == 1000
    assert settings.index_size == 384
    assert settings.chunk_splitter is None
    assert settings.qa_prompt is None
    assert settings.max_size == 12000
    assert settings.split_kwargs() == {
        "chunk_size": 1000,
        "overlap_ratio": 0.2,
        "custom_reg": [],
        "max_size": 12000,
        "paragraph_deep": 5,
        "paragraph_min_size": 100,
    }


def test_auto_mode_for_qa_training() -> None:
    big = resolve_chunk_settings(
        ChunkSettings(training_type="qa", qa_prompt="Ask about it"),
        embedding_max_tokens=2048,
        llm_max_context=128000,
        llm_max_response=8000,
    )
    assert big.chunk_size == 8000
    assert big.index_size == 2048
    assert big.qa_prompt == "Ask about it"
    assert big.overlap_ratio == 0
    small = resolve_chunk_settings(ChunkSettings(training_type="qa"), llm_max_context=3000, llm_max_response=2000)
    assert small.chunk_size == 2000  # never below 2000
    assert small.index_size == 512  # no embedding model info


def test_custom_mode_clamps_to_the_llm_and_keeps_depth_only_for_paragraphs() -> None:
    paragraph = resolve_chunk_settings(
        {"chunkSettingMode": "custom", "chunkSplitMode": "paragraph", "paragraphChunkDeep": 3, "chunkSize": 50000},
        llm_max_context=16000,
        llm_max_response=4000,
    )
    assert paragraph.chunk_size == 12000
    assert paragraph.paragraph_chunk_deep == 3
    size = resolve_chunk_settings(
        {"chunkSettingMode": "custom", "chunkSplitMode": "size", "chunkSize": 600, "indexSize": 4096},
        embedding_max_tokens=1024,
    )
    assert size.chunk_size == 600
    assert size.paragraph_chunk_deep == 0
    assert size.index_size == 1024
    char = resolve_chunk_settings({"chunkSettingMode": "custom", "chunkSplitMode": "char", "chunkSplitter": "\\n\\n"})
    assert char.split_kwargs()["custom_reg"] == ["\\n\\n"]
    assert char.chunk_size == 512  # FastGPT's fallback when no size is given


def test_abandoned_auto_training_type_becomes_chunk_with_auto_indexes() -> None:
    settings = resolve_chunk_settings({"trainingType": "auto"})
    assert settings.training_type == "chunk"
    assert settings.auto_indexes is True


def test_chunk_trigger() -> None:
    short = "一段很短的文字。"
    settings = resolve_chunk_settings({"chunkSettingMode": "custom", "chunkSplitMode": "size", "chunkSize": 100})
    assert raw_text_to_chunks(short * 10, settings) == [short * 10]  # below chunkTriggerMinSize (1000)
    settings.chunk_trigger_type = "forceChunk"
    assert len(raw_text_to_chunks(short * 40, settings)) > 1
    settings.chunk_trigger_type = "maxSize"  # whole unless >= 70 % of the LLM limit (8000 → 5600)
    assert raw_text_to_chunks(POLICY, settings) == [POLICY]
    settings.chunk_trigger_type = "minSize"
    assert raw_text_to_chunks(POLICY, settings) == split_text(POLICY, **settings.split_kwargs())
    assert raw_text_to_chunks("  \n", settings) == []
