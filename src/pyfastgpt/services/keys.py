"""API keys (FastGPT `/api/support/openapi/*`): stored hashed, shown in full only at creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.errors import InvalidRequest, LimitExceeded, NotFound, PermissionDenied
from pyfastgpt.core.secrets import generate_key, hash_key, mask_key
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext, key_cache_for, require_team_manager
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey


@dataclass(slots=True)
class KeyLimit:
    expired_time: datetime | None = None
    max_usage_points: float = -1.0


class KeyService:
    def __init__(
        self, db: Database, apps: AppService, *, prefix: str, max_count: int, cache: TtlCache[str, ApiKey] | None = None
    ) -> None:
        self.db = db
        self.apps = apps
        self.prefix = prefix
        self.max_count = max_count
        self.cache: TtlCache[str, ApiKey] = cache if cache is not None else key_cache_for(db)

    async def create(self, ctx: AuthContext, *, name: str, app_id: str | None, limit: KeyLimit) -> str:
        require_team_manager(ctx)
        if app_id:
            await self.apps.get(ctx, app_id, write=True)
        return await self.issue(team_id=ctx.team_id, tmb_id=ctx.tmb_id, app_id=app_id, name=name, limit=limit)

    async def issue(self, *, team_id: str, tmb_id: str, app_id: str | None, name: str, limit: KeyLimit) -> str:
        """A new key of one team member (the caller checked the rights), within the per-member limit."""
        async with self.db.read() as session:
            count = (
                await session.execute(
                    select(func.count())
                    .select_from(ApiKey)
                    .where(
                        ApiKey.team_id == team_id,
                        ApiKey.tmb_id == tmb_id,
                        ApiKey.app_id == app_id if app_id else ApiKey.app_id.is_(None),
                    )
                )
            ).scalar_one()
        if count >= self.max_count:
            raise LimitExceeded(f"At most {self.max_count} API keys per member and app", key="openapiExceedLimit")
        plain = generate_key(self.prefix)
        key = ApiKey(
            team_id=team_id,
            tmb_id=tmb_id,
            app_id=app_id or None,
            name=name or "Api Key",
            key_hash=hash_key(plain),
            key_masked=mask_key(plain),
            expired_time=limit.expired_time,
            max_usage_points=limit.max_usage_points,
        )
        await self.db.run_write_session(lambda session: session.add(key))
        return plain

    def forget(self, key_hashes: list[str]) -> None:
        """Drop revoked keys from this process's key cache at once (other PostgreSQL replicas hear the change)."""
        for key_hash in key_hashes:
            self.cache.pop(key_hash)

    async def create_for_bootstrap(self, *, team_id: str, tmb_id: str, app_id: str | None, name: str) -> str:
        plain = generate_key(self.prefix)
        key = ApiKey(
            team_id=team_id,
            tmb_id=tmb_id,
            app_id=app_id,
            name=name,
            key_hash=hash_key(plain),
            key_masked=mask_key(plain),
        )
        await self.db.run_write_session(lambda session: session.add(key))
        return plain

    async def list_keys(self, ctx: AuthContext, *, app_id: str | None) -> list[ApiKey]:
        require_team_manager(ctx)
        if app_id:
            await self.apps.get(ctx, app_id)
        query = select(ApiKey).where(ApiKey.team_id == ctx.team_id)
        query = query.where(ApiKey.app_id == app_id) if app_id else query.where(ApiKey.app_id.is_(None))
        async with self.db.read() as session:
            return list((await session.execute(query.order_by(ApiKey.create_time.desc()))).scalars())

    async def _own(self, ctx: AuthContext, key_id: str) -> ApiKey:
        require_team_manager(ctx)
        async with self.db.read() as session:
            key = await session.get(ApiKey, key_id)
        if key is None:
            raise NotFound(key="openapiUnExist")
        if key.team_id != ctx.team_id:
            raise PermissionDenied(key="openapiUnAuth")
        return key

    async def update(self, ctx: AuthContext, key_id: str, *, name: str | None, limit: KeyLimit | None) -> None:
        key = await self._own(ctx, key_id)
        values: dict[str, object] = {}
        if name is not None:
            if not name.strip():
                raise InvalidRequest("name cannot be empty")
            values["name"] = name
        if limit is not None:
            values["expired_time"] = limit.expired_time
            values["max_usage_points"] = limit.max_usage_points
        if values:
            await self.db.run_write_session(
                lambda session: session.execute(update(ApiKey).where(ApiKey.id == key.id).values(**values))
            )
            self.cache.pop(key.key_hash)

    async def delete(self, ctx: AuthContext, key_id: str) -> None:
        key = await self._own(ctx, key_id)
        await self.db.run_write_session(lambda session: session.execute(delete(ApiKey).where(ApiKey.id == key.id)))
        self.cache.pop(key.key_hash)

    async def add_usage(self, key_id: str, points: float) -> None:
        if points <= 0:
            return
        increment = update(ApiKey).where(ApiKey.id == key_id).values(usage_points=ApiKey.usage_points + points)
        await self.db.run_write_session(lambda session: session.execute(increment))
