"""Credentials → who is calling, and what they may touch.

Callers: the root key (administration, acts as the owner of the default team), team API keys
(`app_id` NULL: the whole team) and app-bound keys (one app). Keys are stored as SHA-256 hashes.
A key may carry an app id suffix (`Bearer <key>-<24 hex appId>`, FastGPT 4.16), which selects
the app for chat without changing what the key may reach.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Table, bindparam, select, update

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import ApiKeyInvalid, AuthError, LimitExceeded, PermissionDenied
from pyfastgpt.core.secrets import hash_key, same_secret
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, App, SystemSetting

AuthType = Literal["root", "apikey", "outLink"]
_APP_SUFFIX = re.compile(r"^(.+)-([a-fA-F0-9]{24})$")
_LAST_USED_EVERY_S = 60.0
KEY_CACHE_TTL_S = 5.0  # SQLite: another worker process of the same file sees a change within this time
API_KEYS: Table = ApiKey.__table__  # type: ignore[assignment]
_KEY_FIELDS = ("id", "team_id", "tmb_id", "app_id", "name", "expired_time", "usage_points", "max_usage_points")
FIND_KEY = select(*(API_KEYS.c[name] for name in _KEY_FIELDS)).where(API_KEYS.c.key_hash == bindparam("b_hash"))


def key_cache_for(db: Database) -> TtlCache[str, ApiKey]:
    """The API-key cache: `KEY_CACHE_TTL_S` on SQLite; on PostgreSQL, where replicas share keys, off until
    `services/change_feed.py` is listening."""
    return TtlCache(KEY_CACHE_TTL_S if db.is_sqlite else 0.0)


@dataclass(frozen=True, slots=True)
class AuthContext:
    team_id: str
    tmb_id: str
    auth_type: AuthType
    key_id: str | None = None
    key_name: str = ""
    key_app_id: str | None = None  # the app an app-bound key is limited to
    suffix_app_id: str | None = None  # `Bearer <key>-<appId>` suffix
    share_id: str | None = None  # share-link visitors: the link …
    out_link_uid: str | None = None  # … and the visitor's uid (their chats are scoped by both)

    @property
    def is_root(self) -> bool:
        return self.auth_type == "root"

    @property
    def is_team_wide(self) -> bool:
        return self.auth_type == "root" or (self.auth_type == "apikey" and self.key_app_id is None)


@dataclass(slots=True)
class RootIdentity:
    key: str  # the plain root key (from ROOT_KEY) or "" when only its hash is stored
    key_hash: str
    team_id: str
    tmb_id: str


class Authenticator:
    """Resolves a bearer token to an `AuthContext`.

    Keys are cached in-process, except keys with a usage limit, read on every request so the limit holds
    exactly whichever replica counts the usage. On SQLite (one process) for `KEY_CACHE_TTL_S`; `KeyService`
    drops a changed key. On PostgreSQL (several replicas) only while `services/change_feed.py` hears
    every change: a key deleted, renamed or limited on one replica is dropped by the others when the commit's
    notification arrives (milliseconds), and with the listener down every request reads its key's row.
    """

    def __init__(self, db: Database, root: RootIdentity, key_cache: TtlCache[str, ApiKey] | None = None) -> None:
        self.db = db
        self.root = root
        self.key_cache: TtlCache[str, ApiKey] = key_cache if key_cache is not None else key_cache_for(db)
        self._last_used_written: dict[str, float] = {}

    async def authenticate(self, token: str | None) -> AuthContext:
        if not token:
            raise AuthError("Missing credential: send `Authorization: Bearer <key>` or a `rootkey` header")
        token = token.strip()
        if self._is_root(token):
            return AuthContext(team_id=self.root.team_id, tmb_id=self.root.tmb_id, auth_type="root")
        key = await self._find_key(hash_key(token))
        suffix_app_id: str | None = None
        if key is None:
            match = _APP_SUFFIX.match(token)
            if match:
                key = await self._find_key(hash_key(match.group(1)))
                suffix_app_id = match.group(2).lower()
        if key is None:
            raise ApiKeyInvalid("Invalid API key")
        now = utcnow()
        if key.expired_time is not None and key.expired_time <= now:
            raise ApiKeyInvalid("API key has expired")
        if key.max_usage_points >= 0 and key.usage_points >= key.max_usage_points:
            raise LimitExceeded("API key usage limit reached (maxUsagePoints)")
        await self._touch(key.id)
        return AuthContext(
            team_id=key.team_id,
            tmb_id=key.tmb_id,
            auth_type="apikey",
            key_id=key.id,
            key_name=key.name,
            key_app_id=key.app_id,
            suffix_app_id=suffix_app_id,
        )

    def _is_root(self, token: str) -> bool:
        if self.root.key:
            return same_secret(token, self.root.key)
        return same_secret(hash_key(token), self.root.key_hash)

    async def _find_key(self, key_hash: str) -> ApiKey | None:
        cached = self.key_cache.get(key_hash)
        if cached is not None:
            return cached
        generation = self.key_cache.generation  # a change heard while reading must win over what was read

        def read(conn: Connection) -> tuple[object, ...] | None:
            row = conn.execute(FIND_KEY, {"b_hash": key_hash}).first()
            return None if row is None else tuple(row)

        row = await self.db.run_read(read, autocommit=True, short=True)  # one statement
        if row is None:
            return None
        key = ApiKey(key_hash=key_hash, **dict(zip(_KEY_FIELDS, row, strict=True)))
        if key.max_usage_points < 0:
            self.key_cache.put(key_hash, key, since=generation)
        return key

    async def _touch(self, key_id: str) -> None:
        """Keep `lastUsedTime` fresh without a write on every request."""
        now = time.monotonic()
        if now - self._last_used_written.get(key_id, -1e9) < _LAST_USED_EVERY_S:
            return
        self._last_used_written[key_id] = now
        await self.db.run_write_session(
            lambda session: session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_time=utcnow()))
        )


def require_team_manager(ctx: AuthContext) -> None:
    """Root or a team-wide key; app-bound keys may not manage the team."""
    if not ctx.is_team_wide:
        raise PermissionDenied("This API key is bound to one app and cannot manage the team")


def check_app_access(ctx: AuthContext, app: App, *, write: bool) -> None:
    if app.team_id != ctx.team_id:
        raise PermissionDenied(key="unAuthApp")
    if ctx.key_app_id is not None:
        if ctx.key_app_id != app.id:
            raise PermissionDenied("This API key is bound to another app", key="unAuthApp")
        if write:
            raise PermissionDenied("An app-bound API key can read its app but not change it", key="unAuthApp")


async def load_root_hash(db: Database) -> str | None:
    async with db.read() as session:
        row = await session.get(SystemSetting, "root_key")
        return None if row is None else str(row.value.get("hash", ""))
