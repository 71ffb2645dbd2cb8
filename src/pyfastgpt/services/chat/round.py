"""One chat round: resolve the app, load history, run the workflow, persist, hand events back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.ids import nanoid
from pyfastgpt.core.observability import observe_chat_round
from pyfastgpt.services.apps import FOLDER_TYPES, AppService, PublishedApp
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.messages import messages_to_items, title_from
from pyfastgpt.services.chat.round_store import ChatScope, ChatStore, RoundOutcome, RoundRecord, new_data_id
from pyfastgpt.services.chat.title import TitleJob
from pyfastgpt.services.share.links import ShareVisitor
from pyfastgpt.services.share.public import filter_public_responses
from pyfastgpt.workflow.chat_values import max_history_limit
from pyfastgpt.workflow.events import RunResult, WorkflowDone, WorkflowEvent
from pyfastgpt.workflow.interactive import last_interactive_value
from pyfastgpt.workflow.runner import RunInput, WorkflowRunner

log = logging.getLogger("pyfastgpt.chat")
ShareFinished = Callable[[ShareVisitor, str, str, list[dict[str, Any]]], None]

NO_RECORD = "NO_RECORD_HISTORIES"
MAX_CHAT_ID = 1024
ACCOUNT_KEY_ERROR = "Key is error. You need to use the app key rather than the account key."


@dataclass(slots=True)
class ChatRequest:
    messages: list[dict[str, Any]]
    app_id: str | None = None
    chat_id: str | None = None
    stream: bool = False
    detail: bool = False
    variables: dict[str, Any] = field(default_factory=dict)
    response_chat_item_id: str | None = None
    custom_uid: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    retain_dataset_cite: bool = False
    origin_ip: str | None = None
    source: str | None = None  # "test" for chatTest
    graph_override: dict[str, Any] | None = None  # chatTest: run an unsaved workflow
    share: ShareVisitor | None = None  # a share-link visitor (else a key holder)


@dataclass(slots=True)
class PreparedRound:
    ctx: AuthContext
    published: PublishedApp
    graph: dict[str, Any]
    chat_id: str
    record: RoundRecord | None  # None: NO_RECORD_HISTORIES
    run_input: RunInput
    detail: bool
    stream: bool
    is_plugin: bool
    resumed: bool
    retain_dataset_cite: bool
    share: ShareVisitor | None = None
    on_begin: Callable[[], None] | None = None  # called once the round owns its chat (stream resume)
    name_chat: str | None = None  # the question a title model names this new chat after
    title: str | None = None  # the generated title, once the round has finished

    def public_responses(self, responses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """What this caller may see of the node responses (share links see a filtered subset)."""
        if self.share is None:
            return responses
        link = self.share.link
        return filter_public_responses(responses, show_cite=link.show_cite, show_full_text=link.show_full_text)


def resolve_app_id(ctx: AuthContext, body_app_id: str | None) -> str:
    """FastGPT 4.16: body `appId` > `Bearer <key>-<appId>` suffix > the key's own app."""
    app_id = body_app_id or ctx.suffix_app_id or ctx.key_app_id
    if not app_id:
        raise InvalidRequest(ACCOUNT_KEY_ERROR, key="invalidParams")
    return app_id


class ChatRoundService:
    def __init__(
        self,
        apps: AppService,
        store: ChatStore,
        runner: WorkflowRunner,
        *,
        timezone: str,
        title_model: str | None = None,
    ) -> None:
        self.apps = apps
        self.store = store
        self.runner = runner
        self.timezone = timezone
        self.title_model = title_model or None
        self.running: dict[tuple[str, str], asyncio.Event] = {}
        self.on_share_finished: ShareFinished | None = None

    async def prepare(self, ctx: AuthContext, req: ChatRequest) -> PreparedRound:
        if req.graph_override is not None:
            app = await self.apps.get(ctx, resolve_app_id(ctx, req.app_id))
            published = PublishedApp(
                app=app,
                version_id=None,
                nodes=req.graph_override.get("nodes") or [],
                edges=req.graph_override.get("edges") or [],
                chat_config=req.graph_override.get("chatConfig") or {},
            )
        else:
            app = await self.apps.get(ctx, resolve_app_id(ctx, req.app_id))
            published = await self.apps.published_of(app)
        if app.type in FOLDER_TYPES:
            raise InvalidRequest("A folder cannot chat", key="invalidAppType")
        is_plugin = app.type == "plugin"
        if not req.messages and not is_plugin:
            raise InvalidRequest("messages is empty", key="invalidParams")
        chat_id = req.chat_id or nanoid(24)
        if len(chat_id) > MAX_CHAT_ID:
            raise InvalidRequest(f"chatId is longer than {MAX_CHAT_ID} characters", key="invalidParams")
        items = messages_to_items(req.messages)
        question: dict[str, Any] = items.pop() if items else {"obj": "Human", "value": []}
        if is_plugin and not question["value"]:
            question = {"obj": "Human", "value": [{"type": "text", "text": {"content": ""}}]}
        if req.share is not None:
            scope = ChatScope(
                team_id=ctx.team_id,
                tmb_id=ctx.tmb_id,
                app_id=app.id,
                source="share",
                source_name=req.share.link.name,
                share_id=req.share.link.share_id,
                out_link_uid=req.share.uid,
            )
        else:
            scope = ChatScope(
                team_id=ctx.team_id,
                tmb_id=ctx.tmb_id,
                app_id=app.id,
                source=req.source or "api",
                source_name=ctx.key_name or ("root" if ctx.is_root else ""),
                out_link_uid=req.custom_uid,
                member_only=not ctx.is_root,
            )
        record_chat = chat_id != NO_RECORD
        loaded_variables: dict[str, Any] = {}
        stored_histories: list[dict[str, Any]] = []
        new_chat = record_chat
        if record_chat and req.chat_id:
            loaded = await self.store.load(scope, chat_id, max_history_limit(published.nodes))
            loaded_variables = loaded.variables
            stored_histories = loaded.histories
            new_chat = not loaded.exists
        systems = [i for i in items if i["obj"] == "System"]
        others = [i for i in items if i["obj"] != "System"]
        histories = [*systems, *stored_histories, *others]
        variables = {**loaded_variables, **(req.variables or {})}
        interactive = last_interactive_value(stored_histories) if not others else None
        resumed_data_id = stored_histories[-1].get("dataId") if interactive else None
        ai_data_id = req.response_chat_item_id or new_data_id()
        graph = {"nodes": published.nodes, "edges": published.edges, "chatConfig": published.chat_config}
        record = None
        if record_chat:
            record = RoundRecord(
                chat_id=chat_id,
                scope=scope,
                app_version_id=published.version_id,
                human_value=None if interactive else question["value"],
                human_data_id=str(question.get("dataId") or new_data_id()),
                ai_data_id=str(resumed_data_id or ai_data_id),
                title=title_from(question["value"], fallback=app.name),
                metadata={**(req.metadata or {}), **({"originIp": req.origin_ip} if req.origin_ip else {})},
                variables=variables,
                variable_list=published.chat_config.get("variables") if published.chat_config else None,
                welcome_text=str((published.chat_config or {}).get("welcomeText") or ""),
                resumed_item_data_id=str(resumed_data_id) if resumed_data_id else None,
                fresh=not req.chat_id,
            )
        run_input = RunInput(
            app_id=app.id,
            team_id=ctx.team_id,
            chat_id=chat_id,
            response_chat_item_id=str(resumed_data_id or ai_data_id),
            user_id=scope.out_link_uid or ctx.tmb_id,
            app_type=app.type,
            query=question["value"],
            histories=histories,
            variables=variables,
            last_interactive=interactive,
            plugin_inputs=req.variables if is_plugin else None,
            stream=req.stream,
            detail=req.detail or is_plugin,
            timezone=self.timezone,
            retain_dataset_cite=req.retain_dataset_cite,
        )
        return PreparedRound(
            ctx=ctx,
            published=published,
            graph=graph,
            chat_id=chat_id,
            record=record,
            run_input=run_input,
            detail=req.detail or is_plugin,
            stream=req.stream,
            is_plugin=is_plugin,
            resumed=interactive is not None,
            retain_dataset_cite=req.retain_dataset_cite,
            share=req.share,
            name_chat=(value_text(question["value"]).strip() or None) if new_chat and self.title_model else None,
        )

    async def run(self, prepared: PreparedRound) -> AsyncIterator[WorkflowEvent]:
        """Run the round; persists it whatever happens (success, node errors, faults, cancellation)."""
        observe_chat_round(prepared.published.app.id, prepared.chat_id)
        record = prepared.record
        if record is not None and not record.fresh:
            await self.store.begin(record)
        if prepared.on_begin is not None:
            prepared.on_begin()
        key = (prepared.published.app.id, prepared.chat_id)
        self.running[key] = prepared.run_input.stop_event
        finished = False
        title_job = None
        if prepared.name_chat and self.title_model:  # named in the background while the workflow runs
            title_job = TitleJob(self.runner.deps.registry, self.title_model, prepared.name_chat)
        try:
            async for event in self.runner.run(prepared.graph, prepared.run_input):
                if isinstance(event, WorkflowDone) and record is not None:
                    prepared.title = await title_job.result() if title_job else None
                    await self._finish(prepared, record, event.result)
                    finished = True
                yield event
        except BaseException as exc:
            if record is not None and not finished:
                message = (
                    "The client disconnected; the run was stopped"
                    if isinstance(exc, asyncio.CancelledError | GeneratorExit)
                    else str(exc) or type(exc).__name__
                )
                await asyncio.shield(self._fail_quietly(record, message))
            raise
        finally:
            if title_job is not None:
                title_job.cancel()
            if self.running.get(key) is prepared.run_input.stop_event:
                self.running.pop(key, None)

    async def _finish(self, prepared: PreparedRound, record: RoundRecord, result: RunResult) -> None:
        outcome = RoundOutcome(
            ai_value=result.assistant_responses or [{"type": "text", "text": {"content": ""}}],
            variables={**record.variables, **result.new_variables},
            title=prepared.title,
            responses=result.flow_responses,
            error=result.error,
            duration_seconds=result.duration_seconds,
            total_points=result.total_points,
            usage_items=[u.to_wire() for u in result.usages],
            custom_feedbacks=result.custom_feedbacks,
            key_id=prepared.ctx.key_id,
            app_name=prepared.published.app.name,
            usage_source="shareLink" if prepared.share else "mcp" if record.scope.source == "mcp" else "api",
            answer=value_text(prepared.run_input.query) if prepared.resumed else None,
            memories=result.memories or None,
            input_tokens=sum(u.input_tokens for u in result.usages),
            output_tokens=sum(u.output_tokens for u in result.usages),
        )
        await self.store.finish(record, outcome)
        if prepared.share is not None and self.on_share_finished is not None:
            self.on_share_finished(prepared.share, prepared.chat_id, prepared.published.app.name, result.flow_responses)

    async def _fail_quietly(self, record: RoundRecord, message: str) -> None:
        with contextlib.suppress(Exception):
            await self.store.fail(record, message)

    def stop(self, app_id: str, chat_id: str) -> bool:
        event = self.running.get((app_id, chat_id))
        if event is None:
            return False
        event.set()
        return True
