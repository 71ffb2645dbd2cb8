"""`cfr` (queryExtension): rewrite the question into standalone search queries."""

from __future__ import annotations

import json

from pyfastgpt.ai.protocols import ChatRequest
from pyfastgpt.workflow.chat_values import chats_to_messages, history_preview, select_histories
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.llm import adapt_messages, call_llm
from pyfastgpt.workflow.node import Node, NodeResult, register_node
from pyfastgpt.workflow.values import parse_json5

QUERY_EXTENSION_PROMPT = (
    "You rewrite a user's question for a knowledge-base search. Using the background and the "
    "conversation history, resolve pronouns and missing context, then give up to 3 different "
    "standalone search queries in the user's language. Output only a JSON array of strings."
)


def parse_queries(text: str) -> list[str]:
    start, end = text.find("["), text.rfind("]")
    if start == -1 or end <= start:
        return []
    try:
        value = parse_json5(text[start : end + 1])
    except Exception:
        return []
    return (
        [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
        if isinstance(value, list)
        else []
    )


@register_node
class QueryExtensionNode(Node):
    node_type = "cfr"
    aliases = ("queryExtension",)

    async def run(self, ctx: NodeContext) -> NodeResult:
        p = ctx.params
        user_input = str(p.get("userChatInput") or "")
        histories = select_histories(p.get("history", 6), ctx.histories)
        background = str(p.get("systemPrompt") or "")
        preview = history_preview(histories)
        prompt = (
            f"{QUERY_EXTENSION_PROMPT}\n\nBackground:\n{background}\n\nHistory:\n"
            f"{json.dumps(preview, ensure_ascii=False)}\n\nQuestion: {user_input}"
        )
        items = [{"obj": "Human", "value": [{"type": "text", "text": {"content": prompt}}]}]
        request = ChatRequest(
            messages=adapt_messages(chats_to_messages(items), vision=False),
            model=p.get("model") or None,
            temperature=0.1,
        )
        answer = await call_llm(ctx, request)
        queries = parse_queries(answer.content)
        if user_input and user_input not in queries:
            queries = [user_input, *queries]
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
