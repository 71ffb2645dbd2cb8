"""`cfr` (queryExtension): rewrite the question into standalone search queries (FastGPT's prompt)."""

from __future__ import annotations

import hashlib
import json
import re

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.core.json5 import parse_json5
from pyfastgpt.workflow.chat_values import chats_to_messages, select_histories
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.llm import call_llm, fit_context, model_info
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.prompts import QUERY_EXTENSION_PROMPT
from pyfastgpt.workflow.templating import replace_variable

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def history_few_shot(messages: list[ChatMessage], background: str) -> str:
    lines = [f"user: 对话背景。\nassistant: {background}\n"] if background else []
    body: list[str] = []
    for message in messages:
        if message.role not in ("user", "assistant") or not message.content:
            continue
        if isinstance(message.content, str):
            body.append(f"{message.role}: {message.content}")
        else:
            text = "\n".join(str(p.get("text", "")) if p.get("type") == "text" else "" for p in message.content)
            body.append(f"{message.role}: {text}")
    return ("".join(lines) + "\n".join(body)).strip()


def parse_queries(answer: str) -> list[str]:
    """The JSON array between the first `[` and the last `]` (at most 5 queries)."""
    start, end = answer.find("["), answer.rfind("]")
    if start == -1 or end == -1:
        return []
    text = re.sub(r"(\\n|\\)", "", answer[start : end + 1]).replace("  ", "")
    try:
        value = parse_json5(text)
    except Exception:
        return []
    return [str(v) for v in value][:5] if isinstance(value, list) else []


def dedupe_queries(queries: list[str]) -> list[str]:
    """Drop queries equal after removing punctuation and spaces."""
    seen: set[str] = set()
    result: list[str] = []
    for query in queries:
        key = hashlib.sha256(_NOT_WORD.sub("", query).encode()).hexdigest()
        if key not in seen:
            seen.add(key)
            result.append(query)
    return result


@register_node
class QueryExtensionNode(Node):
    node_type = "cfr"
    aliases = ("queryExtension",)

    async def run(self, ctx: NodeContext) -> NodeResult:
        p = ctx.params
        user_input = str(p.get("userChatInput") or "")
        if not user_input:
            raise NodeRunError("Question is empty")
        info = model_info(ctx, p.get("model"))
        histories = fit_context(
            chats_to_messages(select_histories(p.get("history") if p.get("history") is not None else 6, ctx.histories)),
            info.max_context - 1000,
        )
        few_shot = history_few_shot(histories, str(p.get("systemPrompt") or ""))
        prompt = replace_variable(QUERY_EXTENSION_PROMPT, {"query": user_input, "histories": few_shot or "null"})
        request = ChatRequest(messages=[ChatMessage(role="user", content=prompt)], model=info.id, temperature=0.1)
        answer = await call_llm(ctx, request)
        queries = dedupe_queries([user_input, *parse_queries(answer.content)])
        text = json.dumps(queries, ensure_ascii=False)
        return NodeResult(
            data={"system_text": text},
            response={
                "totalPoints": answer.points,
                "model": answer.model_name,
                "inputTokens": answer.input_tokens,
                "outputTokens": answer.output_tokens,
                "query": user_input,
                "textOutput": text,
            },
            usages=[answer.usage(ctx.node.name)],
        )
