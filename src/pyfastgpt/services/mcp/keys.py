"""MCP keys (FastGPT `/api/support/mcp/*`): a team's MCP servers, each a key naming the apps it serves.

As in FastGPT, only team managers create keys (root or a team-wide API key; `hasApikeyCreatePer`),
a key is changed or deleted only by the member who created it, at most 100 keys exist per team,
the apps of a key are deduplicated by `appId` and each must be readable by the caller. The key
itself is a random 24-character string kept in clear (it is part of the endpoint URL, and the list
shows it). pyfastgpt adds `datasets`: knowledge bases served as search tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.orm import Session

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.errors import InvalidRequest, LimitExceeded, NotFound, PermissionDenied
from pyfastgpt.core.ids import nanoid
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext, require_team_manager
from pyfastgpt.services.dataset.access import dataset_row
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import McpKey

MAX_KEYS_PER_TEAM = 100
KEY_CACHE_TTL_S = 5.0  # a key changed on another replica is seen within this time
SEARCH_MODES = ("embedding", "fullTextRecall", "mixedRecall")


@dataclass(frozen=True, slots=True)
class McpApp:
    app_id: str
    tool_name: str
    description: str
    app_name: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {
            "appId": self.app_id,
            "appName": self.app_name,
            "toolName": self.tool_name,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class McpDataset:
    """A dataset served as a search tool, with the search settings of FastGPT's dataset node."""

    dataset_id: str
    tool_name: str
    description: str
    dataset_name: str = ""
    search_mode: str = "embedding"
    limit: int = 5000
    similarity: float = 0.0
    using_rerank: bool = False

    def to_wire(self) -> dict[str, Any]:
        return {
            "datasetId": self.dataset_id,
            "datasetName": self.dataset_name,
            "toolName": self.tool_name,
            "description": self.description,
            "searchMode": self.search_mode,
            "limit": self.limit,
            "similarity": self.similarity,
            "usingReRank": self.using_rerank,
        }


@dataclass(frozen=True, slots=True)
class McpKeyDoc:
    id: str
    key: str
    team_id: str
    tmb_id: str
    name: str
    apps: tuple[McpApp, ...]
    datasets: tuple[McpDataset, ...]

    def to_wire(self) -> dict[str, Any]:
        return {
            "_id": self.id,
            "key": self.key,
            "teamId": self.team_id,
            "tmbId": self.tmb_id,
            "name": self.name,
            "apps": [a.to_wire() for a in self.apps],
            "datasets": [d.to_wire() for d in self.datasets],
        }


def _doc(row: McpKey) -> McpKeyDoc:
    apps = tuple(
        McpApp(
            app_id=str(a.get("appId", "")),
            tool_name=str(a.get("toolName", "")),
            description=str(a.get("description", "")),
            app_name=str(a.get("appName") or ""),
        )
        for a in row.apps or []
        if isinstance(a, dict)
    )
    datasets = tuple(
        McpDataset(
            dataset_id=str(d.get("datasetId", "")),
            tool_name=str(d.get("toolName", "")),
            description=str(d.get("description", "")),
            dataset_name=str(d.get("datasetName") or ""),
            search_mode=str(d.get("searchMode") or "embedding"),
            limit=int(d.get("limit") or 5000),
            similarity=float(d.get("similarity") or 0.0),
            using_rerank=bool(d.get("usingReRank")),
        )
        for d in row.datasets or []
        if isinstance(d, dict)
    )
    return McpKeyDoc(row.id, row.key, row.team_id, row.tmb_id, row.name, apps, datasets)


def _unique_apps(apps: list[McpApp]) -> list[McpApp]:
    """FastGPT keeps the first entry of each `appId`."""
    seen: set[str] = set()
    kept = []
    for app in apps:
        if app.app_id not in seen:
            seen.add(app.app_id)
            kept.append(app)
    return kept


def _unique_datasets(datasets: list[McpDataset]) -> list[McpDataset]:
    seen: set[str] = set()
    kept = []
    for item in datasets:
        if item.dataset_id not in seen:
            seen.add(item.dataset_id)
            kept.append(item)
    return kept


class McpKeyService:
    def __init__(self, db: Database, apps: AppService) -> None:
        self.db = db
        self.apps = apps
        self.cache: TtlCache[str, McpKeyDoc] = TtlCache(KEY_CACHE_TTL_S)

    async def by_key(self, key: str) -> McpKeyDoc | None:
        """The key document an MCP endpoint URL names (cached for a few seconds)."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        async with self.db.read() as session:
            row = (await session.execute(select(McpKey).where(McpKey.key == key))).scalar_one_or_none()
        if row is None:
            return None
        doc = _doc(row)
        self.cache.put(key, doc)
        return doc

    async def list_keys(self, ctx: AuthContext) -> list[McpKeyDoc]:
        require_team_manager(ctx)
        async with self.db.read() as session:
            rows = (
                await session.execute(
                    select(McpKey)
                    .where(McpKey.team_id == ctx.team_id)
                    .order_by(McpKey.create_time.desc(), McpKey.id.desc())
                )
            ).scalars()
            return [_doc(row) for row in rows]

    async def create(self, ctx: AuthContext, *, name: str, apps: list[McpApp], datasets: list[McpDataset]) -> str:
        require_team_manager(ctx)
        if not apps and not datasets:
            raise InvalidRequest("apps is empty", key="missingParams")
        async with self.db.read() as session:
            count = (
                await session.execute(select(func.count()).select_from(McpKey).where(McpKey.team_id == ctx.team_id))
            ).scalar_one()
        if count >= MAX_KEYS_PER_TEAM:
            raise LimitExceeded(f"At most {MAX_KEYS_PER_TEAM} MCP services per team", key="openapiExceedLimit")
        apps_json, datasets_json = await self._checked(ctx, apps, datasets)
        row = McpKey(
            key=nanoid(24),
            team_id=ctx.team_id,
            tmb_id=ctx.tmb_id,
            name=name,
            apps=apps_json,
            datasets=datasets_json,
        )

        def unit(session: Session) -> str:
            session.add(row)
            session.flush()
            return row.id

        return await self.db.run_write_session(unit)

    async def update(
        self,
        ctx: AuthContext,
        mcp_id: str,
        *,
        name: str | None,
        apps: list[McpApp] | None,
        datasets: list[McpDataset] | None,
    ) -> None:
        row = await self._owned(ctx, mcp_id)
        values: dict[str, Any] = {}
        if name:
            values["name"] = name
        if apps is not None or datasets is not None:
            current = _doc(row)
            apps_json, datasets_json = await self._checked(
                ctx,
                list(current.apps) if apps is None else apps,
                list(current.datasets) if datasets is None else datasets,
            )
            values.update(apps=apps_json, datasets=datasets_json)
        if values:
            await self.db.run_write_session(
                lambda session: session.execute(update(McpKey).where(McpKey.id == mcp_id).values(**values))
            )
        self.cache.pop(row.key)

    async def delete(self, ctx: AuthContext, mcp_id: str) -> None:
        row = await self._owned(ctx, mcp_id)
        await self.db.run_write_session(lambda session: session.execute(delete(McpKey).where(McpKey.id == mcp_id)))
        self.cache.pop(row.key)

    async def _owned(self, ctx: AuthContext, mcp_id: str) -> McpKey:
        """`authMcp`: the key exists, is of the caller's team, and was created by the caller."""
        require_team_manager(ctx)
        async with self.db.read() as session:
            row = await session.get(McpKey, mcp_id)
        if row is None:
            raise NotFound("MCP service does not exist", key="invalidResource")
        if row.team_id != ctx.team_id or (row.tmb_id != ctx.tmb_id and not ctx.is_root):
            raise PermissionDenied("Unauthorized to operate this MCP service", key="unAuthorization")
        return row

    async def _checked(
        self, ctx: AuthContext, apps: list[McpApp], datasets: list[McpDataset]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Deduplicate, check read access to every app and dataset, fill missing names."""
        apps = _unique_apps(apps)
        datasets = _unique_datasets(datasets)
        names = [a.tool_name for a in apps] + [d.tool_name for d in datasets]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise InvalidRequest(f"Duplicate toolName: {', '.join(duplicated)}", key="invalidParams")
        checked_apps = []
        for item in apps:
            app = await self.apps.get(ctx, item.app_id)
            checked_apps.append({**item.to_wire(), "appName": item.app_name or app.name})
        checked_datasets = []
        for entry in datasets:
            if entry.search_mode not in SEARCH_MODES:
                raise InvalidRequest(f"searchMode must be one of {', '.join(SEARCH_MODES)}", key="invalidParams")
            dataset_id = entry.dataset_id

            def read(conn: Connection, dataset_id: str = dataset_id) -> Any:
                return dataset_row(conn, ctx, dataset_id)

            dataset = await self.db.run_read(read)
            checked_datasets.append({**entry.to_wire(), "datasetName": entry.dataset_name or dataset.name})
        return checked_apps, checked_datasets
