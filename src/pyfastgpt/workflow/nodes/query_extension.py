"""`cfr` (queryExtension): rewrite the question into standalone search queries. The prompt, the history
few-shot and the answer parsing are the dataset search's (`rag/search/extension.py`, FastGPT's one
`queryExtension` function); the node adds the history budget, the model call and its response."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.rag.search.extension import distinct_queries, extension_prompt, history_few_shot, parse_queries
from pyfastgpt.workflow.chat_values import chats_to_messages
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.llm import call_llm, fit_context, model_info
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.nodes.chat import node_histories


@dataclass(slots=True)
class QueryExtensionInputs(NodeInputs):
    model: str | None = wire("model")
    user_input: Any = wire("userChatInput", "", or_default=True)
    history: Any = wire("history")
    system_prompt: Any = wire("systemPrompt", "", or_default=True)


@register_node
class QueryExtensionNode(Node[QueryExtensionInputs]):
    node_type = "cfr"
    aliases = ("queryExtension",)
    inputs_type = QueryExtensionInputs

    async def run(self, ctx: NodeContext, inputs: QueryExtensionInputs) -> NodeResult:
        user_input = str(inputs.user_input)
        if not user_input:
            raise NodeRunError("Question is empty")
        info = model_info(ctx, inputs.model)
        histories = fit_context(chats_to_messages(node_histories(ctx, inputs.history)), info.max_context - 1000)
        few_shot = history_few_shot(((m.role, value_text(m.content)) for m in histories), str(inputs.system_prompt))
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
