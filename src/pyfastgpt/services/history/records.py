"""Messages of one chat: offset pages, cursor pages, node responses, deletion, and `init`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, func, select, true, update
from sqlalchemy.orm import Session

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history.access import (
    CHAT_OWNER,
    OWNER_COLUMNS,
    ChatRef,
    find_chat,
    find_chat_ref,
    owned_chat_ref,
    require_chat_ref,
    require_item,
)
from pyfastgpt.services.history.base import HistoryBase
from pyfastgpt.services.history.chat_config import app_chat_config, chat_model_names, plugin_inputs
from pyfastgpt.services.history.shapes import RECORD_COLUMNS, RecordRow, record_item
from pyfastgpt.store.models import App, Chat, ChatItem, ChatItemResponse, ShareLink
from pyfastgpt.store.prepared import Prepared

PLUGIN_TYPE = "plugin"


@dataclass(slots=True)
class Cursor:
    page_size: int
    initial_id: str | None = None
    prev_id: str | None = None
    next_id: str | None = None


Record = ChatItem | RecordRow  # a row of RECORD_COLUMNS, or the item `require_item` found


def _live_items(app_id: Any, chat_id: Any) -> list[Any]:
    """The chat's messages that are not deleted (ids as values or as bind parameters)."""
    return [ChatItem.app_id == app_id, ChatItem.chat_id == chat_id, ChatItem.delete_time.is_(None)]


def _responses(session: Session, chat: ChatRef, items: Sequence[Record]) -> dict[str, list[Any]]:
    data_ids = [item.data_id for item in items if item.obj == "AI"]
    if not data_ids:
        return {}
    rows = session.execute(
        select(ChatItemResponse.chat_item_data_id, ChatItemResponse.data)
        .where(
            ChatItemResponse.app_id == chat.app_id,
            ChatItemResponse.chat_id == chat.chat_id,
            ChatItemResponse.chat_item_data_id.in_(data_ids),
        )
        .order_by(ChatItemResponse.time, ChatItemResponse.id)
    )
    found: dict[str, list[Any]] = {}
    for data_id, data in rows:
        found.setdefault(data_id, []).extend(data or [])
    return found


def _link_shows_cite(session: Session, share_id: str) -> bool:
    return bool(session.execute(select(ShareLink.show_cite).where(ShareLink.share_id == share_id)).scalar())


def _shape(
    session: Session,
    ctx: AuthContext,
    app: App,
    items: Sequence[Record],
    responses: dict[str, list[Any]],
    custom_feedbacks: bool,
) -> list[dict[str, Any]]:
    full = app.type == PLUGIN_TYPE
    shaped = [
        record_item(item, responses.get(item.data_id, []), custom_feedbacks=custom_feedbacks, full_responses=full)
        for item in items
    ]
    if ctx.share_id is not None and not _link_shows_cite(session, ctx.share_id):
        # FastGPT's transformPreviewHistories: a link without showCite gives visitors no quotes.
        for record in shaped:
            record.pop("totalQuoteList", None)
    return shaped


def _count(session: Session, chat: ChatRef) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(ChatItem).where(*_live_items(chat.app_id, chat.chat_id))
        ).scalar_one()
    )


def _page_statement() -> Prepared:
    """The chat's owner, the page, the chat's item count (a window count, taken before LIMIT/OFFSET) and the node
    responses of its AI items (joined: one row per response, in order), in one statement compiled once: no row
    when the chat does not exist, one row without an item when the page is past the end."""
    assert isinstance(CHAT_OWNER.statement, Select)
    owner = CHAT_OWNER.statement.subquery("owner")
    page = (
        select(*RECORD_COLUMNS, func.count().over().label("total"))
        .where(*_live_items(bindparam("b_app"), bindparam("b_chat")))
        .order_by(ChatItem.id.desc())
        .offset(bindparam("b_offset", type_=Integer()))
        .limit(bindparam("b_limit", type_=Integer()))
        .subquery("page")
    )
    answers = and_(
        ChatItemResponse.app_id == bindparam("b_app"),
        ChatItemResponse.chat_id == bindparam("b_chat"),
        ChatItemResponse.chat_item_data_id == page.c.data_id,
        page.c.obj == "AI",
    )
    return Prepared(
        select(owner, page, ChatItemResponse.data)
        .select_from(owner.outerjoin(page, true()).outerjoin(ChatItemResponse, answers))
        .order_by(page.c.id, ChatItemResponse.time, ChatItemResponse.id)
    )


PAGE_WITH_RESPONSES = _page_statement()
ITEM_AT = len(OWNER_COLUMNS)
TOTAL_AT = ITEM_AT + len(RECORD_COLUMNS)
DATA_AT = TOTAL_AT + 1


def _offset_page(
    session: Session, ctx: AuthContext, app: App, chat_id: str, offset: int, page_size: int, custom_feedbacks: bool
) -> tuple[list[dict[str, Any]], int]:
    params = {"b_app": app.id, "b_chat": chat_id, "b_offset": offset, "b_limit": page_size}
    found = PAGE_WITH_RESPONSES.all(session.connection(), params)
    if not found:  # no such chat
        return [], 0
    chat = owned_chat_ref(ctx, app, chat_id, found[0][:ITEM_AT])
    if found[0][ITEM_AT] is None:  # a page past the end has no item to carry the count
        return [], _count(session, chat)
    items: dict[int, RecordRow] = {}
    responses: dict[str, list[Any]] = {}
    for row in found:
        item = items.get(row[ITEM_AT])
        if item is None:
            item = items[row[ITEM_AT]] = RecordRow(*row[ITEM_AT:TOTAL_AT])
        if row[DATA_AT] is not None:
            responses.setdefault(item.data_id, []).extend(row[DATA_AT])
    return _shape(session, ctx, app, list(items.values()), responses, custom_feedbacks), int(found[0][TOTAL_AT])


def _cursor_page(
    session: Session, ctx: AuthContext, app: App, chat_id: str, cursor: Cursor, custom_feedbacks: bool
) -> dict[str, Any]:
    chat = find_chat_ref(session, ctx, app, chat_id)
    if chat is None:
        return {"list": [], "total": 0, "hasMorePrev": False, "hasMoreNext": False}
    where = _live_items(chat.app_id, chat.chat_id)
    total = _count(session, chat)
    limit = cursor.page_size

    def before(anchor: int, count: int) -> list[Record]:
        query = select(*RECORD_COLUMNS).where(*where, ChatItem.id < anchor).order_by(ChatItem.id.desc()).limit(count)
        return [RecordRow(*row) for row in session.execute(query)]

    def after(anchor: int, count: int) -> list[Record]:
        query = select(*RECORD_COLUMNS).where(*where, ChatItem.id > anchor).order_by(ChatItem.id).limit(count)
        return [RecordRow(*row) for row in session.execute(query)]

    items: list[Record]
    if cursor.prev_id:
        anchor = require_item(session, chat, cursor.prev_id)
        older = before(anchor.id, limit + 1)
        items, more_prev, more_next = list(reversed(older[:limit])), len(older) > limit, True
    elif cursor.next_id:
        anchor = require_item(session, chat, cursor.next_id)
        newer = after(anchor.id, limit + 1)
        items, more_prev, more_next = newer[:limit], True, len(newer) > limit
    elif cursor.initial_id:
        target = require_item(session, chat, cursor.initial_id)
        half, ceil = limit // 2, (limit + 1) // 2
        older = before(target.id, half + 1)
        newer = after(target.id, ceil + 1)
        items = [*reversed(older[:half]), target, *newer[:ceil]]
        more_prev, more_next = len(older) > half, len(newer) > ceil
    else:
        latest = before(2**62, limit)
        items, more_prev, more_next = list(reversed(latest)), total > limit, False
    shaped = _shape(session, ctx, app, items, _responses(session, chat, items), custom_feedbacks)
    return {
        "list": [{**item, "id": item["dataId"]} for item in shaped],
        "total": total,
        "hasMorePrev": more_prev,
        "hasMoreNext": more_next,
    }


def _item_responses(session: Session, ctx: AuthContext, app: App, chat_id: str, data_id: str) -> list[Any]:
    chat = require_chat_ref(session, ctx, app, chat_id)
    item = require_item(session, chat, data_id)
    if item.obj != "AI":
        return []
    return _responses(session, chat, [item]).get(item.data_id, [])


def _delete_items(session: Session, ctx: AuthContext, app: App, chat_id: str, data_ids: list[str]) -> int:
    chat = require_chat_ref(session, ctx, app, chat_id)
    if not data_ids:  # FastGPT: nothing to delete is not an error
        return 0
    result = session.execute(
        update(ChatItem)
        .where(*_live_items(chat.app_id, chat.chat_id), ChatItem.data_id.in_(data_ids))
        .values(delete_time=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class RecordsMixin(HistoryBase):
    async def page_records(
        self, ctx: AuthContext, app_id: str, chat_id: str, *, offset: int, page_size: int, custom_feedbacks: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """Newest page first (`offset` counts back from the latest message); chronological inside."""
        app = await self.app(ctx, app_id)
        if not chat_id:
            return [], 0
        return await self.db.run_read_session(  # the chat's owner, then its page: no snapshot needed
            lambda session: _offset_page(session, ctx, app, chat_id, offset, page_size, custom_feedbacks),
            autocommit=True,
            short=True,
        )

    async def cursor_records(
        self, ctx: AuthContext, app_id: str, chat_id: str, cursor: Cursor, *, custom_feedbacks: bool
    ) -> dict[str, Any]:
        """`getRecords_v2`: the page around `initialId`, before `prevId` or after `nextId`."""
        app = await self.app(ctx, app_id)
        if not chat_id:
            return {"list": [], "total": 0, "hasMorePrev": False, "hasMoreNext": False}
        return await self.db.run_read_session(
            lambda session: _cursor_page(session, ctx, app, chat_id, cursor, custom_feedbacks)
        )

    async def response_data(self, ctx: AuthContext, app_id: str, chat_id: str, data_id: str) -> list[Any]:
        """`getResData`: the node responses of one AI message (an empty list for a user message)."""
        app = await self.app(ctx, app_id)
        if not data_id:
            raise InvalidRequest("dataId is empty", key="missingParams")
        return await self.db.run_read_session(lambda session: _item_responses(session, ctx, app, chat_id, data_id))

    async def delete_items(self, ctx: AuthContext, app_id: str, chat_id: str, data_ids: list[str]) -> int:
        """Soft-delete messages of a chat; ids that are not (or no longer) there are skipped."""
        app = await self.app(ctx, app_id)
        ids = [data_id for data_id in dict.fromkeys(data_ids) if data_id]
        return await self.db.run_write_session(lambda session: _delete_items(session, ctx, app, chat_id, ids))

    async def init_chat(self, ctx: AuthContext, app_id: str, chat_id: str | None) -> dict[str, Any]:
        """`GET /api/core/chat/init`: the app's chat settings and the chat's title and variables."""
        app = await self.app(ctx, app_id)
        chat: Chat | None = None
        if chat_id:
            chat = await self.db.run_read_session(lambda session: find_chat(session, ctx, app, chat_id))
        published = await self.apps.published_of(app)
        return {
            "chatId": chat_id or "",
            "appId": app.id,
            "title": chat.title if chat else "",
            "variables": dict(chat.variables or {}) if chat else {},
            "app": {
                "chatConfig": app_chat_config(
                    published.chat_config,
                    published.nodes,
                    store_variables=chat.variable_list if chat else None,
                    store_welcome_text=chat.welcome_text if chat and chat.welcome_text else None,
                ),
                "chatModels": chat_model_names(published.nodes, self.registry),
                "name": app.name,
                "avatar": app.avatar,
                "intro": app.intro,
                "type": app.type,
                "pluginInputs": plugin_inputs(published.nodes),
            },
        }
