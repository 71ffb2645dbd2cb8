"""FastGPT's QA prompt and the Q/A answer parser."""

from __future__ import annotations

from pyfastgpt.rag.training import QA_PROMPT_DESCRIPTION, build_qa_prompt, parse_qa_pairs


def test_prompt_wraps_the_chunk_in_context() -> None:
    prompt = build_qa_prompt("Paris is in France.")
    assert prompt.startswith(QA_PROMPT_DESCRIPTION)
    assert "<Context>\nParis is in France.\n<Context/>" in prompt and "Q1:" in prompt
    custom = build_qa_prompt("text", "Ask three questions.")
    assert custom.startswith("Ask three questions.") and QA_PROMPT_DESCRIPTION not in custom


def test_pairs_are_parsed_in_order_across_lines() -> None:
    answer = "Sure!\nQ1: What is A?\nA1: A is\nthe first.\n\nQ2：中文问题？\nA2：中文答案。\nQ3:   \nA3: dropped"
    assert parse_qa_pairs(answer) == [("What is A?", "A is\nthe first."), ("中文问题？", "中文答案。")]
    assert parse_qa_pairs("no structure at all") == []
    assert parse_qa_pairs("Q1: only a question") == []
