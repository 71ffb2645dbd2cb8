"""FastGPT's QA training mode: ask the LLM to turn a chunk into question/answer pairs.

The prompt is the collection's ``qaPrompt`` (or the default description) followed by FastGPT's
fixed format instructions with the chunk inside ``<Context>``; the answer is parsed into
``Qn:``/``An:`` pairs. No pairs → the caller falls back to plain chunks.
"""

from __future__ import annotations

import re

QA_PROMPT_DESCRIPTION = (
    "<Context></Context> 标记中是一段文本，学习和分析它，并整理学习成果：\n"
    "- 提出问题并给出每个问题的答案。\n"
    "- 答案需详细完整，尽可能保留原文描述。\n"
    "- 答案可以包含普通文字、链接、代码、表格、公示、媒体链接等 Markdown 元素。\n"
    "- 最多提出 30 个问题。\n"
)
QA_FIXED_TEXT = (
    "请按以下格式整理学习成果:\n<Context>\n文本\n</Context>\nQ1: 问题。\nA1: 答案。\nQ2:\nA2:\n\n"
    "------\n\n我们开始吧!\n\n<Context>\n{{text}}\n<Context/>\n"
)
_PAIR = re.compile(r"Q\d+[:：]([\s\S]*?)A\d+[:：]([\s\S]*?)(?=Q\d+[:：]|$)")


def build_qa_prompt(text: str, qa_prompt: str | None = None) -> str:
    return (qa_prompt or QA_PROMPT_DESCRIPTION) + "\n" + QA_FIXED_TEXT.replace("{{text}}", text)


def parse_qa_pairs(answer: str) -> list[tuple[str, str]]:
    """``Q1: … A1: …`` pairs in order; pairs with an empty question are dropped."""
    pairs = []
    for question, reply in _PAIR.findall(answer):
        q, a = question.strip(), reply.strip()
        if q:
            pairs.append((q, a))
    return pairs
