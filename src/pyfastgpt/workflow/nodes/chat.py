"""`chatNode`: one LLM call with system prompt, dataset quotes, documents, history and vision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.workflow.chat_values import (
    chats_to_messages,
    history_preview,
    messages_to_chats,
    prompt_from_value,
    select_histories,
    system_item,
    value_from_prompt,
)
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.llm import adapt_messages, call_llm, fit_context, model_info
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.nodes.documents import read_documents
from pyfastgpt.workflow.prompts import (
    DOCUMENT_QUOTE_PROMPT,
    QUOTE_TEMPLATE,
    SYSTEM_QUOTE_PROMPT,
    USER_QUOTE_PROMPT,
)
from pyfastgpt.workflow.templating import replace_variable

PROMPT_SEPARATOR = "\n\n===---===---===\n\n"


def node_histories(ctx: NodeContext, history: Any) -> list[dict[str, Any]]:
    """The chat items a node's `history` input selects: a chatHistory list, or a number of rounds
    (6 when the input is unset or null)."""
    return select_histories(6 if history is None else history, ctx.histories)


def valid_quotes(quotes: Any) -> list[dict[str, Any]] | None:
    """`checkQuoteQAValue`: None when not a quote list (no dataset connected)."""
    if quotes is None:
        return None
    if not isinstance(quotes, list):
        return None
    if any(not isinstance(item, dict) or not item.get("q") for item in quotes):
        return None if quotes else []
    return quotes


def quote_text(quotes: list[dict[str, Any]], template: str, max_tokens: int) -> str:
    """Each quote through the quote template, joined by `\\n------\\n`, within a token budget."""
    texts: list[str] = []
    used = 0
    for index, item in enumerate(quotes):
        used += count_tokens(f"{item.get('q', '')}{item.get('a', '')}")
        if texts and used > max_tokens:
            break
        texts.append(
            replace_variable(
                template,
                {
                    "id": item.get("id", ""),
                    "q": item.get("q", ""),
                    "a": item.get("a") or "",
                    "updateTime": str(item.get("updateTime") or "")[:16].replace("T", " "),
                    "source": item.get("sourceName", ""),
                    "sourceId": str(item.get("sourceId") or ""),
                    "index": index + 1,
                },
            ).strip()
        )
    return "\n------\n".join(texts)


def build_chat_messages(
    *,
    system_prompt: str,
    default_system: str,
    histories: list[dict[str, Any]],
    user_input: str,
    user_files: list[dict[str, Any]],
    quotes: list[dict[str, Any]] | None,
    datasets_text: str,
    quote_role: str,
    quote_prompt: str,
    document_text: str,
) -> list[ChatMessage]:
    """FastGPT's `getChatMessages`."""
    role = "user" if quote_role == "user" or "{{question}}" in quote_prompt else "system"
    template = quote_prompt or (USER_QUOTE_PROMPT if role == "user" else SYSTEM_QUOTE_PROMPT)
    use_quotes = quotes is not None
    user_text = (
        replace_variable(template, {"quote": datasets_text, "question": user_input})
        if use_quotes and role == "user"
        else user_input
    )
    system = PROMPT_SEPARATOR.join(
        part
        for part in (
            default_system,
            system_prompt,
            replace_variable(template, {"quote": datasets_text}) if use_quotes and role == "system" else "",
            replace_variable(DOCUMENT_QUOTE_PROMPT, {"quote": document_text}) if document_text else "",
        )
        if part
    )
    items = [
        *system_item(system),
        *histories,
        {"obj": "Human", "value": value_from_prompt(str(user_text), user_files)},
    ]
    return chats_to_messages(items)


@dataclass(slots=True)
class ChatInputs(NodeInputs):
    model: str | None = wire("model")
    vision: Any = wire("aiChatVision")
    reasoning: Any = wire("aiChatReasoning")
    show_answer: Any = wire("isResponseAnswerText", True)
    user_input: Any = wire("userChatInput", "", or_default=True)
    history: Any = wire("history")
    quotes: Any = wire("quoteQA")
    max_token: Any = wire("maxToken")
    quote_template: Any = wire("quoteTemplate", QUOTE_TEMPLATE, or_default=True)
    file_urls: Any = wire("fileUrlList")
    system_prompt: Any = wire("systemPrompt", "", or_default=True)
    quote_role: Any = wire("aiChatQuoteRole", "system", or_default=True)
    quote_prompt: Any = wire("quotePrompt", "", or_default=True)
    response_format: Any = wire("aiChatResponseFormat")
    json_schema: Any = wire("aiChatJsonSchema")
    temperature: Any = wire("temperature")
    top_p: Any = wire("aiChatTopP")
    stop_sign: Any = wire("aiChatStopSign")


@register_node
class ChatNode(Node[ChatInputs]):
    node_type = "chatNode"
    inputs_type = ChatInputs

    async def run(self, ctx: NodeContext, inputs: ChatInputs) -> NodeResult:
        try:
            info = model_info(ctx, inputs.model)
        except Exception as exc:
            return node_error(f"Model {inputs.model} is undefined, you need to select a chat model. ({exc})")
        # FastGPT defaults: vision off unless set; reasoning on unless set to false (both need the model).
        vision = bool(info.vision and inputs.vision)
        reasoning = bool(inputs.reasoning is not False and info.reasoning)
        show_answer = inputs.show_answer is not False
        user_input = str(inputs.user_input)
        histories = node_histories(ctx, inputs.history)
        quotes = valid_quotes(inputs.quotes)
        _, input_files = prompt_from_value(ctx.query)
        max_token = inputs.max_token
        max_response = (
            min(int(max_token), info.max_response or int(max_token)) if isinstance(max_token, (int, float)) else None
        )
        datasets_text = quote_text(quotes or [], str(inputs.quote_template), max(info.max_context // 2, 1000))
        document_text, user_files = await read_documents(ctx, inputs.file_urls, histories, input_files)
        if not user_input and not document_text and not user_files:
            return node_error("AI_input_is_empty")
        messages = build_chat_messages(
            system_prompt=str(inputs.system_prompt),
            default_system="",
            histories=histories,
            user_input=user_input,
            user_files=user_files,
            quotes=quotes,
            datasets_text=datasets_text,
            quote_role=str(inputs.quote_role),
            quote_prompt=str(inputs.quote_prompt),
            document_text=document_text,
        )
        messages = adapt_messages(messages, vision)
        if vision and ctx.deps.image_inliner is not None:
            messages = await ctx.deps.image_inliner.inline_messages(messages)
        messages = fit_context(messages, info.max_context - (max_response or 0))
        response_format = _response_format(inputs.response_format, inputs.json_schema)
        request = ChatRequest(
            messages=messages,
            model=info.id,
            temperature=node_temperature(inputs.temperature),
            top_p=inputs.top_p,
            max_tokens=max_response,
            stop=_stop(inputs.stop_sign),
            response_format=response_format,
            reasoning=reasoning,
        )
        try:
            answer = await call_llm(ctx, request, stream_answer=show_answer, stream_reasoning=reasoning)
        except Exception as exc:
            return node_error(exc)
        if not answer.content and not answer.reasoning:
            return node_error("LLM returned an empty response")
        complete = [
            *messages,
            ChatMessage(role="assistant", content=answer.content, reasoning_content=answer.reasoning),
        ]
        history = messages_to_chats(complete)
        return NodeResult(
            data={"answerText": answer.content.strip(), "reasoningText": answer.reasoning, "history": history},
            response={
                "totalPoints": answer.points,
                "model": answer.model_name,
                "inputTokens": answer.input_tokens,
                "outputTokens": answer.output_tokens,
                "query": user_input,
                "maxToken": max_response,
                "reasoningText": answer.reasoning,
                "historyPreview": history_preview(history),
                "contextTotalLen": len(complete),
                "finishReason": answer.finish_reason,
                **({"quoteList": quotes} if quotes else {}),
            },
            usages=[answer.usage(ctx.node.name)],
            tool_responses=answer.content,
        )


def node_temperature(value: Any, max_temperature: float = 1.0) -> float | None:
    """`computedTemperature`: nodes store 0–10; the model gets max_temperature * value/10 (>= 0.01)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return max(round(max_temperature * float(value) / 10, 2), 0.01)
    except (TypeError, ValueError):
        return None


def _stop(value: Any) -> list[str] | None:
    if not value:
        return None
    return [s for s in str(value).split("|") if s]


def _response_format(kind: Any, schema: Any) -> dict[str, Any] | None:
    if kind == "json_object":
        return {"type": "json_object"}
    if kind == "json_schema" and schema:
        import json

        try:
            parsed = json.loads(schema) if isinstance(schema, str) else schema
        except ValueError:
            return {"type": "json_object"}
        return {"type": "json_schema", "json_schema": parsed}
    return None
