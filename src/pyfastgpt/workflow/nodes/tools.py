"""`tools`: LLM function calling over the nodes attached by `selectedTools` edges.

Each attached node is a function named by its node id; its inputs with a `toolDescription` are
the parameters. A call runs the tool node (and what follows it) as a nested dispatch on the same
graph; the tool response is that dispatch's last tool response. `stopTool` in a branch ends the
loop; an interactive node in a branch pauses the whole run (resumed through `toolParams`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest, ToolCall
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.json5 import parse_json5
from pyfastgpt.workflow.chat_values import (
    chats_to_messages,
    history_preview,
    messages_to_chats,
    prompt_from_value,
    system_item,
    value_from_prompt,
)
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.engine import DispatchOutcome
from pyfastgpt.workflow.events import ToolCallEvent, ToolParamsEvent, ToolResponseEvent, UsageItem
from pyfastgpt.workflow.graph import RuntimeGraph, RuntimeNode
from pyfastgpt.workflow.inputs import NodeInputs, NoInputs, wire
from pyfastgpt.workflow.llm import LLMAnswer, adapt_messages, call_llm, fit_context, model_info
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.nodes.chat import PROMPT_SEPARATOR, node_histories, node_temperature
from pyfastgpt.workflow.nodes.documents import read_documents
from pyfastgpt.workflow.prompts import DOCUMENT_QUOTE_PROMPT
from pyfastgpt.workflow.templating import replace_variable
from pyfastgpt.workflow.tool_calls import format_tool_response, message_from_dict, message_to_dict, tool_spec
from pyfastgpt.workflow.toolsets.expand import enrich_tool_node, expand_tool_sets

MAX_TOOL_ROUNDS = 30


@dataclass
class ToolLoopState:
    outcomes: list[DispatchOutcome] = field(default_factory=list)
    assistant: list[dict[str, Any]] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    points: float = 0.0
    model_name: str = ""
    finish_reason: str = "stop"
    interactive: dict[str, Any] | None = None
    run_times: float = 0.0
    messages: list[ChatMessage] = field(default_factory=list)


@dataclass(slots=True)
class ToolLoopInputs(NodeInputs):
    """What the tool-call loop reads; the `tools` and `agent` nodes add their own inputs."""

    model: str | None = wire("model")
    user_input: Any = wire("userChatInput", "", or_default=True)
    history: Any = wire("history")
    system_prompt: Any = wire("systemPrompt", "", or_default=True)
    reasoning: Any = wire("aiChatReasoning")
    max_token: Any = wire("maxToken", 0, or_default=True)
    temperature: Any = wire("temperature")


@dataclass(slots=True)
class ToolsInputs(ToolLoopInputs):
    vision: Any = wire("aiChatVision")
    file_urls: Any = wire("fileUrlList")


LoopInputsT = TypeVar("LoopInputsT", bound=ToolLoopInputs)


class ToolLoopNode(Node[LoopInputsT]):
    """The LLM tool-call loop the `tools` and `agent` nodes share."""

    @staticmethod
    def _result(ctx: NodeContext, state: ToolLoopState, query: str) -> NodeResult:
        """The node result FastGPT's `dispatchRunTools` returns after the tool-call loop."""
        usages = [
            UsageItem(
                module_name=ctx.node.name,
                model=state.model_name,
                input_tokens=state.input_tokens,
                output_tokens=state.output_tokens,
                total_points=state.points,
            )
        ]
        child_usages = [u for o in state.outcomes for u in o.usages]
        answer = value_text(state.assistant, "")
        return NodeResult(
            data={"answerText": answer},
            assistant_responses=state.assistant,
            interactive=state.interactive,
            child_run_times=state.run_times,
            usages=usages + child_usages,
            response={
                "totalPoints": state.points + sum(u.total_points for u in child_usages),
                "toolCallInputTokens": state.input_tokens,
                "toolCallOutputTokens": state.output_tokens,
                "childTotalPoints": sum(u.total_points for u in child_usages),
                "model": state.model_name,
                "query": query,
                "historyPreview": history_preview(messages_to_chats(state.messages)),
                "toolDetail": [r for o in state.outcomes for r in o.flow_responses],
                "mergeSignId": ctx.node.node_id,
                "finishReason": state.finish_reason,
            },
        )

    @staticmethod
    def _stopped(state: ToolLoopState) -> bool:
        return bool(state.outcomes) and any(r.get("toolStop") for r in state.outcomes[-1].flow_responses)

    async def _run_tool(
        self,
        ctx: NodeContext,
        node: RuntimeNode,
        args: dict[str, Any] | None,
        call_id: str,
        resume: dict[str, Any] | None = None,
    ) -> tuple[DispatchOutcome, str]:
        if args:
            for item in node.inputs:
                if item.get("key") in args and args[item["key"]] is not None:
                    item["value"] = args[item["key"]]
        node.is_entry = True
        graph = RuntimeGraph(nodes=ctx.graph.nodes, edges=ctx.graph.edges)
        if resume:
            for edge in graph.edges:
                if edge.target == node.node_id:
                    edge.status = "active"
        outcome = await ctx.run_child(
            graph, is_tool_call=True, run_plugin_output=False, last_interactive=ctx.last_interactive if resume else None
        )
        text = format_tool_response(outcome.tool_response)
        ctx.emit(
            ToolResponseEvent(
                tool={"id": call_id, "toolName": "", "toolAvatar": "", "params": "", "response": text[:10000]}
            )
        )
        return outcome, text

    async def _resume(
        self,
        ctx: NodeContext,
        resume: dict[str, Any],
        tool_nodes: list[RuntimeNode],
        messages: list[ChatMessage],
        state: ToolLoopState,
    ) -> list[ChatMessage]:
        entry_ids = resume.get("entryNodeIds") or []
        node = next((n for n in ctx.graph.nodes if n.node_id in entry_ids), None)
        call_id = str(resume.get("toolCallId") or "")
        memory = [message_from_dict(m) for m in resume.get("memoryMessages") or []]
        if node is None:
            return messages + memory
        outcome, text = await self._run_tool(ctx, node, None, call_id, resume=resume)
        state.outcomes.append(outcome)
        state.run_times += outcome.run_times
        state.assistant.extend(a for a in outcome.assistant_responses if a.get("type") != "interactive")
        for message in memory:
            if message.role == "tool" and message.tool_call_id == call_id:
                message.content = text
        messages = messages + memory
        state.messages = messages
        if outcome.interactive is not None:
            state.interactive = {
                **outcome.interactive,
                "toolParams": {**resume, "entryNodeIds": outcome.interactive.get("entryNodeIds")},
            }
        return messages

    async def _loop(
        self,
        ctx: NodeContext,
        inputs: ToolLoopInputs,
        model_id: str,
        max_context: int,
        tool_nodes: list[RuntimeNode],
        messages: list[ChatMessage],
        state: ToolLoopState,
    ) -> None:
        specs = [tool_spec(n) for n in tool_nodes]
        by_id = {n.node_id: n for n in tool_nodes}
        reasoning = bool(inputs.reasoning) and ctx.registry.info(model_id).reasoning
        for _ in range(MAX_TOOL_ROUNDS):
            max_tokens = int(inputs.max_token) or None
            request_messages = fit_context(messages, max_context - (max_tokens or 0))
            request = ChatRequest(
                messages=request_messages,
                model=model_id,
                temperature=node_temperature(inputs.temperature),
                max_tokens=max_tokens,
                tools=specs or None,
                tool_choice="auto" if specs else None,
                reasoning=reasoning,
            )

            def on_tool(call: ToolCall, delta: str, is_new: bool) -> None:
                node = by_id.get(call.name)
                if is_new:
                    ctx.emit(
                        ToolCallEvent(
                            tool={
                                "id": call.id,
                                "toolName": node.name if node else "",
                                "toolAvatar": node.raw.get("avatar", "") if node else "",
                                "functionName": call.name,
                                "params": call.arguments if not delta else "",
                                "response": "",
                            }
                        )
                    )
                if delta:
                    ctx.emit(
                        ToolParamsEvent(
                            tool={"id": call.id, "toolName": "", "toolAvatar": "", "params": delta, "response": ""}
                        )
                    )

            answer: LLMAnswer = await call_llm(
                ctx, request, stream_answer=True, stream_reasoning=reasoning, on_tool_delta=on_tool
            )
            state.input_tokens += answer.input_tokens
            state.output_tokens += answer.output_tokens
            state.points += answer.points
            state.finish_reason = answer.finish_reason
            if not answer.tool_calls:
                if not answer.content and not answer.reasoning:
                    raise RuntimeError("LLM returned an empty response")
                if answer.reasoning and reasoning:
                    state.assistant.append({"type": "reasoning", "reasoning": {"content": answer.reasoning}})
                state.assistant.append({"type": "text", "text": {"content": answer.content}})
                state.messages = [*request_messages, ChatMessage(role="assistant", content=answer.content)]
                return
            assistant_messages = []
            if answer.content:
                assistant_messages.append(ChatMessage(role="assistant", content=answer.content))
                state.assistant.append({"type": "text", "text": {"content": answer.content}})
            assistant_messages.append(ChatMessage(role="assistant", content=None, tool_calls=answer.tool_calls))
            tool_messages: list[ChatMessage] = []
            tool_parts: list[dict[str, Any]] = []
            child_assistant: list[dict[str, Any]] = []
            interactive_call: tuple[DispatchOutcome, str] | None = None
            for call in answer.tool_calls:
                node = by_id.get(call.name)
                if node is None:
                    continue
                try:
                    args = parse_json5(call.arguments) if call.arguments.strip() else {}
                except Exception:
                    args = {}
                outcome, text = await self._run_tool(ctx, node, args if isinstance(args, dict) else {}, call.id)
                state.outcomes.append(outcome)
                state.run_times += outcome.run_times
                child_assistant.extend(a for a in outcome.assistant_responses if a.get("type") != "interactive")
                tool_messages.append(ChatMessage(role="tool", content=text, tool_call_id=call.id, name=call.name))
                tool_parts.append(
                    {
                        "id": call.id,
                        "toolName": node.name,
                        "toolAvatar": node.raw.get("avatar", ""),
                        "functionName": call.name,
                        "params": call.arguments,
                        "response": text[:1000],
                    }
                )
                if outcome.interactive is not None and interactive_call is None:
                    interactive_call = (outcome, call.id)
            state.assistant.append({"type": "tool", "tools": tool_parts})
            state.assistant.extend(child_assistant)
            messages = [*request_messages, *assistant_messages, *tool_messages]
            state.messages = messages
            stop = (
                any(r.get("toolStop") for o in state.outcomes[-len(tool_messages) :] for r in o.flow_responses)
                if tool_messages
                else False
            )
            if interactive_call is not None:
                outcome, call_id = interactive_call
                last_user = max(i for i, m in enumerate(messages) if m.role == "user")
                state.interactive = {
                    **(outcome.interactive or {}),
                    "toolParams": {
                        "entryNodeIds": (outcome.interactive or {}).get("entryNodeIds"),
                        "toolCallId": call_id,
                        "memoryMessages": [message_to_dict(m) for m in messages[last_user + 1 :]],
                    },
                }
                return
            if stop:
                return


@register_node
class ToolsNode(ToolLoopNode[ToolsInputs]):
    node_type = "tools"
    inputs_type = ToolsInputs

    async def run(self, ctx: NodeContext, inputs: ToolsInputs) -> NodeResult:
        try:
            info = model_info(ctx, inputs.model)
        except Exception as exc:
            return node_error(f"Model {inputs.model} is undefined. ({exc})")
        was_entry = ctx.node.is_entry
        ctx.node.is_entry = False
        try:
            await expand_tool_sets(ctx)
            tool_nodes = [n for n in (ctx.graph.node(i) for i in ctx.graph.tool_node_ids(ctx.node.node_id)) if n]
            for tool_node in tool_nodes:
                await enrich_tool_node(ctx, tool_node)
        except Exception as exc:
            return node_error(exc)
        histories = node_histories(ctx, inputs.history)
        _, input_files = prompt_from_value(ctx.query)
        has_read_files = any(n.flow_node_type == "readFiles" for n in tool_nodes)
        document_text, user_files = ("", input_files)
        if not has_read_files:
            document_text, user_files = await read_documents(ctx, inputs.file_urls, histories, input_files)
        system = PROMPT_SEPARATOR.join(
            s
            for s in (
                str(inputs.system_prompt),
                replace_variable(DOCUMENT_QUOTE_PROMPT, {"quote": document_text}) if document_text else "",
            )
            if s
        )
        items = [
            *system_item(system),
            *histories,
            {"obj": "Human", "value": value_from_prompt(str(inputs.user_input), user_files)},
        ]
        last = ctx.last_interactive or {}
        resume = last.get("toolParams") if was_entry else None
        if resume:
            items = items[:-2]
        vision = bool(info.vision and inputs.vision)
        messages = adapt_messages(chats_to_messages(items), vision)
        if vision and ctx.deps.image_inliner is not None:
            messages = await ctx.deps.image_inliner.inline_messages(messages)
        state = ToolLoopState(model_name=info.name or info.id)
        try:
            if resume:
                messages = await self._resume(ctx, resume, tool_nodes, messages, state)
            if state.interactive is None and not self._stopped(state):
                await self._loop(ctx, inputs, info.id, info.max_context, tool_nodes, messages, state)
        except Exception as exc:
            return node_error(exc)
        return self._result(ctx, state, str(inputs.user_input))


@register_node
class ToolParamsNode(Node[NoInputs]):
    node_type = "toolParams"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        # the node's outputs are the parameters the user defined on it, whatever their keys
        params = {k: v for k, v in ctx.params.items() if k != "system_addInputParam"}
        return NodeResult(data=params, response={"toolParamsResult": params})


@register_node
class StopToolNode(Node[NoInputs]):
    node_type = "stopTool"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        return NodeResult(response={"toolStop": True})
