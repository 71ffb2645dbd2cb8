"""The app's chat log list (FastGPT 4.16 `core/app/logs/list`) and its streaming CSV export.

One entry per conversation (`chats`), newest first, with figures aggregated from its messages:
``messageCount`` (non-deleted items), feedback counts, ``markCount`` (admin feedback),
``averageResponseTime`` (mean AI duration), ``errorCount`` (AI items with an error) and ``totalPoints``.
The export walks the same filter with keyset pagination on ``(update_time, id)`` so memory stays
constant however many chats match.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pyfastgpt.core.clock import iso
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import AppVersion, Chat, ChatItem

FeedbackType = Literal["all", "has_feedback", "good", "bad"]
ErrorFilter = Literal["all", "has_error", "no_error"]
EXPORT_PAGE = 500
CSV_COLUMNS = (
    "chatId", "title", "source", "sourceName", "user", "createTime", "updateTime", "messageCount",
    "userGoodFeedbackCount", "userBadFeedbackCount", "customFeedbacksCount", "markCount", "averageResponseTime",
    "errorCount", "totalPoints", "versionName", "region",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LogFilter:
    team_id: str
    app_id: str
    date_start: datetime | None = None
    date_end: datetime | None = None
    sources: tuple[str, ...] = ()
    tmb_ids: tuple[str, ...] = ()
    chat_search: str = ""
    feedback_type: FeedbackType = "all"
    error_filter: ErrorFilter = "all"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _item_exists(chat: type[Chat], *conditions: Any) -> Any:
    return exists().where(
        ChatItem.app_id == chat.app_id, ChatItem.chat_id == chat.chat_id, ChatItem.delete_time.is_(None), *conditions
    )


def _conditions(spec: LogFilter) -> list[Any]:
    conditions: list[Any] = [Chat.team_id == spec.team_id, Chat.app_id == spec.app_id, Chat.delete_time.is_(None)]
    if spec.date_start is not None:
        conditions.append(Chat.update_time >= spec.date_start)
    if spec.date_end is not None:
        conditions.append(Chat.update_time <= spec.date_end)
    if spec.sources:
        conditions.append(Chat.source.in_(spec.sources))
    if spec.tmb_ids:
        conditions.append(Chat.tmb_id.in_(spec.tmb_ids))
    if spec.chat_search:
        pattern = f"%{_escape_like(spec.chat_search.lower())}%"
        conditions.append(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (Chat.chat_id, Chat.title, Chat.custom_title)
                )
            )
        )
    good, bad = ChatItem.user_good_feedback.is_not(None), ChatItem.user_bad_feedback.is_not(None)
    if spec.feedback_type == "has_feedback":
        conditions.append(_item_exists(Chat, or_(good, bad)))
    elif spec.feedback_type == "good":
        conditions.append(_item_exists(Chat, good))
    elif spec.feedback_type == "bad":
        conditions.append(_item_exists(Chat, bad))
    has_error = _item_exists(Chat, ChatItem.error_msg.is_not(None))
    if spec.error_filter == "has_error":
        conditions.append(has_error)
    elif spec.error_filter == "no_error":
        conditions.append(~has_error)
    return conditions


def _flag(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _has_custom_feedback(dialect: str) -> Any:
    column = ChatItem.custom_feedbacks
    if dialect == "sqlite":
        return func.coalesce(func.json_array_length(column), 0) > 0
    return and_(func.jsonb_typeof(column) == "array", func.jsonb_array_length(column) > 0)


async def _item_figures(session: AsyncSession, app_id: str, chat_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not chat_ids:
        return {}
    ai = ChatItem.obj == "AI"
    dialect = session.get_bind().dialect.name
    query = (
        select(
            ChatItem.chat_id,
            func.count(),
            _flag(ChatItem.user_good_feedback.is_not(None)),
            _flag(ChatItem.user_bad_feedback.is_not(None)),
            _flag(_has_custom_feedback(dialect)),
            _flag(ChatItem.admin_feedback.is_not(None)),
            func.sum(case((ai, func.coalesce(ChatItem.duration_seconds, 0.0)), else_=0.0)),
            _flag(ai),
            _flag(and_(ai, ChatItem.error_msg.is_not(None))),
            func.sum(ChatItem.total_points),
        )
        .where(ChatItem.app_id == app_id, ChatItem.chat_id.in_(chat_ids), ChatItem.delete_time.is_(None))
        .group_by(ChatItem.chat_id)
    )
    figures: dict[str, dict[str, Any]] = {}
    for row in await session.execute(query):
        ai_count = int(row[7] or 0)
        figures[row[0]] = {
            "messageCount": int(row[1]),
            "userGoodFeedbackCount": int(row[2] or 0),
            "userBadFeedbackCount": int(row[3] or 0),
            "customFeedbacksCount": int(row[4] or 0),
            "markCount": int(row[5] or 0),
            "averageResponseTime": float(row[6] or 0) / ai_count if ai_count else 0,
            "errorCount": int(row[8] or 0),
            "totalPoints": float(row[9] or 0),
        }
    return figures


_EMPTY_FIGURES = {
    "messageCount": 0, "userGoodFeedbackCount": 0, "userBadFeedbackCount": 0, "customFeedbacksCount": 0,
    "markCount": 0, "averageResponseTime": 0, "errorCount": 0, "totalPoints": 0.0,
}  # fmt: skip


async def _entries(session: AsyncSession, app_id: str, chats: list[Chat]) -> list[dict[str, Any]]:
    figures = await _item_figures(session, app_id, [chat.chat_id for chat in chats])
    version_ids = {chat.app_version_id for chat in chats if chat.app_version_id}
    versions: dict[str, str] = {}
    if version_ids:
        rows = await session.execute(
            select(AppVersion.id, AppVersion.version_name).where(AppVersion.id.in_(version_ids))
        )
        versions = {version_id: name for version_id, name in rows}
    entries = []
    for chat in chats:
        origin_ip = (chat.meta or {}).get("originIp")
        entries.append(
            {
                "_id": chat.id,
                "chatId": chat.chat_id,
                "title": chat.title,
                "customTitle": chat.custom_title,
                "source": chat.source,
                "sourceName": chat.source_name,
                "updateTime": iso(chat.update_time),
                "createTime": iso(chat.create_time),
                **figures.get(chat.chat_id, _EMPTY_FIGURES),
                "outLinkUid": chat.out_link_uid,
                "tmbId": chat.tmb_id,
                "versionName": versions.get(chat.app_version_id or ""),
                "originIp": origin_ip,
                "region": origin_ip,
            }
        )
    return entries


async def list_logs(session: AsyncSession, spec: LogFilter, *, offset: int, page_size: int) -> dict[str, Any]:
    conditions = _conditions(spec)
    total = (await session.execute(select(func.count()).select_from(Chat).where(*conditions))).scalar_one()
    chats = list(
        (
            await session.execute(
                select(Chat)
                .where(*conditions)
                .order_by(Chat.update_time.desc(), Chat.id.desc())
                .offset(offset)
                .limit(page_size)
            )
        ).scalars()
    )
    return {"list": await _entries(session, spec.app_id, chats), "total": int(total)}


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


async def export_csv(db: Database, spec: LogFilter, *, header: str | None = None) -> AsyncIterator[str]:
    """Yield the CSV export page by page (a BOM and header line first)."""
    first_line = " ".join(header.splitlines()).strip() + "\n" if header else _csv_line(list(CSV_COLUMNS))
    yield "\ufeff" + first_line
    conditions = _conditions(spec)
    after: tuple[datetime, str] | None = None
    while True:
        page_conditions = list(conditions)
        if after is not None:
            page_conditions.append(
                or_(Chat.update_time < after[0], and_(Chat.update_time == after[0], Chat.id < after[1]))
            )
        async with db.read() as session:
            chats = list(
                (
                    await session.execute(
                        select(Chat)
                        .where(*page_conditions)
                        .order_by(Chat.update_time.desc(), Chat.id.desc())
                        .limit(EXPORT_PAGE)
                    )
                ).scalars()
            )
            entries = await _entries(session, spec.app_id, chats)
        if not chats:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for entry in entries:
            user = entry["outLinkUid"] or entry["tmbId"]
            row = {**entry, "user": user, "title": entry["customTitle"] or entry["title"]}
            writer.writerow(["" if row[column] is None else row[column] for column in CSV_COLUMNS])
        yield buffer.getvalue()
        after = (chats[-1].update_time, chats[-1].id)
        if len(chats) < EXPORT_PAGE:
            return
