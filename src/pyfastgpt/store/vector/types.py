"""The vector store protocol shared by the embedded (SQLite + numpy/HNSW) and pgvector adapters."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from sqlalchemy import Connection

from pyfastgpt.core.errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class VectorRow:
    id: int  # dataset_data_indexes.id (FastGPT `indexes[].dataId`)
    team_id: str
    dataset_id: str
    collection_id: str
    vector: np.ndarray[Any, Any]  # float32, 1-D, L2-normalised


@dataclass(frozen=True, slots=True)
class VectorHit:
    id: int
    score: float  # inner product (cosine for normalised vectors), higher is better


class VectorDimensionError(InvalidRequest):
    """A vector whose dimension differs from its dataset's (or a query of the wrong dimension)."""


class VectorStore(Protocol):
    def add(self, conn: Connection, rows: Sequence[VectorRow]) -> None:
        """Insert (or replace, by id) vectors inside the caller's transaction."""

    def remove(
        self,
        conn: Connection,
        *,
        ids: Sequence[int] | None = None,
        collection_ids: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> None: ...

    def committed(
        self,
        added: Sequence[VectorRow],
        removed_ids: Sequence[int] = (),
        removed_collections: Sequence[str] = (),
        removed_datasets: Sequence[str] = (),
    ) -> None:
        """After the caller's transaction committed: removals are applied first, then additions."""

    async def search(
        self,
        *,
        team_id: str,
        dataset_ids: Sequence[str],
        query: np.ndarray[Any, Any],
        limit: int,
        collection_ids: Sequence[str] | None = None,
        forbid_collection_ids: Sequence[str] = (),
    ) -> list[VectorHit]: ...

    async def count(self, dataset_id: str) -> int: ...

    async def index_pending(self, batch: int = ...) -> int:
        """Index up to `batch` vectors written ahead of their ANN index; how many (0: none waits)."""

    async def close(self) -> None: ...


def as_unit_vector(vector: Any, *, what: str = "vector") -> np.ndarray[Any, np.dtype[np.float32]]:
    """A float32 1-D copy scaled to unit length (inner product = cosine)."""
    array = np.asarray(vector, dtype=np.float32)
    if array.ndim != 1 or array.size == 0:
        raise InvalidRequest(f"{what} must be a non-empty 1-D array, got shape {array.shape}")
    # what np.linalg.norm computes for a 1-D float array (same bits), without its per-call overhead:
    # every stored vector passes here
    norm = float(np.sqrt(array.dot(array)))
    if not math.isfinite(norm) or norm == 0.0:
        raise InvalidRequest(f"{what} must be finite and non-zero")
    return array / np.float32(norm)


def check_dimensions(rows: Sequence[VectorRow], known: dict[str, int]) -> dict[str, int]:
    """Dimension of every dataset in `rows`; `known` holds the dims already stored. Raises on mismatch."""
    dims: dict[str, int] = {}
    for row in rows:
        dim = int(np.asarray(row.vector).shape[-1]) if np.asarray(row.vector).ndim == 1 else -1
        expected = dims.get(row.dataset_id, known.get(row.dataset_id))
        if expected is not None and dim != expected:
            raise VectorDimensionError(
                f"vector {row.id} has dimension {dim}, dataset {row.dataset_id} stores dimension {expected}"
            )
        dims[row.dataset_id] = dim
    return dims
