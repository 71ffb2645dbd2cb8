"""A migrated SQLite and PostgreSQL database with the real chat store and history service on it."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pyfastgpt.ai.registry import Registry
from pyfastgpt.services.apps import AppDraft, AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.round_store import ChatStore
from pyfastgpt.services.history.service import HistoryService
from pyfastgpt.store.db import Database
from pyfastgpt.store.migrate import upgrade
from pyfastgpt.store.models import Team, TeamMember
from tests.support.pg import ThrowawayPostgres

TEAM = "team000000000000000000aa"
MEMBERS = ("tmbmember100000000000000", "tmbmember200000000000000")
ROOT = AuthContext(team_id=TEAM, tmb_id="tmbroot00000000000000000", auth_type="root")


class Services:
    """The services on one migrated database, driven from their own event loop (tests are synchronous)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(upgrade(url))
        self.db = Database(url)
        self.apps = AppService(self.db)
        self.store = ChatStore(self.db)
        self.history = HistoryService(self.db, self.apps, Registry())
        self.run(self._team())

    async def _team(self) -> None:
        def add(session: Session) -> None:
            session.add(Team(id=TEAM, name="counted"))
            session.flush()
            for tmb in (ROOT.tmb_id, *MEMBERS):
                session.add(
                    TeamMember(id=tmb, team_id=TEAM, name=tmb, role="owner" if tmb == ROOT.tmb_id else "member")
                )

        await self.db.run_write_session(add)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def new_app(self) -> str:
        return str(self.run(self.apps.create(ROOT, AppDraft(name="counted"))))

    def close(self) -> None:
        self.run(self.db.dispose())
        self.loop.close()


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def services(request: pytest.FixtureRequest) -> Iterator[Services]:
    if request.param == "pg":
        cluster: ThrowawayPostgres = request.getfixturevalue("pg")
        url = cluster.new_database()
    else:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='history-')) / 'h.db'}"
    engine = Services(url)
    yield engine
    engine.close()
