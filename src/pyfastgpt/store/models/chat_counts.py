"""How many live chats each owner has in each app, kept so that getHistories' `total` is one row read.

`chat_counts` holds, per app × team member (`team_id`, `tmb_id`), the number of chats without a
``delete_time``, under four keys: any end user and any source (``"" / ""``), one source
(``"" / source``), one end user (``out_link_uid / ""``: a key holder's `customUid`, or a share-link
visitor's uid) and one end user of one source. These are exactly the filters getHistories applies
without a time range, so its `total` is the ``chats`` of one row; a time range counts the rows.

Every write that makes a chat live (insert, revive) or soft-deletes one changes these counters in the
same transaction (`services/chat/round_store.py`, `services/history/service.py`). The empty string stands for
"any", which is also what the list does with an empty `source` or `customUid`: a chat whose source or
uid is empty only counts under "any".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base

ANY = ""


class ChatCount(Base):
    __tablename__ = "chat_counts"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    tmb_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    out_link_uid: Mapped[str] = mapped_column(String(255), primary_key=True)  # "" = any end user
    source: Mapped[str] = mapped_column(String(30), primary_key=True)  # "" = any source
    chats: Mapped[int] = mapped_column(Integer, default=0)


BUMP_SQL = text(
    "INSERT INTO chat_counts (app_id, team_id, tmb_id, out_link_uid, source, chats) "
    "VALUES (:app, :team, :tmb, :uid, :source, :n) "
    "ON CONFLICT (app_id, team_id, tmb_id, out_link_uid, source) DO UPDATE SET chats = chat_counts.chats + excluded.chats"
)

# (team_id, tmb_id, out_link_uid, source) of one chat
Owner = tuple[str, str, str | None, str | None]


def count_changes(app_id: str, owners: Iterable[Owner], delta: int) -> list[dict[str, Any]]:
    """The counter increments (`BUMP_SQL` parameters) for chats of `owners` becoming live (+1) or deleted (-1)."""
    totals: Counter[tuple[str, str, str, str]] = Counter()
    for team_id, tmb_id, uid, source in owners:
        uids = (ANY, uid) if uid else (ANY,)
        sources = (ANY, source) if source else (ANY,)
        for u in uids:
            for s in sources:
                totals[(team_id, tmb_id, u, s)] += delta
    return [
        {"app": app_id, "team": team, "tmb": tmb, "uid": uid, "source": source, "n": n}
        for (team, tmb, uid, source), n in sorted(totals.items())  # one lock order for concurrent writers
        if n
    ]


def rebuild_chat_counts(conn: Connection, app_id: str | None = None) -> None:
    """Recount `chat_counts` from `chats` (all apps, or one): the migration's backfill, and a repair."""
    scope = " AND app_id = :app" if app_id else ""
    params = {"app": app_id} if app_id else {}
    conn.execute(text("DELETE FROM chat_counts WHERE 1 = 1" + scope), params)
    for uid, source, extra in (
        ("''", "''", ""),
        ("''", "source", " AND source <> ''"),
        ("out_link_uid", "''", " AND out_link_uid <> ''"),
        ("out_link_uid", "source", " AND out_link_uid <> '' AND source <> ''"),
    ):
        groups = ", ".join(["app_id", "team_id", "tmb_id", *(c for c in (uid, source) if c != "''")])
        conn.execute(
            text(
                "INSERT INTO chat_counts (app_id, team_id, tmb_id, out_link_uid, source, chats) "
                f"SELECT app_id, team_id, tmb_id, {uid}, {source}, count(*) FROM chats "
                f"WHERE delete_time IS NULL{extra}{scope} GROUP BY {groups}"
            ),
            params,
        )
