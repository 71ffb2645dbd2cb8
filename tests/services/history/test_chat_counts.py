"""getHistories' `total` from the maintained `chat_counts` equals the real count of live chats, for every
owner kind (a member, a key holder's end users via `customUid`, share-link visitors, the root key) and
every source filter, after any mix of new chats, reused and revived chat ids, deletes, clears and batch
deletes, sequential (hypothesis) and concurrent; and the migration's backfill rebuilds the same counters."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from pyfastgpt.core.errors import Conflict, PermissionDenied
from pyfastgpt.core.ids import nanoid
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.round_store import ChatScope, RoundOutcome, RoundRecord, new_data_id
from pyfastgpt.services.history.service import HistoryQuery
from pyfastgpt.store.models import Chat
from pyfastgpt.store.models.chat_counts import rebuild_chat_counts
from tests.services.history.conftest import MEMBERS, ROOT, TEAM, Services

M1, M2 = MEMBERS
SHARE = "share-link-1"


@dataclass(frozen=True)
class Owner:
    scope: ChatScope
    ctx: AuthContext


def _owners() -> list[Owner]:
    def member(tmb: str, source: str, uid: str | None) -> Owner:
        scope = ChatScope(TEAM, tmb, "", source=source, out_link_uid=uid, member_only=True)
        return Owner(scope, AuthContext(team_id=TEAM, tmb_id=tmb, auth_type="apikey"))

    def visitor(uid: str) -> Owner:
        scope = ChatScope(TEAM, M2, "", source="share", share_id=SHARE, out_link_uid=uid)
        ctx = AuthContext(team_id=TEAM, tmb_id=M2, auth_type="outLink", share_id=SHARE, out_link_uid=uid)
        return Owner(scope, ctx)

    return [
        Owner(ChatScope(TEAM, ROOT.tmb_id, "", source="api"), ROOT),
        member(M1, "api", None),
        member(M1, "api", "u1"),
        member(M1, "online", "u1"),
        member(M1, "api", "u2"),
        member(M1, "api", ""),  # an empty customUid is no end user
        member(M2, "api", None),
        member(M2, "api", "v1"),  # a key holder's end user named like a visitor of the member's link
        visitor("v1"),
        visitor("v2"),
    ]


OWNERS = _owners()
POOL = 3  # chat ids shared by the owners: reused, refused to others, deleted and revived


def _record(app_id: str, owner: Owner, chat_id: str, *, fresh: bool = False) -> RoundRecord:
    scope = ChatScope(**{**{f: getattr(owner.scope, f) for f in owner.scope.__slots__}, "app_id": app_id})
    return RoundRecord(
        chat_id=chat_id,
        scope=scope,
        app_version_id=None,
        human_value=[{"type": "text", "text": {"content": "q"}}],
        human_data_id=new_data_id(),
        ai_data_id=new_data_id(),
        title="q",
        metadata={},
        variables={},
        fresh=fresh,
    )


DONE = RoundOutcome(ai_value=[{"type": "text", "text": {"content": "a"}}], variables={})


async def _apply(services: Services, app_id: str, op: tuple[Any, ...], ids: list[str]) -> None:
    kind = op[0]
    try:
        if kind == "round":
            _, who, which, finish = op
            record = _record(app_id, OWNERS[who], ids[which])
            await services.store.begin(record)
            if finish:
                await services.store.finish(record, DONE)
        elif kind == "fresh":
            chat_id = f"fresh-{nanoid(10)}"
            ids.append(chat_id)
            await services.store.finish(_record(app_id, OWNERS[op[1]], chat_id, fresh=True), DONE)
        elif kind == "delete":
            await services.history.delete_history(OWNERS[op[1]].ctx, app_id, ids[op[2] % len(ids)])
        elif kind == "clear":
            await services.history.clear_histories(OWNERS[op[1]].ctx, app_id)
        elif kind == "batch":
            chosen = [ids[i % len(ids)] for i in op[1]] or [ids[0]]
            await services.history.batch_delete(ROOT, app_id, chosen)
    except (PermissionDenied, Conflict):
        pass  # someone else's chat, or a round still generating: refused, nothing changes


OPS = st.one_of(
    st.tuples(st.just("round"), st.integers(0, len(OWNERS) - 1), st.integers(0, POOL - 1), st.booleans()),
    st.tuples(st.just("fresh"), st.integers(0, len(OWNERS) - 1)),
    st.tuples(st.just("delete"), st.integers(0, len(OWNERS) - 1), st.integers(0, POOL)),
    st.tuples(st.just("clear"), st.integers(0, len(OWNERS) - 1)),
    st.tuples(st.just("batch"), st.lists(st.integers(0, POOL), max_size=5)),
)


def _counters(services: Services, app_id: str) -> dict[tuple[str, ...], int]:
    rows = services.run(
        services.db.run_read(
            lambda conn: conn.execute(
                text("SELECT team_id, tmb_id, out_link_uid, source, chats FROM chat_counts WHERE app_id = :a"),
                {"a": app_id},
            ).all()
        )
    )
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


def _expected(services: Services, app_id: str) -> dict[tuple[str, ...], int]:
    """The counters from the live chats themselves: any / per source / per end user / both."""
    live = services.run(
        services.db.run_read(
            lambda conn: conn.execute(
                select(Chat.team_id, Chat.tmb_id, Chat.out_link_uid, Chat.source).where(
                    Chat.app_id == app_id, Chat.delete_time.is_(None)
                )
            ).all()
        )
    )
    counts: Counter[tuple[str, ...]] = Counter()
    for team, tmb, uid, source in live:
        for u, s in itertools.product({"", uid or ""}, {"", source or ""}):
            counts[(team, tmb, u, s)] += 1
    return dict(counts)


def _real_total(services: Services, app_id: str, ctx: AuthContext, uid: str | None, source: str | None) -> int:
    where = [Chat.app_id == app_id, Chat.team_id == ctx.team_id, Chat.tmb_id == ctx.tmb_id, Chat.delete_time.is_(None)]
    if uid:
        where.append(Chat.out_link_uid == uid)
    if source:
        where.append(Chat.source == source)
    return int(
        services.run(
            services.db.run_read(
                lambda conn: conn.execute(select(func.count()).select_from(Chat).where(*where)).scalar()
            )
        )
    )


def _check_lists(services: Services, app_id: str) -> None:
    """Every list an owner can ask for (member × customUid × source) totals the real count; a time range
    (the counted path) agrees; a share-link visitor sees their own chats."""
    members = [ROOT, OWNERS[1].ctx, OWNERS[6].ctx]
    for ctx, uid, source in itertools.product(
        members, [None, "u1", "u2", "v1", "v2"], [None, "api", "online", "share"]
    ):
        query = HistoryQuery(app_id=app_id, page_size=100, source=source, out_link_uid=uid)
        page, total = services.run(services.history.list_histories(ctx, query))
        assert total == _real_total(services, app_id, ctx, uid, source) == len(page), (ctx.tmb_id, uid, source)
        query.start_create_time = datetime(2000, 1, 1, tzinfo=UTC)
        assert services.run(services.history.list_histories(ctx, query))[1] == total
    for owner in OWNERS[-2:]:
        page, total = services.run(services.history.list_histories(owner.ctx, HistoryQuery(app_id=app_id)))
        mine = _real_total(services, app_id, owner.ctx, owner.ctx.out_link_uid, "share")
        assert total == len(page) == mine


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_maintained_counts_equal_the_real_counts(services: Services, ops: list[tuple[Any, ...]]) -> None:
    app_id = services.new_app()
    ids = [f"pool-{i}-{nanoid(6)}" for i in range(POOL)]
    for op in ops:
        services.run(_apply(services, app_id, op, ids))
        assert _counters(services, app_id) == _expected(services, app_id), op
    _check_lists(services, app_id)
    # the migration's backfill rebuilds the same counters
    maintained = _counters(services, app_id)
    services.run(services.db.run_write(lambda conn: rebuild_chat_counts(conn, app_id)))
    assert _counters(services, app_id) == maintained


def test_concurrent_writes_keep_the_counts_exact(services: Services) -> None:
    """Rounds, deletes, clears and batch deletes of the same chat ids at once (PostgreSQL runs them in
    parallel transactions): no chat is counted twice or taken off twice."""
    app_id = services.new_app()
    ids = [f"busy-{i}-{nanoid(6)}" for i in range(4)]
    ops: list[tuple[Any, ...]] = []
    for n in range(60):
        ops.append(
            [
                ("round", n % len(OWNERS), n % 4, True),
                ("delete", n % len(OWNERS), n % 4),
                ("batch", [n % 4, (n + 1) % 4]),
                ("round", (n * 3) % len(OWNERS), (n + 2) % 4, n % 2 == 0),
                ("clear", (n * 7) % len(OWNERS)),
                ("fresh", n % len(OWNERS)),
            ][n % 6]
        )

    async def storm() -> None:
        for start in range(0, len(ops), 12):
            await asyncio.gather(*(_apply(services, app_id, op, ids) for op in ops[start : start + 12]))

    services.run(storm())
    assert _counters(services, app_id) == _expected(services, app_id)
    _check_lists(services, app_id)


def test_every_write_path_moves_the_counts(services: Services) -> None:
    """Scripted: a new chat, a fresh server-named chat, a reused id revived by another owner kind, a delete,
    a clear and a batch delete each leave the maintained counts equal to the live chats."""
    app_id = services.new_app()
    ids = [f"path-{i}-{nanoid(6)}" for i in range(3)]
    m1_u1, visitor = OWNERS.index(next(o for o in OWNERS if o.scope.out_link_uid == "u1")), len(OWNERS) - 1
    script: list[tuple[Any, ...]] = [
        ("round", m1_u1, 0, True),  # insert
        ("fresh", visitor),  # server-named chat, written with the round's final transaction
        ("round", 0, 1, True),
        ("delete", 0, 1),  # root deletes its chat
        ("round", visitor, 1, True),  # the id used again by a share-link visitor: revived under them
        ("round", m1_u1, 0, True),  # a second round of a live chat: no change
        ("batch", [0, 1]),
        ("round", m1_u1, 0, True),  # revived again
        ("round", 1, 2, True),
        ("clear", 1),  # member 1's API chats
    ]
    for op in script:
        services.run(_apply(services, app_id, op, ids))
        assert _counters(services, app_id) == _expected(services, app_id), op
    _check_lists(services, app_id)
    assert _counters(services, app_id) == {
        (TEAM, M2, "", ""): 1,  # the fresh chat of the visitor v2
        (TEAM, M2, "", "share"): 1,
        (TEAM, M2, "v2", ""): 1,
        (TEAM, M2, "v2", "share"): 1,
    }
