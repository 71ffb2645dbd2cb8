"""`classifyQuestion`: the LLM picks one category; other categories' handles are skipped."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatRequest
from pyfastgpt.workflow.chat_values import chats_to_messages
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import handle_id
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.llm import adapt_messages, call_llm
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.nodes.chat import node_histories
from pyfastgpt.workflow.values import js_json


def cq_system_prompt(system_prompt: str, memory: str, type_list: str) -> str:
    """FastGPT's `getCQSystemPrompt` (prompt text kept as FastGPT sends it)."""
    sources = [
        s
        for s in ("【背景知识】" if system_prompt else "", "【历史记录】", "【上一轮分类结果】" if memory else "")
        if s
    ]
    background = f"## 背景知识\n{system_prompt}" if system_prompt else ""
    last = f"## 上一轮分类结果\n{memory}" if memory else ""
    prompt = (
        f'## 角色\n你是一个"分类助手"，可以结合{"、".join(sources)}，来判断用户当前问题属于哪一个分类，并输出分类标记。\n\n'
        f"{background}\n\n{last}\n\n## 分类清单\n\n{type_list}\n\n## 分类要求\n\n"
        "1. 分类结果必须从分类清单中选择。\n2. 连续对话时，如果分类不明确，且用户未变更话题，则保持上一轮分类结果不变。\n"
        "3. 存在分类冲突或模糊分类时， 主语指向的分类优先级更高。\n\n## 输出格式\n\n只需要输出分类的 id 即可，无需输出额外内容。"
    )
    return re.sub(r"\n{3,}", "\n\n", prompt)


@dataclass(slots=True)
class ClassifyQuestionInputs(NodeInputs):
    model: str | None = wire("model", None, or_default=True)
    user_input: Any = wire("userChatInput", "", or_default=True)
    agents: Any = wire("agents", factory=list, or_default=True)
    history: Any = wire("history")
    system_prompt: Any = wire("systemPrompt", "", or_default=True)


@register_node
class ClassifyQuestionNode(Node[ClassifyQuestionInputs]):
    node_type = "classifyQuestion"
    inputs_type = ClassifyQuestionInputs

    async def run(self, ctx: NodeContext, inputs: ClassifyQuestionInputs) -> NodeResult:
        user_input = str(inputs.user_input)
        if not user_input:
            raise NodeRunError("Input is empty")
        agents: list[dict[str, Any]] = [a for a in inputs.agents if isinstance(a, dict)]
        if not agents:
            raise NodeRunError("No categories are configured")
        histories = node_histories(ctx, inputs.history)
        memory_key = f"{ctx.run_state.app_id}-{ctx.node.node_id}"
        last_memory = ((histories[-1].get("memories") or {}) if histories else {}).get(memory_key)
        type_list = json.dumps(
            [{"id": a.get("key"), "description": a.get("value")} for a in agents], ensure_ascii=False
        )
        items = [
            {
                "obj": "System",
                "value": [
                    {
                        "type": "text",
                        "text": {
                            "content": cq_system_prompt(
                                str(inputs.system_prompt),
                                js_json(last_memory) if last_memory else "",
                                type_list,
                            )
                        },
                    }
                ],
            },
            *histories,
            {"obj": "Human", "value": [{"type": "text", "text": {"content": user_input}}]},
        ]
        request = ChatRequest(
            messages=adapt_messages(chats_to_messages(items), vision=False),
            model=inputs.model,
            temperature=0.01,
        )
        answer = await call_llm(ctx, request)
        text = answer.content
        chosen = next((a for a in agents if a.get("key") and str(a["key"]) in text), None) or next(
            (a for a in agents if a.get("value") and str(a["value"]) in text), None
        )
        result = chosen or agents[-1]
        node_id = ctx.node.node_id
        return NodeResult(
            data={"cqResult": result.get("value")},
            skip_handle_ids=[
                handle_id(node_id, "source", str(a.get("key"))) for a in agents if a.get("key") != result.get("key")
            ],
            response={
                "totalPoints": answer.points,
                "model": answer.model_name,
                "query": user_input,
                "inputTokens": answer.input_tokens,
                "outputTokens": answer.output_tokens,
                "cqList": agents,
                "cqResult": result.get("value"),
                "contextTotalLen": len(histories) + 2,
            },
            usages=[answer.usage(ctx.node.name)],
            memories={memory_key: result},
        )
