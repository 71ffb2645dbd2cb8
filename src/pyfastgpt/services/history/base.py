"""What every part of `HistoryService` shares: the database, the apps (access checks), the models."""

from __future__ import annotations

from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App


class HistoryBase:
    def __init__(self, db: Database, apps: AppService, registry: ModelRegistry) -> None:
        self.db = db
        self.apps = apps
        self.registry = registry

    async def app(self, ctx: AuthContext, app_id: str) -> App:
        """The app, after the caller's access check (`appUnExist` 404, `unAuthApp` 403).

        Without `appId`, an app-bound key (or a `Bearer <key>-<appId>` suffix) names its app.
        """
        app_id = app_id or ctx.suffix_app_id or ctx.key_app_id or ""
        if not app_id:
            raise InvalidRequest("appId is empty", key="missingParams")
        return await self.apps.get(ctx, app_id)
