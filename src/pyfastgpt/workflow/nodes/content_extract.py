"""`contentExtract`: the LLM fills a JSON object described by `extractKeys`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatRequest
from pyfastgpt.core.json5 import parse_json5
from pyfastgpt.workflow.chat_values import chats_to_messages
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.llm import adapt_messages, call_llm
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.nodes.chat import node_histories
from pyfastgpt.workflow.values import js_json, value_type_format

_JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


def extract_schema(keys: list[dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for item in keys:
        value_type = str(item.get("valueType") or "string")
        json_type = {"number": "number", "boolean": "boolean"}.get(
            value_type, "array" if value_type.startswith("array") else "string"
        )
        prop: dict[str, Any] = {"type": json_type, "description": item.get("desc") or ""}
        if item.get("enum"):
            prop["enum"] = [e for e in str(item["enum"]).split("\n") if e]
        properties[str(item.get("key"))] = prop
    return {
        "type": "object",
        "properties": properties,
        "required": [str(i.get("key")) for i in keys if i.get("required")],
    }


def extract_prompt(schema: str, system_prompt: str) -> str:
    """FastGPT's `getExtractJsonPrompt` (prompt text kept as FastGPT sends it)."""
    sources = "、".join(s for s in ("【历史记录】", "【用户输入】", "【背景知识】" if system_prompt else "") if s)
    special = f"## 特定要求\n{system_prompt}" if system_prompt else ""
    prompt = (
        f"## 背景\n用户需要执行一个函数，该函数需要一些参数，需要你结合{sources}，来生成对应的参数\n\n## 基本要求\n\n"
        "- 严格根据 JSON Schema 的描述来生成参数。\n- 不是每个参数都是必须生成的，如果没有合适的参数值，不要生成该参数，或返回空字符串。\n"
        f"- 需要结合历史记录，一起生成合适的参数。\n\n{special}\n\n\n\n## JSON Schema\n\n{schema}\n\n## 输出要求\n\n- 严格输出 json 字符串。\n- 不要回答问题。"
    )
    return re.sub(r"\n{3,}", "\n\n", prompt)


def parse_object(text: str) -> dict[str, Any]:
    match = _JSON_BLOCK.search(text)
    if not match:
        return {}
    try:
        value = parse_json5(match.group(0))
    except Exception:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(slots=True)
class ContentExtractInputs(NodeInputs):
    model: str | None = wire("model", None, or_default=True)
    content: Any = wire("content", "", or_default=True)
    extract_keys: Any = wire("extractKeys", factory=list, or_default=True)
    history: Any = wire("history")
    description: Any = wire("description", "", or_default=True)


@register_node
class ContentExtractNode(Node[ContentExtractInputs]):
    node_type = "contentExtract"
    inputs_type = ContentExtractInputs

    async def run(self, ctx: NodeContext, inputs: ContentExtractInputs) -> NodeResult:
        content = str(inputs.content)
        if not content:
            raise NodeRunError("Input is empty")
        keys = [k for k in inputs.extract_keys if isinstance(k, dict) and k.get("key")]
        histories = node_histories(ctx, inputs.history)
        schema = js_json(extract_schema(keys), indent=2)
        items = [
            {
                "obj": "System",
                "value": [{"type": "text", "text": {"content": extract_prompt(schema, str(inputs.description))}}],
            },
            *histories,
            {"obj": "Human", "value": [{"type": "text", "text": {"content": content}}]},
        ]
        request = ChatRequest(
            messages=adapt_messages(chats_to_messages(items), vision=False),
            model=inputs.model,
            temperature=0.01,
            response_format={"type": "json_object"},
        )
        answer = await call_llm(ctx, request)
        raw = parse_object(answer.content)
        fields: dict[str, Any] = {}
        success = True
        for item in keys:
            key = str(item["key"])
            value = raw.get(key)
            if value is None or value == "":
                if item.get("required"):
                    success = False
                value = item.get("defaultValue")
            if item.get("enum") and value not in [e for e in str(item["enum"]).split("\n") if e] and value is not None:
                success = False if item.get("required") else success
            if value is not None:
                fields[key] = value_type_format(value, item.get("valueType"))
        return NodeResult(
            data={"success": success, "fields": json.dumps(fields, ensure_ascii=False), **fields},
            response={
                "totalPoints": answer.points,
                "model": answer.model_name,
                "query": content,
                "inputTokens": answer.input_tokens,
                "outputTokens": answer.output_tokens,
                "extractDescription": inputs.description,
                "extractResult": fields,
                "contextTotalLen": len(histories) + 2,
            },
            usages=[answer.usage(ctx.node.name)],
        )
