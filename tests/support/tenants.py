"""Teams, owners and API keys written straight to the database (another tenant, a bench's owner)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pyfastgpt.core.secrets import generate_key, hash_key, mask_key
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, Team, TeamMember


@dataclass(frozen=True)
class TeamKey:
    ctx: AuthContext  # the owner's root context
    key: str  # a plain team API key of the owner


def add_team(session: Session, name: str, *, owner: str = "owner") -> AuthContext:
    """A team with its owner; the owner's root context."""
    team = Team(name=name)
    session.add(team)
    session.flush()
    member = TeamMember(team_id=team.id, name=owner, role="owner")
    session.add(member)
    session.flush()
    return AuthContext(team_id=team.id, tmb_id=member.id, auth_type="root")


def add_team_with_key(session: Session, name: str, *, owner: str, key_name: str) -> TeamKey:
    ctx = add_team(session, name, owner=owner)
    plain = generate_key()
    session.add(
        ApiKey(
            team_id=ctx.team_id, tmb_id=ctx.tmb_id, name=key_name, key_hash=hash_key(plain), key_masked=mask_key(plain)
        )
    )
    return TeamKey(ctx=ctx, key=plain)


def insert_team_with_key(database_url: str, name: str, *, owner: str, key_name: str) -> TeamKey:
    """`add_team_with_key` in its own write, from synchronous test code."""

    async def insert() -> TeamKey:
        db = Database(database_url)
        try:
            return await db.run_write_session(lambda s: add_team_with_key(s, name, owner=owner, key_name=key_name))
        finally:
            await db.dispose()

    return asyncio.run(insert())
