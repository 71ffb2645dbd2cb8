"""Datasets and dataset folders: create, list, detail, update, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.api_dataset import ApiServer
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.access import DATASETS, dataset_row, require_dataset_access
from pyfastgpt.services.dataset.kb import KnowledgeBase
from pyfastgpt.services.dataset.purge import descendants, purge_datasets
from pyfastgpt.services.dataset.shapes import dataset_shape, model_object

DATASET_TYPES = {"dataset", "folder", "websiteDataset", "externalFile", "apiDataset"}
EDITABLE = {"name": "name", "intro": "intro", "avatar": "avatar", "agentModel": "agent_model",
            "vlmModel": "vlm_model", "chunkSettings": "chunk_settings", "websiteConfig": "website_config"}  # fmt: skip


@dataclass(slots=True)
class DatasetCreate:
    name: str
    type: str = "dataset"
    parent_id: str | None = None
    intro: str = ""
    avatar: str = ""
    vector_model: str | None = None
    agent_model: str | None = None
    vlm_model: str | None = None
    api_server: dict[str, Any] | None = None  # `apiDatasetServer` (or 4.9's bare `apiServer`)


def stored_api_server(raw: Any) -> dict[str, Any]:
    """An API dataset's file server as stored (`{apiServer: {baseUrl, authorization, basePath}}`)."""
    server = ApiServer.from_wire(raw)
    if server is None:
        raise InvalidRequest("apiDatasetServer.apiServer.baseUrl is required", key="invalidParams")
    if not server.base_url.startswith(("http://", "https://")):
        raise InvalidRequest("apiDatasetServer.apiServer.baseUrl must be an http(s) URL", key="invalidParams")
    return {
        "apiServer": {"baseUrl": server.base_url, "authorization": server.authorization, "basePath": server.base_path}
    }


class DatasetService:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def _model(self, model_id: str | None, kind: str) -> str:
        registry = self.kb.registry
        if not model_id:
            default = getattr(registry, "default_id", lambda _t: None)(kind)
            if default:
                return str(default)
            return registry.embedding().model_id if kind == "embedding" else ""
        try:
            info = registry.info(model_id)
        except Exception as error:
            raise InvalidRequest(f"Unknown model {model_id}", key="invalidVectorModelOrQAModel") from error
        if info.type != kind:
            raise InvalidRequest(f"{model_id} is not a {kind} model", key="invalidVectorModelOrQAModel")
        return model_id

    @staticmethod
    def _check_parent(conn: Connection, ctx: AuthContext, parent_id: str | None) -> None:
        if parent_id and dataset_row(conn, ctx, parent_id).type != "folder":
            raise InvalidRequest("The parent must be a dataset folder", key="invalidParams")

    async def create(self, ctx: AuthContext, spec: DatasetCreate) -> str:
        require_dataset_access(ctx)
        if spec.type not in DATASET_TYPES:
            raise InvalidRequest(f"Unknown dataset type {spec.type}", key="invalidParams")
        if not spec.name.strip():
            raise InvalidRequest("name is required", key="missingParams")
        folder = spec.type == "folder"
        vector_model = "" if folder else self._model(spec.vector_model, "embedding")
        agent_model = "" if folder else self._model(spec.agent_model, "llm")
        api_server = stored_api_server(spec.api_server) if spec.type == "apiDataset" else None
        dataset_id, now = new_id(), utcnow()

        def run(conn: Connection) -> None:
            self._check_parent(conn, ctx, spec.parent_id)
            conn.execute(
                insert(DATASETS).values(
                    id=dataset_id, parent_id=spec.parent_id or None, team_id=ctx.team_id, tmb_id=ctx.tmb_id,
                    type=spec.type, name=spec.name.strip(), avatar=spec.avatar, intro=spec.intro,
                    vector_model=vector_model, agent_model=agent_model, vlm_model=spec.vlm_model,
                    api_dataset_server=api_server, create_time=now, update_time=now,
                )
            )  # fmt: skip

        await self.kb.db.run_write(run)
        return dataset_id

    async def list(
        self, ctx: AuthContext, *, parent_id: str | None, type: str | None, search_key: str | None
    ) -> list[dict[str, Any]]:
        require_dataset_access(ctx)

        def run(conn: Connection) -> list[dict[str, Any]]:
            query = select(DATASETS).where(DATASETS.c.team_id == ctx.team_id, DATASETS.c.delete_time.is_(None))
            if search_key:
                query = query.where(DATASETS.c.name.contains(search_key, autoescape=True))
            else:
                query = query.where(DATASETS.c.parent_id == parent_id if parent_id else DATASETS.c.parent_id.is_(None))
            if type:
                query = query.where(DATASETS.c.type == type)
            rows = conn.execute(query.order_by(DATASETS.c.update_time.desc(), DATASETS.c.id.desc()))
            return [dataset_shape(row) for row in rows]

        return await self.kb.db.run_read(run)

    async def detail(self, ctx: AuthContext, dataset_id: str) -> dict[str, Any]:
        require_dataset_access(ctx)
        row = await self.kb.db.run_read(lambda conn: dataset_row(conn, ctx, dataset_id))
        shape = dataset_shape(row)
        if row.type != "folder":
            shape["vectorModel"] = model_object(self.kb.registry, row.vector_model)
            shape["agentModel"] = model_object(self.kb.registry, row.agent_model)
        return shape

    async def update(self, ctx: AuthContext, dataset_id: str, changes: dict[str, Any]) -> None:
        require_dataset_access(ctx)
        values = {EDITABLE[key]: value for key, value in changes.items() if key in EDITABLE}
        server = changes.get("apiDatasetServer") or changes.get("apiServer")
        new_server = stored_api_server(server) if server is not None else None
        if values.get("agent_model"):
            self._model(values["agent_model"], "llm")
        if "name" in values and not str(values["name"] or "").strip():
            raise InvalidRequest("name cannot be empty", key="invalidParams")

        def run(conn: Connection) -> None:
            row = dataset_row(conn, ctx, dataset_id)
            if new_server is not None:  # an empty authorization keeps the stored one (detail never shows it)
                old = (row.api_dataset_server or {}).get("apiServer") or {}
                if not new_server["apiServer"]["authorization"]:
                    new_server["apiServer"]["authorization"] = old.get("authorization", "")
                values["api_dataset_server"] = new_server
            if "parentId" in changes:
                parent = changes["parentId"] or None
                if parent and parent in descendants(conn, "datasets", [dataset_id]):
                    raise InvalidRequest("A folder cannot move into itself", key="invalidParams")
                self._check_parent(conn, ctx, parent)
                values["parent_id"] = parent
            conn.execute(update(DATASETS).where(DATASETS.c.id == dataset_id).values(update_time=utcnow(), **values))

        await self.kb.db.run_write(run)

    async def delete(self, ctx: AuthContext, dataset_id: str) -> None:
        """The dataset, its sub-folders' datasets, and everything inside them, in one transaction."""
        require_dataset_access(ctx)

        def run(conn: Connection) -> list[str]:
            dataset_row(conn, ctx, dataset_id)
            ids = descendants(conn, "datasets", [dataset_id], team_id=ctx.team_id)
            purge_datasets(self.kb, conn, ids)
            return ids

        ids = await self.kb.db.run_write(run)
        self.kb.vectors.committed([], removed_datasets=ids)
