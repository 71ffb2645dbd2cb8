"""pgvector store: one `dataset_vectors` table with an untyped `vector` column.

Layout: every dataset keeps its embedding model's own dimension (no zero-padding to 1536 as FastGPT
does: padding quadruples storage and distance cost for 384-d models). A `dim` column plus one partial
HNSW expression index per common dimension (`(embedding::vector(384)) vector_ip_ops WHERE dim = 384`,
likewise 512, 1024, 1536) serves ANN queries; other dimensions are scanned exactly. Queries cast to
the same expression and repeat `dim = n` so the partial index matches.

asyncpg prepares every statement and PostgreSQL switches to a generic plan after five runs, which
post-filters HNSW results (recall collapses on small datasets). Each search therefore sets
`plan_cache_mode = force_custom_plan` for its transaction: the planner sees the actual dataset ids,
picks the btree on `dataset_id` + exact sort for small datasets and the HNSW index (iterative scan,
relaxed order, `ef_search` >= 100) for large ones; the outer query restores exact score order.

Linking a vector into its HNSW graph costs PostgreSQL ~1 ms of CPU (384-d, m = 12, 2 cores); writing the
row ~0.05 ms. So `add` writes vectors of an HNSW dimension with `indexed = false` (the graphs are partial on
`indexed`) while fewer than `waiting_max` wait, and the training workers link them in batches when their
queue is idle (`index_pending`, `FOR UPDATE SKIP LOCKED`: any number of workers and replicas). A search
reads both: the graph for the linked rows, an exact scan of the waiting ones through the partial btree
`kbx_vectors_unindexed` (~1 µs a row), merged by score, so a vector is found the moment its
transaction commits. Beyond `waiting_max` waiting rows `add` links as it writes, bounding that scan.

Vectors are written in pgvector's binary format: a pooled connection gets a binary codec for the
`vector` type before its first write (formatting 384 floats as text took ~170 µs a vector in Python),
so on such a connection an `embedding` column reads back as a float32 array.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine.interfaces import AdaptedConnection

from pyfastgpt.store.db import Database
from pyfastgpt.store.prepared import Prepared
from pyfastgpt.store.vector.embedded import remove_vectors
from pyfastgpt.store.vector.tables import HNSW_DIMENSIONS, dataset_vectors
from pyfastgpt.store.vector.types import (
    VectorDimensionError,
    VectorHit,
    VectorRow,
    as_unit_vector,
    check_dimensions,
)

WAITING_MAX = 10_000  # vectors waiting for their graph (all datasets) before `add` links as it writes
INDEX_BATCH = 256  # vectors linked into their graphs per `index_pending` transaction (~0.25 s of CPU)
EF_SEARCH_MIN = 100
EF_SEARCH_MAX = 1000
VECTOR_HEADER = struct.Struct(">HH")
VECTOR_SCHEMA = text(
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'"
)
BINARY_CODEC = "pyfastgpt_binary_vectors"  # connection info key: the codec is registered
SEARCH_SETTINGS = text(
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
    " set_config('hnsw.iterative_scan', 'relaxed_order', true),"
    " set_config('hnsw.ef_search', :ef, true)"
)

WAITING_COUNT = text("SELECT count(*) FROM (SELECT 1 FROM dataset_vectors WHERE NOT indexed LIMIT :at_most) AS waiting")
LINK_WAITING = text(
    "UPDATE dataset_vectors SET indexed = true WHERE id IN"
    " (SELECT id FROM dataset_vectors WHERE NOT indexed LIMIT :batch FOR UPDATE SKIP LOCKED)"
)


def vector_literal(vector: np.ndarray[Any, Any]) -> str:
    return "[" + ",".join(map(repr, vector.tolist())) + "]"


def encode_vector(vector: np.ndarray[Any, Any]) -> bytes:
    """pgvector's binary input: the dimension, an unused int16, then big-endian float4s."""
    return VECTOR_HEADER.pack(vector.shape[0], 0) + vector.astype(">f4").tobytes()


def decode_vector(data: bytes) -> np.ndarray[Any, np.dtype[np.float32]]:
    """pgvector's binary output as float32 (what an `embedding` column reads as on a connection
    that has written vectors)."""
    dim, _ = VECTOR_HEADER.unpack_from(data)
    return np.frombuffer(data, dtype=">f4", count=dim, offset=VECTOR_HEADER.size).astype(np.float32)


def _upsert() -> Prepared:
    """Insert or replace by id; run with a list of rows (asyncpg sends them in one round trip), on the DB-API
    cursor (`Prepared`): SQLAlchemy's per-row parameter handling cost more Python than the rows' encoding."""
    stmt = pg_insert(dataset_vectors)
    return Prepared(
        stmt.on_conflict_do_update(
            index_elements=[dataset_vectors.c.id],
            set_={
                name: stmt.excluded[name]
                for name in ("team_id", "dataset_id", "collection_id", "dim", "embedding", "indexed")
            },
        )
    )


UPSERT = _upsert()


def search_sql(dim: int, collections: int | None, forbidden: int) -> str:
    where = ["dim = :dim", "team_id = :team_id", "dataset_id = ANY(:dataset_ids)"]
    if collections is not None:
        where.append("collection_id = ANY(:collection_ids)")
    if forbidden:
        where.append("NOT (collection_id = ANY(:forbid_ids))")
    # `dim` is an integer literal (validated), so the expression matches the partial index text. The
    # linked rows are read through their graph, the rows waiting for it exactly; the best of both win.

    def nearest(linked: str) -> str:
        return (
            f"(SELECT id, (embedding::vector({dim})) <#> CAST(CAST(:query AS text) AS vector({dim})) AS distance"
            f" FROM dataset_vectors WHERE {' AND '.join([*where, linked])} ORDER BY distance LIMIT :limit)"
        )

    return (
        f"WITH hits AS MATERIALIZED ({nearest('indexed')} UNION ALL {nearest('NOT indexed')})"
        " SELECT id, -distance FROM hits ORDER BY distance, id LIMIT :limit"
    )


class PgVectorStore:
    def __init__(self, db: Database, *, waiting_max: int = WAITING_MAX) -> None:
        self._db = db
        self.waiting_max = waiting_max
        self._dims: dict[str, int] = {}  # dataset -> stored dimension (fixed while the dataset has rows)
        self._lock = threading.Lock()
        self._vector_schema: str | None = None  # where the `vector` extension lives

    def _known_dims(self, conn: Connection, dataset_ids: Sequence[str]) -> dict[str, int]:
        with self._lock:
            known = {d: self._dims[d] for d in dataset_ids if d in self._dims}
        for dataset_id in dataset_ids:
            if dataset_id in known:
                continue
            dim = conn.execute(
                select(dataset_vectors.c.dim).where(dataset_vectors.c.dataset_id == dataset_id).limit(1)
            ).scalar()
            if dim is not None:
                known[dataset_id] = int(dim)
        with self._lock:
            self._dims.update(known)
        return known

    def add(self, conn: Connection, rows: Sequence[VectorRow]) -> None:
        if not rows:
            return
        known = self._known_dims(conn, sorted({row.dataset_id for row in rows}))
        check_dimensions(rows, known)
        self._send_vectors_in_binary(conn)
        dims = [int(np.asarray(row.vector).shape[0]) for row in rows]
        graphed = [dim in HNSW_DIMENSIONS for dim in dims]  # the others have no graph to wait for
        wait = self._room_to_wait(conn, sum(graphed))
        values = [
            {
                "id": int(row.id),
                "team_id": row.team_id,
                "dataset_id": row.dataset_id,
                "collection_id": row.collection_id,
                "dim": dim,
                "embedding": as_unit_vector(row.vector),
                "indexed": not (wait and in_graph),
            }
            for row, dim, in_graph in zip(rows, dims, graphed, strict=True)
        ]
        UPSERT.execute_many(conn, values)

    def _room_to_wait(self, conn: Connection, adding: int) -> bool:
        """Whether `adding` more vectors may wait for their graphs (unlinked rows stay under the bound)."""
        if not adding or adding > self.waiting_max:
            return False
        waiting = int(conn.execute(WAITING_COUNT, {"at_most": self.waiting_max}).scalar_one())
        return waiting + adding <= self.waiting_max

    async def index_pending(self, batch: int = INDEX_BATCH) -> int:
        """Link up to `batch` waiting vectors into their HNSW graphs in one transaction; how many (0: none
        waits). Rows another worker is linking, or a transaction still writes, are skipped."""
        return await self._db.run_write(lambda conn: int(conn.execute(LINK_WAITING, {"batch": batch}).rowcount))

    def _send_vectors_in_binary(self, conn: Connection) -> None:
        """Register the binary codec for pgvector's type on this connection (once per connection;
        its info is cleared when the connection is replaced). ~1 µs a vector, against ~70 µs for a
        float4[] parameter (asyncpg checks each element) and ~170 µs for the text form."""
        record = conn.connection
        if record.info.get(BINARY_CODEC):
            return
        if self._vector_schema is None:
            self._vector_schema = str(conn.execute(VECTOR_SCHEMA).scalar_one())
        schema = self._vector_schema
        adapted = record.dbapi_connection
        assert isinstance(adapted, AdaptedConnection)
        adapted.run_async(
            lambda raw: raw.set_type_codec(
                "vector", schema=schema, encoder=encode_vector, decoder=decode_vector, format="binary"
            )
        )
        record.info[BINARY_CODEC] = True

    def remove(
        self,
        conn: Connection,
        *,
        ids: Sequence[int] | None = None,
        collection_ids: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> None:
        remove_vectors(conn, ids, collection_ids, dataset_ids)

    def committed(
        self,
        added: Sequence[VectorRow],
        removed_ids: Sequence[int] = (),
        removed_collections: Sequence[str] = (),
        removed_datasets: Sequence[str] = (),
    ) -> None:
        """Nothing to sync in memory; forget the dimension of removed datasets."""
        with self._lock:
            for dataset_id in removed_datasets:
                self._dims.pop(dataset_id, None)

    async def search(
        self,
        *,
        team_id: str,
        dataset_ids: Sequence[str],
        query: np.ndarray[Any, Any],
        limit: int,
        collection_ids: Sequence[str] | None = None,
        forbid_collection_ids: Sequence[str] = (),
    ) -> list[VectorHit]:
        if not dataset_ids or limit <= 0 or (collection_ids is not None and not collection_ids):
            return []
        q = as_unit_vector(query, what="query vector")
        dim = int(q.shape[0])
        datasets = list(dict.fromkeys(dataset_ids))
        sql = text(search_sql(dim, None if collection_ids is None else 1, len(forbid_collection_ids)))
        params: dict[str, Any] = {
            "dim": dim,
            "team_id": team_id,
            "dataset_ids": datasets,
            "query": vector_literal(q),
            "limit": int(limit),
        }
        if collection_ids is not None:
            params["collection_ids"] = list(collection_ids)
        if forbid_collection_ids:
            params["forbid_ids"] = list(forbid_collection_ids)
        ef = str(min(EF_SEARCH_MAX, max(EF_SEARCH_MIN, int(limit))))

        def run(conn: Connection) -> list[VectorHit]:
            for dataset_id, stored in self._known_dims(conn, datasets).items():
                if stored != dim:
                    raise VectorDimensionError(
                        f"query has dimension {dim}, dataset {dataset_id} stores dimension {stored}"
                    )
            conn.execute(SEARCH_SETTINGS, {"ef": ef})
            return [VectorHit(id=int(row[0]), score=float(row[1])) for row in conn.execute(sql, params)]

        return await self._db.run_read(run)

    async def count(self, dataset_id: str) -> int:
        stmt = select(func.count()).select_from(dataset_vectors).where(dataset_vectors.c.dataset_id == dataset_id)
        return int(await self._db.run_read(lambda conn: conn.execute(stmt).scalar_one()))

    async def close(self) -> None:
        with self._lock:
            self._dims.clear()
