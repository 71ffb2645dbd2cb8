"""`cfr` (queryExtension): rewrite the question into standalone search queries. The prompt, the history
few-shot and the answer parsing are the dataset search's (`rag/search/extension.py`, FastGPT's one
`queryExtension` function); the node adds the history budget, the model call and its response."""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.rag.search.extension import distinct_queries, extension_prompt, history_few_shot, parse_queries
from pyfastgpt.workflow.chat_values import chats_to_messages, select_histories
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.llm import call_llm, fit_context, model_info
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node


def _message_text(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    parts: list[Any] = message.content or []
    return "\n".join(str(p.get("text", "")) if p.get("type") == "text" else "" for p in parts)


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
        few_shot = history_few_shot(((m.role, _message_text(m)) for m in histories), str(p.get("systemPrompt") or ""))
        prompt = extension_prompt(user_input, few_shot)
        request = ChatRequest(messages=[ChatMessage(role="user", content=prompt)], model=info.id, temperature=0.1)
        answer = await call_llm(ctx, request)
        queries = distinct_queries([user_input, *parse_queries(answer.content)])
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
