"""The dataset chunks an answer quoted, as they were when it was given
(FastGPT `record/getQuote`, `record/getCollectionQuote`).

Access: the caller must reach the chat (owner check) and the message; every asked collection must
appear in that message's quote lists, and a share-link visitor needs the link's `showCite`
(`showFullText` to page through a whole collection). A chunk edited after the answer is shown as
its `history` entry from before the answer, with `updated: true` (`processChatTimeFilter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pyfastgpt.core.clock import iso, to_utc
from pyfastgpt.core.errors import PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history.access import require_chat, require_item
from pyfastgpt.services.history.base import HistoryBase
from pyfastgpt.services.history.shapes import flat_responses
from pyfastgpt.store.models import (
    App,
    Chat,
    ChatItem,
    ChatItemResponse,
    Dataset,
    DatasetCollection,
    DatasetData,
    ShareLink,
)


@dataclass(slots=True)
class CollectionPage:
    collection_id: str
    page_size: int = 15
    anchor: int | None = None
    initial_id: str | None = None
    prev_id: str | None = None
    next_id: str | None = None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, str) and value:
        try:
            return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def cite_item(row: DatasetData, chat_time: datetime) -> dict[str, Any]:
    """One chunk as `DatasetCiteItemSchema`, at the time of the answer."""
    item: dict[str, Any] = {"_id": row.id, "q": row.q, "a": row.a, "updateTime": iso(row.update_time),
                            "index": row.chunk_index}  # fmt: skip
    if to_utc(row.update_time) > to_utc(chat_time):
        for entry in row.history or []:
            when = _as_datetime(entry.get("updateTime")) if isinstance(entry, dict) else None
            if when is not None and when <= to_utc(chat_time):
                item.update(q=entry.get("q", ""), a=entry.get("a", ""), updateTime=iso(when), updated=True)
                break
    return item


def paged_item(row: DatasetData, chat_time: datetime) -> dict[str, Any]:
    item = cite_item(row, chat_time)
    return {**item, "id": item["_id"], "anchor": item["index"]}


def _quoted_collections(session: Session, chat: Chat, item: ChatItem) -> set[str]:
    rows = session.execute(
        select(ChatItemResponse.data).where(
            ChatItemResponse.app_id == chat.app_id,
            ChatItemResponse.chat_id == chat.chat_id,
            ChatItemResponse.chat_item_data_id == item.data_id,
        )
    ).scalars()
    quoted = {str(c) for c in item.cite_collection_ids or []}
    for data in rows:
        for response in flat_responses(list(data or [])):
            quoted.update(str(q.get("collectionId")) for q in response.get("quoteList") or [] if isinstance(q, dict))
    return quoted


def _quote_scope(
    session: Session, ctx: AuthContext, app: App, chat_id: str, data_id: str, collection_ids: list[str]
) -> tuple[Chat, ChatItem, ShareLink | None]:
    chat = require_chat(session, ctx, app, chat_id)
    item = require_item(session, chat, data_id)
    if not set(collection_ids) <= _quoted_collections(session, chat, item):
        raise PermissionDenied("The message does not quote this collection", key="unAuthDatasetFile")
    link = None
    if ctx.share_id is not None:
        link = session.execute(select(ShareLink).where(ShareLink.share_id == ctx.share_id)).scalar_one()
    return chat, item, link


def _cited(
    session: Session,
    ctx: AuthContext,
    app: App,
    chat_id: str,
    data_id: str,
    data_ids: list[str],
    collection_ids: list[str],
) -> list[dict[str, Any]]:
    chat, item, link = _quote_scope(session, ctx, app, chat_id, data_id, collection_ids)
    if link is not None and not link.show_cite:
        raise PermissionDenied(key="unAuthChat")
    if not data_ids or not collection_ids:
        return []
    rows = session.execute(
        select(DatasetData).where(
            DatasetData.id.in_(data_ids),
            DatasetData.collection_id.in_(collection_ids),
            DatasetData.team_id == chat.team_id,
        )
    ).scalars()
    by_id = {row.id: row for row in rows}
    return [cite_item(by_id[i], item.time) for i in dict.fromkeys(data_ids) if i in by_id]


def _collection_page(
    session: Session, ctx: AuthContext, app: App, chat_id: str, data_id: str, page: CollectionPage
) -> dict[str, Any]:
    chat, item, link = _quote_scope(session, ctx, app, chat_id, data_id, [page.collection_id])
    if (link is not None and not link.show_full_text) or page.anchor is None:
        raise PermissionDenied(key="unAuthChat")
    collection = session.execute(
        select(DatasetCollection.name, DatasetCollection.type, Dataset.type)
        .join(Dataset, Dataset.id == DatasetCollection.dataset_id)
        .where(DatasetCollection.id == page.collection_id, DatasetCollection.team_id == chat.team_id)
    ).first()
    if collection is None:
        return {"list": [], "hasMorePrev": False, "hasMoreNext": False}
    base = [DatasetData.collection_id == page.collection_id, DatasetData.team_id == chat.team_id]
    size = page.page_size

    def before(anchor_id: str, anchor: int) -> tuple[list[DatasetData], bool]:
        where = or_(DatasetData.chunk_index < anchor,
                    and_(DatasetData.chunk_index == anchor, DatasetData.id < anchor_id))  # fmt: skip
        query = select(DatasetData).where(*base, where)
        found = list(
            session.execute(query.order_by(DatasetData.chunk_index.desc(), DatasetData.id.desc()).limit(size)).scalars()
        )
        return list(reversed(found)), len(found) == size

    def after(anchor_id: str, anchor: int) -> tuple[list[DatasetData], bool]:
        where = or_(DatasetData.chunk_index > anchor,
                    and_(DatasetData.chunk_index == anchor, DatasetData.id > anchor_id))  # fmt: skip
        query = select(DatasetData).where(*base, where)
        found = list(session.execute(query.order_by(DatasetData.chunk_index, DatasetData.id).limit(size)).scalars())
        return found, len(found) == size

    rows: list[DatasetData]
    if page.initial_id:
        center = session.execute(
            select(DatasetData).where(*base, DatasetData.id == page.initial_id)
        ).scalar_one_or_none()
        if center is None:
            query = select(DatasetData).where(*base).order_by(DatasetData.chunk_index, DatasetData.id)
            rows = list(session.execute(query.limit(size)).scalars())
            more_prev, more_next = False, len(rows) == size
        else:
            prev, more_prev = before(center.id, page.anchor)
            nxt, more_next = after(center.id, page.anchor)
            rows = [*prev, center, *nxt]
    elif page.prev_id:
        rows, more = before(page.prev_id, page.anchor)
        more_prev, more_next = more, False
    elif page.next_id:
        rows, more = after(page.next_id, page.anchor)
        more_prev, more_next = False, more
    else:
        rows, more_prev, more_next = [], False, False
    name, collection_type, dataset_type = collection
    return {
        "list": [paged_item(row, item.time) for row in rows],
        "hasMorePrev": more_prev,
        "hasMoreNext": more_next,
        "collectionType": collection_type,
        "datasetType": dataset_type,
        "fileName": name,
    }


class QuotesMixin(HistoryBase):
    async def get_quote(
        self, ctx: AuthContext, app_id: str, chat_id: str, data_id: str, data_ids: list[str], collection_ids: list[str]
    ) -> list[dict[str, Any]]:
        app = await self.app(ctx, app_id)
        return await self.db.run_read_session(
            lambda session: _cited(session, ctx, app, chat_id, data_id, data_ids, collection_ids)
        )

    async def get_collection_quote(
        self, ctx: AuthContext, app_id: str, chat_id: str, data_id: str, page: CollectionPage
    ) -> dict[str, Any]:
        app = await self.app(ctx, app_id)
        return await self.db.run_read_session(
            lambda session: _collection_page(session, ctx, app, chat_id, data_id, page)
        )
