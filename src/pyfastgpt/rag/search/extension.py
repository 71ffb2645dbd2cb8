"""Query extension (FastGPT's `cfr` for dataset search): an LLM rewrites the question, using the
chat history and a background text, into a few standalone search queries."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest, ModelRegistry
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.json5 import parse_json5

log = logging.getLogger(__name__)

HISTORY_TURNS = 6  # chat items the dataset search passes (FastGPT: the last 3 rounds)
MAX_QUERIES = 5
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")

# `packages/service/core/ai/functions/queryExtension.ts` (systemTitle defaults to FastAI)
QUERY_EXTENSION_PROMPT = '## 你的任务\n你作为一个向量检索助手，你的任务是结合历史记录，从不同角度，为“原问题”生成个不同版本的“检索词”，从而提高向量检索的语义丰富度，提高向量检索的精度。\n生成的问题要求指向对象清晰明确，并与“原问题语言相同”。\n\n## 参考示例\n\n历史记录: \n"""\nnull\n"""\n原问题: 介绍下剧情。\n检索词: ["介绍下故事的背景。","故事的主题是什么？","介绍下故事的主要人物。"]\n----------------\n历史记录: \n"""\nuser: 对话背景。\nassistant: 当前对话是关于 Nginx 的介绍和使用等。\n"""\n原问题: 怎么下载\n检索词: ["Nginx 如何下载？","下载 Nginx 需要什么条件？","有哪些渠道可以下载 Nginx？"]\n----------------\n历史记录: \n"""\nuser: 对话背景。\nassistant: 当前对话是关于 Nginx 的介绍和使用等。\nuser: 报错 "no connection"\nassistant: 报错"no connection"可能是因为……\n"""\n原问题: 怎么解决\n检索词: ["Nginx报错"no connection"如何解决？","造成\'no connection\'报错的原因。","Nginx提示\'no connection\'，要怎么办？"]\n----------------\n历史记录: \n"""\nuser: How long is the maternity leave?\nassistant: The number of days of maternity leave depends on the city in which the employee is located. Please provide your city so that I can answer your questions.\n"""\n原问题: ShenYang\n检索词: ["How many days is maternity leave in Shenyang?","Shenyang\'s maternity leave policy.","The standard of maternity leave in Shenyang."]\n----------------\n历史记录: \n"""\nuser: 作者是谁？\nassistant: FastAI 的作者是 labring。\n"""\n原问题: Tell me about him\n检索词: ["Introduce labring, the author of FastAI." ," Background information on author labring." "," Why does labring do FastAI?"]\n----------------\n历史记录:\n"""\nuser: 对话背景。\nassistant: 关于 FastAI 的介绍和使用等问题。\n"""\n原问题: 你好。\n检索词: ["你好"]\n----------------\n历史记录:\n"""\nuser: FastAI 如何收费？\nassistant: FastAI 收费可以参考……\n"""\n原问题: 你知道 laf 么？\n检索词: ["laf 的官网地址是多少？","laf 的使用教程。","laf 有什么特点和优势。"]\n----------------\n历史记录:\n"""\nuser: FastAI 的优势\nassistant: 1. 开源\n   2. 简便\n   3. 扩展性强\n"""\n原问题: 介绍下第2点。\n检索词: ["介绍下 FastAI 简便的优势", "从哪些方面，可以体现出 FastAI 的简便"]。\n----------------\n历史记录:\n"""\nuser: 什么是 FastAI？\nassistant: FastAI 是一个 RAG 平台。\nuser: 什么是 Laf？\nassistant: Laf 是一个云函数开发平台。\n"""\n原问题: 它们有什么关系？\n检索词: ["FastAI和Laf有什么关系？","介绍下FastAI","介绍下Laf"]\n\n## 输出要求\n\n1. 输出格式为 JSON 数组，数组中每个元素为字符串。无需对输出进行任何解释。\n2. 输出语言与原问题相同。原问题为中文则输出中文；原问题为英文则输出英文。\n\n## 开始任务\n\n历史记录:\n"""\n{{histories}}\n"""\n原问题: {{query}}\n检索词: '


@dataclass(slots=True)
class Extension:
    queries: list[str]  # the original query first, then the distinct rewrites
    rerank_query: str  # the queries joined by newlines (the rerank query)
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    extension_queries: list[str] | None = None  # what the model produced (None: no extension ran)


def history_few_shot(turns: Iterable[tuple[str, str]], background: str) -> str:
    """FastGPT's few-shot history: `user: 对话背景。` / `assistant: <background>`, then `role: text` lines
    of the user and assistant turns that have text."""
    lines = [f"user: 对话背景。\nassistant: {background}\n"] if background else []
    body = [f"{role}: {text}" for role, text in turns if role in ("user", "assistant") and text]
    return ("".join(lines) + "\n".join(body)).strip()


def chat_item_turns(histories: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Stored chat items (`obj`/`value`) or OpenAI messages (`role`/`content`) as (role, text) turns."""
    roles = {"Human": "user", "AI": "assistant", "System": "system"}
    turns = []
    for item in histories:
        role = item.get("role") or roles.get(str(item.get("obj")), "")
        turns.append((str(role), value_text(item.get("value", item.get("content")))))
    return turns


def extension_prompt(query: str, few_shot: str) -> str:
    return QUERY_EXTENSION_PROMPT.replace("{{histories}}", few_shot or "null").replace("{{query}}", query)


def parse_queries(answer: str) -> list[str]:
    """FastGPT's parse: the text between the first `[` and the last `]`, escapes and double spaces
    removed, read as JSON5; at most 5 queries; anything else is no extension."""
    start, end = answer.find("["), answer.rfind("]")
    if start == -1 or end == -1:
        return []
    text = re.sub(r"(\\n|\\)", "", answer[start : end + 1]).replace("  ", "")
    try:
        value = parse_json5(text)
    except (ValueError, RecursionError):
        return []
    return [str(v) for v in value][:MAX_QUERIES] if isinstance(value, list) else []


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
        turns = chat_item_turns(list(histories)[-HISTORY_TURNS:])
        prompt = extension_prompt(query, history_few_shot(turns, background))
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
