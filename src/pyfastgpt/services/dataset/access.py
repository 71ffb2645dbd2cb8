"""Who may touch which dataset, collection and data item (team isolation, no app-bound keys)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, select

from pyfastgpt.core.errors import NotFound, PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.store.models.dataset import Dataset, DatasetCollection, DatasetData

DATASETS = cast(Table, Dataset.__table__)
COLLECTIONS = cast(Table, DatasetCollection.__table__)
DATA = cast(Table, DatasetData.__table__)


def require_dataset_access(ctx: AuthContext) -> None:
    """Root and team-wide keys manage datasets; an app-bound key may not."""
    if not ctx.is_team_wide:
        raise PermissionDenied("An app-bound API key cannot manage datasets", key="unAuthDataset")


def _owned(row: Any, ctx: AuthContext, key: str) -> None:
    if row.team_id != ctx.team_id:
        raise PermissionDenied(key=key)


def dataset_row(conn: Connection, ctx: AuthContext, dataset_id: str) -> Any:
    row = conn.execute(select(DATASETS).where(DATASETS.c.id == dataset_id, DATASETS.c.delete_time.is_(None))).first()
    if row is None:
        raise NotFound(key="unExistDataset")
    _owned(row, ctx, "unAuthDataset")
    return row


def collection_row(conn: Connection, ctx: AuthContext, collection_id: str) -> Any:
    row = conn.execute(
        select(COLLECTIONS).where(COLLECTIONS.c.id == collection_id, COLLECTIONS.c.delete_time.is_(None))
    ).first()
    if row is None:
        raise NotFound(key="unExistCollection")
    _owned(row, ctx, "unAuthDatasetCollection")
    return row


def data_row(conn: Connection, ctx: AuthContext, data_id: str) -> Any:
    row = conn.execute(select(DATA).where(DATA.c.id == data_id)).first()
    if row is None:
        raise NotFound("Data does not exist", key="unAuthDatasetData", http_status=404)
    _owned(row, ctx, "unAuthDatasetData")
    return row
