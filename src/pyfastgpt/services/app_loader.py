"""`AppLoader` for child-app nodes (appModule / pluginModule): the published version of a team's app."""

from __future__ import annotations

from typing import Any

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App


class TeamAppLoader:
    def __init__(self, db: Database, published_of: Any) -> None:
        self.db = db
        self.published_of = published_of

    async def load(self, app_id: str, team_id: str) -> tuple[str, dict[str, Any]]:
        async with self.db.read() as session:
            app = await session.get(App, app_id)
        if app is None or app.delete_time is not None or app.team_id != team_id:
            raise LookupError(f"app {app_id} does not exist")
        published = await self.published_of(app)
        return app.type, {"nodes": published.nodes, "edges": published.edges, "chatConfig": published.chat_config}
