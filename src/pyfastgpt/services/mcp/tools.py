"""The tools an MCP key serves, and running one (FastGPT `getMcpServerTools` / `callMcpServerTool`).

Listing: the key's apps that exist in the key's team and are chat apps (`simple`, `advanced`) or
plugins, in the key's order, named by their `toolName`, described by their `description`, with the
input schema of their published version; then the key's datasets (pyfastgpt) as search tools.

Calling an app runs one chat round through the chat service, as the key's member, with source
`mcp`, history-free, on a new chat (saved, as FastGPT saves it): a chat app gets `question` as the
user message and the other arguments as variables; a plugin gets the arguments as its inputs. The
result is the answer's text parts joined by newlines and trimmed (cite markers removed), or for a
plugin the `pluginOutput` as compact JSON. Calling a dataset tool runs one knowledge-base search
and answers the quotes as FastGPT's dataset node hands them to a tool-calling model.

A failure is a `ToolCallFailed` carrying the message the MCP result shows with `isError: true`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from pyfastgpt.core.errors import AppError
from pyfastgpt.rag.search import DatasetSearchService
from pyfastgpt.rag.search.types import DatasetSearchParams
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.round import ChatRequest, ChatRoundService
from pyfastgpt.services.mcp.keys import McpApp, McpDataset, McpKeyDoc
from pyfastgpt.services.mcp.schema import (
    dataset_input_schema,
    is_plugin_graph,
    plugin_input_schema,
    workflow_input_schema,
)
from pyfastgpt.services.usage import Usage, record_usage
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App
from pyfastgpt.workflow.events import RunResult, WorkflowDone

log = logging.getLogger("pyfastgpt.mcp")
TOOL_APP_TYPES = frozenset({"simple", "advanced", "plugin"})
PLUGIN_NO_OUTPUT = "Can not get response from plugin"


class ToolCallFailed(Exception):
    """A tool call that answers `isError: true` with this message."""


@dataclass(frozen=True, slots=True)
class ToolInfo:
    name: str
    description: str
    input_schema: dict[str, Any]


def key_context(doc: McpKeyDoc) -> AuthContext:
    """Who an MCP call runs as: the member who created the key, in the key's team."""
    return AuthContext(team_id=doc.team_id, tmb_id=doc.tmb_id, auth_type="apikey", key_name=doc.name)


def answer_text(result: RunResult) -> str:
    texts = [
        str((part.get("text") or {}).get("content", ""))
        for part in result.assistant_responses
        if isinstance(part.get("text"), dict)
    ]
    return "\n".join(t for t in texts if t).strip()


def plugin_text(result: RunResult) -> str:
    output = next((r for r in result.flow_responses if r.get("moduleType") == "pluginOutput"), None)
    if output is None:
        return PLUGIN_NO_OUTPUT
    return json.dumps(output.get("pluginOutput"), ensure_ascii=False, separators=(",", ":"))


class McpToolService:
    def __init__(self, db: Database, apps: AppService, chat: ChatRoundService, search: DatasetSearchService) -> None:
        self.db = db
        self.apps = apps
        self.chat = chat
        self.search = search

    async def _tool_app(self, ctx: AuthContext, item: McpApp) -> App | None:
        try:
            app = await self.apps.get(ctx, item.app_id)
        except AppError:
            return None
        return app if app.type in TOOL_APP_TYPES else None

    async def list_tools(self, doc: McpKeyDoc) -> list[ToolInfo]:
        ctx = key_context(doc)
        tools: list[ToolInfo] = []
        for item in doc.apps:
            app = await self._tool_app(ctx, item)
            if app is None:
                continue
            published = await self.apps.published_of(app)
            schema = (
                plugin_input_schema(published.nodes)
                if is_plugin_graph(published.nodes)
                else workflow_input_schema(published.chat_config)
            )
            tools.append(ToolInfo(item.tool_name, item.description, schema))
        tools.extend(ToolInfo(d.tool_name, d.description, dataset_input_schema()) for d in doc.datasets)
        return tools

    async def call_tool(self, doc: McpKeyDoc, name: str, arguments: dict[str, Any]) -> str:
        app_item = next((a for a in doc.apps if a.tool_name == name), None)
        if app_item is not None:
            return await self._call_app(doc, app_item, dict(arguments))
        dataset_item = next((d for d in doc.datasets if d.tool_name == name), None)
        if dataset_item is not None:
            return await self._call_dataset(doc, dataset_item, arguments)
        raise ToolCallFailed(f"Tool '{name}' does not exist")

    async def _call_app(self, doc: McpKeyDoc, item: McpApp, variables: dict[str, Any]) -> str:
        ctx = key_context(doc)
        app = await self._tool_app(ctx, item)
        if app is None:
            raise ToolCallFailed(f"Tool '{item.tool_name}' does not exist")
        is_plugin = app.type == "plugin"
        messages: list[dict[str, Any]] = []
        if not is_plugin:
            question = variables.pop("question", None)
            if not isinstance(question, str) or not question.strip():
                raise ToolCallFailed("question is required")
            messages = [{"role": "user", "content": question}]
        request = ChatRequest(messages=messages, app_id=app.id, variables=variables, source="mcp")
        try:
            prepared = await self.chat.prepare(ctx, request)
            result: RunResult | None = None
            async for event in self.chat.run(prepared):
                if isinstance(event, WorkflowDone):
                    result = event.result
        except AppError as exc:
            raise ToolCallFailed(exc.message) from exc
        if result is None:
            raise ToolCallFailed("The app did not finish")
        text = plugin_text(result) if is_plugin else answer_text(result)
        if result.error and not text:
            raise ToolCallFailed(result.error)
        return text

    async def _call_dataset(self, doc: McpKeyDoc, item: McpDataset, arguments: dict[str, Any]) -> str:
        question = arguments.get("question")
        if not isinstance(question, str) or not question.strip():
            raise ToolCallFailed("question is required")
        params = DatasetSearchParams(
            team_id=doc.team_id,
            dataset_ids=[item.dataset_id],
            query=question,
            limit=item.limit,
            similarity=item.similarity,
            search_mode=item.search_mode,
            using_rerank=item.using_rerank,
        )
        try:
            result = await self.search.search(params)
        except AppError as exc:
            raise ToolCallFailed(exc.message) from exc
        if result.usages:
            usage = Usage(
                team_id=doc.team_id,
                tmb_id=doc.tmb_id,
                source="mcp",
                app_name=item.tool_name,
                total_points=sum(u.total_points for u in result.usages),
                items=[u.to_wire() for u in result.usages],
            )
            await record_usage(self.db, usage)
        quotes = [
            {
                "id": q.get("id"),
                "sourceName": q.get("sourceName"),
                "updateTime": q.get("updateTime"),
                "content": f"{q.get('q', '')}\n{q.get('a', '')}".strip(),
            }
            for q in result.quotes
        ]
        return json.dumps(quotes, ensure_ascii=False)
