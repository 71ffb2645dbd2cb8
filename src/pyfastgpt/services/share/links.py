"""Share-link management and visitor authentication (§2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.core.ids import nanoid
from pyfastgpt.services.apps import FOLDER_TYPES, AppService
from pyfastgpt.services.auth import AuthContext, require_team_manager
from pyfastgpt.services.share.hooks import ShareHooks, validate_uid
from pyfastgpt.services.share.limits import QpmLimiter
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ShareLink

LINK_TYPES = frozenset(
    {"share", "iframe", "apikey", "feishu", "dingtalk", "wecom", "official_account", "wechat", "playground"}
)
LINK_CACHE_TTL_S = 5.0
LINKS: Table = ShareLink.__table__  # type: ignore[assignment]


@dataclass(slots=True)
class ShareLinkFields:
    name: str | None = None
    show_cite: bool | None = None
    show_running_status: bool | None = None
    show_full_text: bool | None = None
    can_download_source: bool | None = None
    immediate_response: str | None = None
    default_response: str | None = None
    expired_time: datetime | None = None
    qpm: int | None = None
    max_usage_points: float | None = None
    hook_url: str | None = None
    app_config: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ShareVisitor:
    """An authenticated share-link visitor: the link, and the uid their chats are stored under."""

    link: ShareLink
    uid: str

    def auth_context(self) -> AuthContext:
        return AuthContext(
            team_id=self.link.team_id,
            tmb_id=self.link.tmb_id,
            auth_type="outLink",
            key_app_id=self.link.app_id,
            share_id=self.link.share_id,
            out_link_uid=self.uid,
        )


class ShareLinkService:
    def __init__(self, db: Database, apps: AppService, hooks: ShareHooks) -> None:
        self.db = db
        self.apps = apps
        self.hooks = hooks
        self.limiter = QpmLimiter(db)
        # Links are credentials: cached on SQLite (one process drops what it changes); on PostgreSQL only while
        # `services/change_feed.py` hears every change (off until then). Links with a usage limit are read
        # on every visit, so the limit holds exactly whichever replica counts the usage.
        self.cache: TtlCache[str, ShareLink] = TtlCache(LINK_CACHE_TTL_S if db.is_sqlite else 0.0)

    # --- management -------------------------------------------------------------------------------
    async def create(self, ctx: AuthContext, *, app_id: str, link_type: str, fields: ShareLinkFields) -> str:
        require_team_manager(ctx)
        app = await self.apps.get(ctx, app_id, write=True)
        if app.type in FOLDER_TYPES:
            raise InvalidRequest("A folder cannot be shared", key="invalidAppType")
        if link_type not in LINK_TYPES:
            raise InvalidRequest(f"Unknown share link type '{link_type}'")
        share_id = nanoid(24)
        link = ShareLink(
            share_id=share_id,
            team_id=ctx.team_id,
            tmb_id=ctx.tmb_id,
            app_id=app.id,
            type=link_type,
            name=(fields.name or "Share link").strip() or "Share link",
            show_cite=bool(fields.show_cite),
            show_running_status=True if fields.show_running_status is None else fields.show_running_status,
            show_full_text=bool(fields.show_full_text),
            can_download_source=bool(fields.can_download_source),
            immediate_response=fields.immediate_response,
            default_response=fields.default_response,
            expired_time=fields.expired_time,
            qpm=1000 if fields.qpm is None else fields.qpm,
            max_usage_points=-1.0 if fields.max_usage_points is None else fields.max_usage_points,
            hook_url=fields.hook_url or None,
            app_config=fields.app_config,
        )
        await self.db.run_write_session(lambda session: session.add(link))
        return share_id

    async def list_links(self, ctx: AuthContext, *, app_id: str, link_type: str | None) -> list[ShareLink]:
        require_team_manager(ctx)
        await self.apps.get(ctx, app_id)
        query = select(ShareLink).where(ShareLink.app_id == app_id, ShareLink.team_id == ctx.team_id)
        if link_type:
            query = query.where(ShareLink.type == link_type)
        async with self.db.read() as session:
            return list((await session.execute(query.order_by(ShareLink.create_time.desc()))).scalars())

    async def _own(self, ctx: AuthContext, link_id: str) -> ShareLink:
        require_team_manager(ctx)
        async with self.db.read() as session:
            link = await session.get(ShareLink, link_id)
        if link is None:
            raise NotFound(key="outlinkUnExist")
        if link.team_id != ctx.team_id:
            raise PermissionDenied(key="unAuthLink")
        return link

    async def update(self, ctx: AuthContext, link_id: str, fields: ShareLinkFields, *, clear_expiry: bool) -> None:
        link = await self._own(ctx, link_id)
        values: dict[str, Any] = {}
        for name in (
            "name",
            "show_cite",
            "show_running_status",
            "show_full_text",
            "can_download_source",
            "immediate_response",
            "default_response",
            "qpm",
            "max_usage_points",
            "app_config",
        ):
            value = getattr(fields, name)
            if value is not None:
                values[name] = value
        if fields.hook_url is not None:
            values["hook_url"] = fields.hook_url or None
        if fields.expired_time is not None or clear_expiry:
            values["expired_time"] = fields.expired_time
        if values:
            await self.db.run_write_session(
                lambda session: session.execute(update(ShareLink).where(ShareLink.id == link.id).values(**values))
            )
        self.cache.pop(link.share_id)

    async def delete(self, ctx: AuthContext, link_id: str) -> None:
        link = await self._own(ctx, link_id)
        await self.db.run_write_session(
            lambda session: session.execute(delete(ShareLink).where(ShareLink.id == link.id))
        )
        self.cache.pop(link.share_id)

    # --- visitors ---------------------------------------------------------------------------------
    async def _link(self, share_id: str) -> ShareLink:
        link = self.cache.get(share_id)
        if link is None:
            generation = self.cache.generation  # a change heard while reading must win over what was read
            async with self.db.read() as session:
                link = (
                    await session.execute(select(ShareLink).where(ShareLink.share_id == share_id))
                ).scalar_one_or_none()
            if link is None:
                raise NotFound(key="outlinkUnExist")
            if link.max_usage_points < 0:
                self.cache.put(share_id, link, since=generation)
        return link

    async def _check_limits(self, link: ShareLink, ip: str | None) -> None:
        if link.expired_time is not None and link.expired_time <= utcnow():
            raise PermissionDenied("The share link has expired", key="unAuthLink")
        if link.max_usage_points >= 0 and link.usage_points >= link.max_usage_points:
            raise PermissionDenied("The share link has reached its usage limit", key="unAuthLink")
        await self.limiter.check(link.share_id, ip or "-", link.qpm)

    async def visitor_for_init(self, share_id: str | None, out_link_uid: str | None) -> ShareVisitor:
        """Opening the page, listing histories, init, question guide: the `init` hook."""
        link, token = await self._resolve(share_id, out_link_uid)
        uid = token
        if link.hook_url:
            uid = await self.hooks.verify(link.hook_url, "init", {"token": token}, fallback_uid=token)
        return ShareVisitor(link=link, uid=validate_uid(uid))

    async def visitor_for_chat(
        self, share_id: str | None, out_link_uid: str | None, *, question: str, ip: str | None
    ) -> ShareVisitor:
        """Before each chat run: limits, then the `start` hook."""
        link, token = await self._resolve(share_id, out_link_uid)
        await self._check_limits(link, ip)
        uid = token
        if link.hook_url:
            uid = await self.hooks.verify(
                link.hook_url, "start", {"token": token, "question": question}, fallback_uid=token
            )
        return ShareVisitor(link=link, uid=validate_uid(uid))

    async def _resolve(self, share_id: str | None, out_link_uid: str | None) -> tuple[ShareLink, str]:
        if not share_id:
            raise PermissionDenied("shareId is required", key="unAuthLink")
        link = await self._link(share_id)
        if not out_link_uid:
            raise PermissionDenied("outLinkUid is required", key="linkUnInvalid")
        return link, out_link_uid

    def finished(self, visitor: ShareVisitor, *, chat_id: str, app_name: str, responses: list[dict[str, Any]]) -> None:
        if visitor.link.hook_url:
            body = {"token": visitor.uid, "appName": app_name, "responseData": responses, "chatId": chat_id}
            self.hooks.finish(visitor.link.hook_url, body)

    def record_usage(self, conn: Connection, share_id: str, points: float, now: datetime) -> None:
        """Inside the round's final transaction: `usagePoints += points`, `lastTime = now`. A cached link has no
        usage limit (limited links are read on every visit), so the cache need not forget it."""
        conn.execute(
            update(LINKS)
            .where(LINKS.c.share_id == share_id)
            .values(usage_points=LINKS.c.usage_points + points, last_time=now)
        )
