"""Query extension (FastGPT's `cfr` for dataset search): an LLM rewrites the question, using the
chat history and a background text, into a few standalone search queries."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest, ModelRegistry
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.json5 import parse_json5

log = logging.getLogger(__name__)

HISTORY_TURNS = 6
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")

EXTENSION_PROMPT = """你是知识库检索的查询改写助手。请结合"对话背景"和"历史记录"，把"原问题"改写成 3 个左右\
意思完整、不依赖上下文的检索问题：补全代词和省略的对象，从不同角度表述，并且与原问题使用相同的语言。\
如果原问题是寒暄或已经足够清楚，可以只给出 1 个。只输出一个 JSON 字符串数组，不要输出其他内容。

示例
历史记录:
\"\"\"
Q: 对话背景。
A: 当前对话是关于 pyfastgpt 的部署和使用。
\"\"\"
原问题: 怎么升级
检索词: ["如何升级 pyfastgpt？","pyfastgpt 升级的步骤是什么？","升级 pyfastgpt 需要注意什么？"]

历史记录:
\"\"\"
Q: Who maintains the SDK?
A: The SDK is maintained by the platform team.
\"\"\"
原问题: how do I contact them
检索词: ["How to contact the platform team that maintains the SDK?","Platform team contact information."]

历史记录:
\"\"\"
{histories}
\"\"\"
原问题: {query}
检索词: """


@dataclass(slots=True)
class Extension:
    queries: list[str]  # the original query first, then the distinct rewrites
    rerank_query: str  # the queries joined by newlines (the rerank query)
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    extension_queries: list[str] | None = None  # what the model produced (None: no extension ran)


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    parts: list[str] = []
    for part in value or []:
        if not isinstance(part, dict):
            continue
        text = part.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("content") or ""))
        elif isinstance(text, str):
            parts.append(text)
        elif isinstance(part.get("content"), str):
            parts.append(part["content"])
    return "\n".join(p for p in parts if p)


def history_text(histories: Sequence[dict[str, Any]], background: str) -> str:
    """`Q: …` / `A: …` lines: the background as a first exchange, then the last turns."""
    lines = [f"Q: 对话背景。\nA: {background}"] if background.strip() else []
    for item in list(histories)[-HISTORY_TURNS:]:
        obj = item.get("obj") or item.get("role")
        if obj in ("System", "system"):
            continue
        role = "Q" if obj in ("Human", "user") else "A"
        text = _text_of(item.get("value", item.get("content")))
        if text.strip():
            lines.append(f"{role}: {text.strip()}")
    return "\n".join(lines)


def parse_queries(answer: str) -> list[str]:
    """The JSON array in the model's answer (tolerating prose around it and JSON5 quirks)."""
    answer = answer.replace('\\"', '"')
    start, end = answer.find("["), answer.rfind("]")
    if start == -1 or end <= start:
        return []
    try:
        value = parse_json5(answer[start : end + 1])
    except (ValueError, SyntaxError, RecursionError):
        return []
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()]


def distinct_queries(queries: Sequence[str]) -> list[str]:
    """Drop empty queries and those equal to an earlier one once punctuation and spaces are removed."""
    seen: set[str] = set()
    kept: list[str] = []
    for query in queries:
        query = query.strip()
        key = hashlib.sha256(_NOT_LETTER_OR_DIGIT.sub("", query).encode()).hexdigest()
        if query and key not in seen:
            seen.add(key)
            kept.append(query)
    return kept


async def extend_query(
    registry: ModelRegistry,
    *,
    query: str,
    model_id: str | None,
    background: str = "",
    histories: Sequence[dict[str, Any]] = (),
) -> Extension:
    """Rewrite `query`; any failure (no model, provider error, unparsable answer) falls back to the
    query alone, as FastGPT does."""
    plain = Extension(queries=[query], rerank_query=query)
    try:
        model = registry.llm(model_id)
        prompt = EXTENSION_PROMPT.format(histories=history_text(histories, background), query=query)
        result = await model.complete(
            ChatRequest(messages=[ChatMessage(role="user", content=prompt)], model=model.model_id, temperature=0.1)
        )
    except Exception as exc:  # the search must not fail because the rewrite did
        log.warning("query extension failed: %s", exc)
        return plain
    produced = parse_queries(result.content)
    input_tokens = result.usage.input_tokens or count_tokens(prompt)
    output_tokens = result.usage.output_tokens or count_tokens(result.content)
    if not produced:
        return Extension(
            queries=[query],
            rerank_query=query,
            model=model.model_id,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
        )
    queries = distinct_queries([query, *produced])
    return Extension(
        queries=queries,
        rerank_query="\n".join(queries),
        model=model.model_id,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        extension_queries=produced,
    )
