"""First-start initialisation: default team and owner, root key, demo app and its key."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pyfastgpt.core.config import Settings
from pyfastgpt.core.secrets import generate_key, hash_key
from pyfastgpt.services.apps import AppDraft, AppService
from pyfastgpt.services.auth import AuthContext, RootIdentity
from pyfastgpt.services.demo_app import demo_workflow
from pyfastgpt.services.keys import KeyService
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import SystemSetting, Team, TeamMember

CREDENTIALS_FILE = "credentials.json"
FIRST_START_LOCK = 0x70796668  # pg_advisory_lock key: replicas starting together initialise one at a time


@dataclass(slots=True)
class Bootstrap:
    root: RootIdentity
    root_key: str | None  # plain root key when known (env or credentials file)
    demo_app_id: str | None
    demo_app_key: str | None


def _credentials_path(settings: Settings) -> Path:
    return settings.data_dir / CREDENTIALS_FILE


def _read_credentials(settings: Settings) -> dict[str, str]:
    path = _credentials_path(settings)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_credentials(settings: Settings, values: dict[str, str]) -> None:
    path = _credentials_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**_read_credentials(settings), **values}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(merged, indent=2), "utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _setting_in(session: Session, key: str) -> dict[str, str] | None:
    row = session.get(SystemSetting, key)
    return None if row is None else {k: str(v) for k, v in row.value.items()}


async def _setting(db: Database, key: str) -> dict[str, str] | None:
    return await db.run_read_session(lambda session: _setting_in(session, key))


def _create_team(session: Session) -> tuple[str, str]:
    existing = _setting_in(session, "default_team")  # another process may have won
    if existing is not None:
        return existing["team_id"], existing["tmb_id"]
    team = Team(name="Default Team")
    session.add(team)
    session.flush()
    member = TeamMember(team_id=team.id, name="root", role="owner")
    session.add(member)
    session.flush()
    session.add(SystemSetting(key="default_team", value={"team_id": team.id, "tmb_id": member.id}))
    return team.id, member.id


async def _ensure_team(db: Database) -> tuple[str, str]:
    found = await _setting(db, "default_team")
    if found:
        return found["team_id"], found["tmb_id"]
    return await db.run_write_session(_create_team)


async def _ensure_root(db: Database, settings: Settings) -> tuple[str, str | None]:
    """Returns (hash, plain key if known)."""
    if settings.root_key:
        key_hash = hash_key(settings.root_key)
        await db.run_write_session(
            lambda session: session.merge(SystemSetting(key="root_key", value={"hash": key_hash}))
        )
        return key_hash, settings.root_key
    stored = await _setting(db, "root_key")
    if stored:
        plain = _read_credentials(settings).get("rootKey")
        return stored["hash"], plain if plain and hash_key(plain) == stored["hash"] else None
    plain = generate_key("root")
    await db.run_write_session(
        lambda session: session.add(SystemSetting(key="root_key", value={"hash": hash_key(plain)}))
    )
    if settings.is_sqlite or settings.data_dir.exists():
        _write_credentials(settings, {"rootKey": plain})
    return hash_key(plain), plain


async def _ensure_demo(
    db: Database, settings: Settings, apps: AppService, keys: KeyService, ctx: AuthContext, model: str
) -> tuple[str | None, str | None]:
    stored = await _setting(db, "demo_app")
    if stored:
        plain = _read_credentials(settings).get("appKey")
        return stored["app_id"], plain
    if not settings.create_demo_app:
        return None, None
    graph = demo_workflow(model)
    app_id = await apps.create(
        ctx,
        AppDraft(
            name="Demo Chat",
            type="simple",
            intro="A chat app created on first start.",
            nodes=graph["nodes"],
            edges=graph["edges"],
            chat_config=graph["chatConfig"],
        ),
    )
    app_key = await keys.create_for_bootstrap(team_id=ctx.team_id, tmb_id=ctx.tmb_id, app_id=app_id, name="Demo key")
    await db.run_write_session(lambda session: session.add(SystemSetting(key="demo_app", value={"app_id": app_id})))
    _write_credentials(settings, {"appId": app_id, "appKey": app_key})
    return app_id, app_key


@asynccontextmanager
async def _one_at_a_time(db: Database) -> AsyncIterator[None]:
    """On PostgreSQL, replicas that start together on a fresh database would both create the team."""
    if db.is_sqlite:  # `pyfastgpt serve` initialises the file in one process before starting its workers
        yield
        return
    async with db.write_engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": FIRST_START_LOCK})
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": FIRST_START_LOCK})


async def bootstrap(
    db: Database, settings: Settings, apps: AppService, keys: KeyService, *, demo_model: str
) -> Bootstrap:
    async with _one_at_a_time(db):
        team_id, tmb_id = await _ensure_team(db)
        key_hash, plain = await _ensure_root(db, settings)
        root = RootIdentity(key=settings.root_key, key_hash=key_hash, team_id=team_id, tmb_id=tmb_id)
        ctx = AuthContext(team_id=team_id, tmb_id=tmb_id, auth_type="root")
        demo_app_id, demo_key = await _ensure_demo(db, settings, apps, keys, ctx, demo_model)
    return Bootstrap(root=root, root_key=plain, demo_app_id=demo_app_id, demo_app_key=demo_key)


async def team_exists(db: Database, team_id: str) -> bool:
    async with db.read() as session:
        return (await session.execute(select(Team.id).where(Team.id == team_id))).scalar_one_or_none() is not None
