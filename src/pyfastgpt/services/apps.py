"""Apps, folders and versions (FastGPT §8). The stored workflow is kept verbatim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.services.auth import AuthContext, check_app_access, require_team_manager
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App, AppVersion
from pyfastgpt.workflow.validate import validate_graph

APP_TYPES = frozenset(
    {
        "folder",
        "toolFolder",
        "simple",
        "advanced",
        "plugin",
        "toolSet",
        "httpToolSet",
        "chatAgent",
        "hidden",
        "tool",
        "httpPlugin",
    }
)
FOLDER_TYPES = frozenset({"folder", "toolFolder"})
INTERACTIVE_TYPES = frozenset({"userSelect", "formInput"})


@dataclass(slots=True)
class AppDraft:
    name: str
    type: str = "advanced"
    parent_id: str | None = None
    avatar: str = ""
    intro: str = ""
    nodes: list[Any] | None = None
    edges: list[Any] | None = None
    chat_config: dict[str, Any] | None = None


@dataclass(slots=True)
class PublishedApp:
    app: App
    version_id: str | None
    nodes: list[Any]
    edges: list[Any]
    chat_config: dict[str, Any]


def has_interactive_node(nodes: list[Any]) -> bool:
    return any(isinstance(n, dict) and n.get("flowNodeType") in INTERACTIVE_TYPES for n in nodes)


def graph_values(nodes: list[Any], edges: list[Any]) -> dict[str, Any]:
    """The `apps` columns written with a workflow (the list reads `has_interactive_node`, not the nodes)."""
    return {"modules": nodes, "edges": edges, "has_interactive_node": has_interactive_node(nodes)}


@dataclass(frozen=True, slots=True)
class ListedApp:
    """What the app list shows of an app (`api.core.app.schemas.app_list_item`): never its workflow."""

    id: str
    parent_id: str | None
    tmb_id: str
    name: str
    avatar: str
    intro: str
    type: str
    update_time: datetime
    plugin_data: dict[str, Any] | None
    has_interactive_node: bool


# ListedApp's fields, in order.
LISTED_COLUMNS = (App.id, App.parent_id, App.tmb_id, App.name, App.avatar, App.intro, App.type, App.update_time,
                  App.plugin_data, App.has_interactive_node)  # fmt: skip

# An app changed on another replica is seen at once while `services/change_feed.py` listens, else within this.
APP_CACHE_TTL_S = 5.0


class AppService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._apps: TtlCache[str, App] = TtlCache(APP_CACHE_TTL_S)
        self._published: TtlCache[str, PublishedApp] = TtlCache(APP_CACHE_TTL_S)

    def forget(self, *app_ids: str) -> None:
        for app_id in app_ids:
            self._apps.pop(app_id)
            self._published.pop(app_id)

    async def get(self, ctx: AuthContext, app_id: str, *, write: bool = False) -> App:
        app = None if write else self._apps.get(app_id)
        if app is None:
            generation = self._apps.generation  # a change heard while reading must win over what was read
            async with self.db.read() as session:
                app = await session.get(App, app_id)
            if app is not None:
                self._apps.put(app_id, app, since=generation)
        if app is None or app.delete_time is not None:
            raise NotFound(key="appUnExist")
        check_app_access(ctx, app, write=write)
        return app

    async def _check_parent(self, ctx: AuthContext, parent_id: str | None) -> None:
        if not parent_id:
            return
        parent = await self.get(ctx, parent_id, write=True)
        if parent.type not in FOLDER_TYPES:
            raise InvalidRequest("parentId must be a folder", key="invalidParams")

    async def create(self, ctx: AuthContext, draft: AppDraft) -> str:
        require_team_manager(ctx)
        if draft.type not in APP_TYPES:
            raise InvalidRequest(f"Unknown app type '{draft.type}'", key="invalidAppType")
        if not draft.name.strip():
            raise InvalidRequest("name is required", key="missingParams")
        validate_graph(draft.nodes or [], draft.edges or [])
        await self._check_parent(ctx, draft.parent_id)

        def add(session: Session) -> str:
            app = App(
                team_id=ctx.team_id,
                tmb_id=ctx.tmb_id,
                parent_id=draft.parent_id or None,
                type=draft.type,
                name=draft.name.strip(),
                avatar=draft.avatar,
                intro=draft.intro,
                **graph_values(draft.nodes or [], draft.edges or []),
                chat_config=draft.chat_config or {},
            )
            session.add(app)
            session.flush()
            if draft.type not in FOLDER_TYPES:
                session.add(
                    AppVersion(
                        app_id=app.id,
                        team_id=ctx.team_id,
                        tmb_id=ctx.tmb_id,
                        nodes=app.modules,
                        edges=app.edges,
                        chat_config=app.chat_config,
                        is_publish=True,
                        version_name="Initial version",
                    )
                )
            return app.id

        return await self.db.run_write_session(add)

    async def list_apps(
        self, ctx: AuthContext, *, parent_id: str | None, types: list[str] | None, search_key: str | None
    ) -> list[ListedApp]:
        """The apps of a folder (or matching ``search_key``), newest first: only the listed columns are read (a
        workflow weighs 10–100 KB, the listed columns of an app a few hundred bytes)."""
        query = select(*LISTED_COLUMNS).where(App.team_id == ctx.team_id, App.delete_time.is_(None))
        if ctx.key_app_id is not None:
            query = query.where(App.id == ctx.key_app_id)
        elif not search_key:
            query = query.where(App.parent_id == parent_id if parent_id else App.parent_id.is_(None))
        if types:
            query = query.where(App.type.in_(types))
        if search_key:
            pattern = f"%{search_key}%"
            query = query.where(or_(App.name.ilike(pattern), App.intro.ilike(pattern)))
        query = query.order_by(App.update_time.desc()).limit(1000)
        rows = await self.db.run_read(lambda conn: conn.execute(query).all(), autocommit=True)
        return [ListedApp(*row) for row in rows]

    async def update(self, ctx: AuthContext, app_id: str, changes: dict[str, Any]) -> None:
        app = await self.get(ctx, app_id, write=True)
        values: dict[str, Any] = {}
        if "type" in changes and changes["type"] is not None:
            if changes["type"] not in APP_TYPES:
                raise InvalidRequest(f"Unknown app type '{changes['type']}'", key="invalidAppType")
            if (changes["type"] in FOLDER_TYPES) != (app.type in FOLDER_TYPES):
                raise InvalidRequest("Cannot turn an app into a folder or back", key="invalidAppType")
            values["type"] = changes["type"]
        if "parentId" in changes:
            parent_id = changes["parentId"] or None
            if parent_id == app.id:
                raise InvalidRequest("An app cannot be its own parent")
            await self._check_parent(ctx, parent_id)
            values["parent_id"] = parent_id
        for wire, column in (("name", "name"), ("avatar", "avatar"), ("intro", "intro")):
            if changes.get(wire) is not None:
                values[column] = changes[wire]
        if "name" in values and not str(values["name"]).strip():
            raise InvalidRequest("name cannot be empty", key="invalidParams")
        if changes.get("nodes") is not None or changes.get("edges") is not None:
            nodes = changes.get("nodes") if changes.get("nodes") is not None else app.modules
            edges = changes.get("edges") if changes.get("edges") is not None else app.edges
            validate_graph(nodes, edges)
            values.update(graph_values(list(nodes or []), list(edges or [])))
        if changes.get("chatConfig") is not None:
            values["chat_config"] = changes["chatConfig"]
        values["update_time"] = utcnow()
        await self.db.run_write_session(lambda s: s.execute(update(App).where(App.id == app.id).values(**values)))
        self.forget(app.id)

    async def delete(self, ctx: AuthContext, app_id: str) -> list[str]:
        """Soft-delete the app (and, for a folder, everything below it); returns deleted non-folder ids."""
        app = await self.get(ctx, app_id, write=True)
        require_team_manager(ctx)
        doomed: list[App] = [app]
        async with self.db.read() as session:
            frontier = [app.id] if app.type in FOLDER_TYPES else []
            while frontier:
                children = list(
                    (
                        await session.execute(select(App).where(App.parent_id.in_(frontier), App.delete_time.is_(None)))
                    ).scalars()
                )
                doomed.extend(children)
                frontier = [c.id for c in children if c.type in FOLDER_TYPES]
        now = utcnow()
        doomed_ids = [a.id for a in doomed]
        await self.db.run_write_session(
            lambda s: s.execute(update(App).where(App.id.in_(doomed_ids)).values(delete_time=now))
        )
        self.forget(*doomed_ids)
        return [a.id for a in doomed if a.type not in FOLDER_TYPES]

    async def copy(self, ctx: AuthContext, app_id: str) -> str:
        require_team_manager(ctx)
        app = await self.get(ctx, app_id)
        if app.type in FOLDER_TYPES:
            raise InvalidRequest("Folders cannot be copied", key="invalidAppType")
        published = await self.published(ctx, app_id)
        return await self.create(
            ctx,
            AppDraft(
                name=f"{app.name} Copy",
                type=app.type,
                parent_id=app.parent_id,
                avatar=app.avatar,
                intro=app.intro,
                nodes=published.nodes,
                edges=published.edges,
                chat_config=published.chat_config,
            ),
        )

    async def create_folder(self, ctx: AuthContext, *, name: str, parent_id: str | None, intro: str) -> str:
        return await self.create(ctx, AppDraft(name=name, type="folder", parent_id=parent_id, intro=intro))

    async def publish(
        self,
        ctx: AuthContext,
        app_id: str,
        *,
        nodes: list[Any],
        edges: list[Any],
        chat_config: dict[str, Any],
        is_publish: bool,
        version_name: str,
        auto_save: bool,
    ) -> str | None:
        app = await self.get(ctx, app_id, write=True)
        if app.type in FOLDER_TYPES:
            raise InvalidRequest("Folders have no versions", key="invalidAppType")
        validate_graph(nodes, edges)
        now = utcnow()

        def save(session: Session) -> str | None:
            session.execute(
                update(App)
                .where(App.id == app.id)
                .values(**graph_values(nodes, edges), chat_config=chat_config, update_time=now, version="v2")
            )
            if auto_save:
                return None
            version = AppVersion(
                app_id=app.id,
                team_id=app.team_id,
                tmb_id=ctx.tmb_id,
                nodes=nodes,
                edges=edges,
                chat_config=chat_config,
                is_publish=is_publish,
                version_name=version_name or now.strftime("%Y-%m-%d %H:%M:%S"),
                time=now,
            )
            session.add(version)
            session.flush()
            return version.id

        try:
            return await self.db.run_write_session(save)
        finally:
            self.forget(app.id)  # after the commit, so no reader re-caches the old version

    async def list_versions(
        self, ctx: AuthContext, app_id: str, *, offset: int, page_size: int, is_publish: bool | None
    ) -> tuple[list[AppVersion], int]:
        await self.get(ctx, app_id)
        where = [AppVersion.app_id == app_id]
        if is_publish is not None:
            where.append(AppVersion.is_publish.is_(is_publish))
        async with self.db.read() as session:
            total = (await session.execute(select(func.count()).select_from(AppVersion).where(*where))).scalar_one()
            rows = (
                await session.execute(
                    select(AppVersion)
                    .where(*where)
                    .order_by(AppVersion.time.desc(), AppVersion.id.desc())
                    .offset(offset)
                    .limit(page_size)
                )
            ).scalars()
            return list(rows), int(total)

    async def version_detail(self, ctx: AuthContext, app_id: str, version_id: str) -> AppVersion:
        await self.get(ctx, app_id)
        async with self.db.read() as session:
            version = await session.get(AppVersion, version_id)
        if version is None or version.app_id != app_id:
            raise NotFound("Version does not exist", key="invalidResource")
        return version

    async def published(self, ctx: AuthContext, app_id: str) -> PublishedApp:
        """The newest published version (else the draft), as chat uses it."""
        app = await self.get(ctx, app_id)
        return await self.published_of(app)

    async def published_of(self, app: App) -> PublishedApp:
        cached = self._published.get(app.id)
        if cached is not None and cached.app is app:
            return cached
        generation = self._published.generation
        published = await self._load_published(app)
        self._published.put(app.id, published, since=generation)
        return published

    async def _load_published(self, app: App) -> PublishedApp:
        async with self.db.read() as session:
            version = (
                await session.execute(
                    select(AppVersion)
                    .where(AppVersion.app_id == app.id, AppVersion.is_publish.is_(True))
                    .order_by(AppVersion.time.desc(), AppVersion.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
        if version is None:
            return PublishedApp(
                app=app, version_id=None, nodes=app.modules, edges=app.edges, chat_config=app.chat_config
            )
        return PublishedApp(
            app=app, version_id=version.id, nodes=version.nodes, edges=version.edges, chat_config=version.chat_config
        )


def ensure_not_folder(app: App) -> None:
    if app.type in FOLDER_TYPES:
        raise PermissionDenied("A folder cannot be used here", key="invalidAppType")
