"""The users of an app's chat logs, most active first (FastGPT 4.16 `app/logs/getUsers`).

Rows of `app_chat_logs` updated in the date range (and of the asked sources) are grouped by
`userId` (the share-link or `customUid` end user, else the team member); `count` is the number of
log rows (chat sessions / 15-minute segments). A team member is shown by name with `tmbId`,
anyone else by the uid (`outLinkUid`). `searchKey` matches the uid or a member's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pyfastgpt.store.models import AppChatLog, TeamMember

DEFAULT_USER_AVATAR = "/icon/human.svg"


@dataclass(slots=True)
class LogUsersQuery:
    team_id: str
    app_id: str
    date_start: datetime
    date_end: datetime
    sources: tuple[str, ...] = ()
    search_key: str = ""
    offset: int = 0
    page_size: int = 50


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def log_users(session: AsyncSession, query: LogUsersQuery) -> dict[str, Any]:
    where = [
        AppChatLog.team_id == query.team_id,
        AppChatLog.app_id == query.app_id,
        AppChatLog.update_time >= query.date_start,
        AppChatLog.update_time <= query.date_end,
        AppChatLog.user_id != "",
    ]
    if query.sources:
        where.append(AppChatLog.source.in_(query.sources))
    if query.search_key:
        pattern = _like(query.search_key.lower())
        members = select(TeamMember.id).where(
            TeamMember.team_id == query.team_id, func.lower(TeamMember.name).like(pattern, escape="\\")
        )
        where.append(or_(func.lower(AppChatLog.user_id).like(pattern, escape="\\"), AppChatLog.user_id.in_(members)))
    count = func.count().label("count")
    grouped = select(AppChatLog.user_id, count).where(*where).group_by(AppChatLog.user_id)
    total = (await session.execute(select(func.count()).select_from(grouped.subquery()))).scalar_one()
    rows = (
        await session.execute(
            grouped.order_by(count.desc(), AppChatLog.user_id).offset(query.offset).limit(query.page_size)
        )
    ).all()
    user_ids = [row.user_id for row in rows]
    names = dict(
        (
            await session.execute(
                select(TeamMember.id, TeamMember.name).where(
                    TeamMember.team_id == query.team_id, TeamMember.id.in_(user_ids)
                )
            )
        ).all()
    )
    items = []
    for row in rows:
        member = row.user_id in names
        items.append(
            {
                "outLinkUid": None if member else row.user_id,
                "tmbId": row.user_id if member else None,
                "name": names.get(row.user_id) or row.user_id,
                "avatar": DEFAULT_USER_AVATAR,
                "count": int(row[1]),
            }
        )
    return {"list": items, "total": int(total)}
