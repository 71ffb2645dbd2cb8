"""In-process index of one dataset's vectors: exact matmul, plus an HNSW graph once the dataset is large.

Rows live in growable numpy arrays (vector matrix, ids, collection and team codes); `pos` maps a vector
id to its row. Searches hold the read side of a readers-writer lock, mutations the write side.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import hnswlib
import numpy as np

F32 = np.ndarray[Any, np.dtype[np.float32]]
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 100
HNSW_EF_SEARCH = 100


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def top_k(scores: F32, k: int) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Positions of the k highest scores, best first."""
    if k >= scores.shape[0]:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class DatasetIndex:
    def __init__(self, dataset_id: str, dim: int | None, capacity: int = 64) -> None:
        self.dataset_id = dataset_id
        self.dim = dim
        self.size = 0
        self.lock = ReadWriteLock()
        self.pos: dict[int, int] = {}
        self.team_codes: dict[str, int] = {}
        self.collection_codes: dict[str, int] = {}
        self._capacity = capacity
        self.vectors: F32 = np.empty((capacity, dim or 0), dtype=np.float32)
        self.ids = np.empty(capacity, dtype=np.int64)
        self.collections = np.empty(capacity, dtype=np.int32)
        self.teams = np.empty(capacity, dtype=np.int32)
        self.hnsw: hnswlib.Index | None = None
        self.dirty: set[int] | None = None  # ids changed while an HNSW graph is being built

    # -- mutations (callers hold the write lock) ------------------------------------------------------
    def _code(self, codes: dict[str, int], value: str) -> int:
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(codes)
        return code

    def _grow(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = max(needed, self._capacity * 2)
        vectors = np.empty((capacity, self.dim or 0), dtype=np.float32)
        vectors[: self.size] = self.vectors[: self.size]
        self.vectors = vectors
        for name in ("ids", "collections", "teams"):
            old = getattr(self, name)
            new = np.empty(capacity, dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)
        self._capacity = capacity

    def upsert(self, ids: Sequence[int], teams: Sequence[str], collections: Sequence[str], vectors: F32) -> None:
        if not len(ids):
            return
        if self.dim is None or (self.size == 0 and self.dim != vectors.shape[1]):  # first rows fix the dimension
            self.dim = int(vectors.shape[1])
            self.vectors = np.empty((self._capacity, self.dim), dtype=np.float32)
            self.hnsw = None
        self._grow(self.size + len(ids))
        if not self.pos and len(set(ids)) == len(ids):  # bulk load into an empty index
            n = len(ids)
            self.ids[:n] = ids
            self.vectors[:n] = vectors
            self.collections[:n] = [self._code(self.collection_codes, c) for c in collections]
            self.teams[:n] = [self._code(self.team_codes, t) for t in teams]
            self.pos = {int(vector_id): row for row, vector_id in enumerate(ids)}
            self.size = n
        else:
            self._upsert_rows(ids, teams, collections, vectors)
        if self.hnsw is not None:
            self._hnsw_add(vectors, np.asarray(ids, dtype=np.int64))
        if self.dirty is not None:
            self.dirty.update(ids)

    def _upsert_rows(self, ids: Sequence[int], teams: Sequence[str], collections: Sequence[str], vectors: F32) -> None:
        for i, vector_id in enumerate(ids):
            row = self.pos.get(vector_id)
            if row is None:
                row = self.pos[vector_id] = self.size
                self.size += 1
            self.ids[row] = vector_id
            self.vectors[row] = vectors[i]
            self.collections[row] = self._code(self.collection_codes, collections[i])
            self.teams[row] = self._code(self.team_codes, teams[i])

    def remove_ids(self, ids: Sequence[int]) -> None:
        present = [vector_id for vector_id in ids if vector_id in self.pos]
        if not present:
            return
        if len(present) > max(64, self.size // 16):
            keep = np.ones(self.size, dtype=bool)
            keep[[self.pos[vector_id] for vector_id in present]] = False
            self._compact(keep)
        else:
            for vector_id in present:
                row = self.pos.pop(vector_id)
                last = self.size - 1
                if row != last:
                    moved = int(self.ids[last])
                    self.ids[row] = moved
                    self.vectors[row] = self.vectors[last]
                    self.collections[row] = self.collections[last]
                    self.teams[row] = self.teams[last]
                    self.pos[moved] = row
                self.size = last
        if self.hnsw is not None:
            for vector_id in present:
                _mark_deleted(self.hnsw, vector_id)
        if self.dirty is not None:
            self.dirty.update(present)

    def _compact(self, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> None:
        kept = int(keep.sum())
        for name in ("ids", "collections", "teams", "vectors"):
            array = getattr(self, name)
            array[:kept] = array[: self.size][keep]
        self.size = kept
        self.pos = {int(vector_id): row for row, vector_id in enumerate(self.ids[:kept].tolist())}

    def remove_collections(self, collection_ids: Sequence[str]) -> None:
        codes = [self.collection_codes[c] for c in collection_ids if c in self.collection_codes]
        if codes and self.size:
            hit = np.isin(self.collections[: self.size], codes)
            self.remove_ids([int(v) for v in self.ids[: self.size][hit].tolist()])

    # -- HNSW ---------------------------------------------------------------------------------------------
    def _hnsw_add(self, vectors: F32, labels: np.ndarray[Any, np.dtype[np.int64]]) -> None:
        assert self.hnsw is not None
        needed = self.hnsw.element_count + len(labels)
        if needed > self.hnsw.max_elements:
            self.hnsw.resize_index(max(needed, self.hnsw.max_elements * 2))
        self.hnsw.add_items(vectors, labels, num_threads=1)

    def snapshot(self) -> tuple[F32, np.ndarray[Any, np.dtype[np.int64]]]:
        """A copy of the rows for an HNSW build (call under the read lock, then start `dirty` tracking)."""
        return self.vectors[: self.size].copy(), self.ids[: self.size].copy()

    @staticmethod
    def build_graph(dim: int, vectors: F32, ids: np.ndarray[Any, np.dtype[np.int64]]) -> hnswlib.Index:
        graph = hnswlib.Index(space="ip", dim=dim)
        graph.init_index(max_elements=max(1024, int(len(ids) * 1.25)), ef_construction=HNSW_EF_CONSTRUCTION, M=HNSW_M)
        if len(ids):
            graph.add_items(vectors, ids, num_threads=2)
        graph.set_ef(HNSW_EF_SEARCH)
        return graph

    def attach_graph(self, graph: hnswlib.Index, built_ids: np.ndarray[Any, np.dtype[np.int64]]) -> None:
        """Install a graph built from a snapshot, replaying the changes made since (write lock held)."""
        dirty = self.dirty or set()
        self.dirty = None
        self.hnsw = graph
        built = set(built_ids.tolist())
        changed = [vector_id for vector_id in dirty if vector_id in self.pos]
        for vector_id in dirty:
            if vector_id not in self.pos and vector_id in built:
                _mark_deleted(graph, vector_id)
        if changed:
            rows = [self.pos[vector_id] for vector_id in changed]
            self._hnsw_add(self.vectors[rows], np.asarray(changed, dtype=np.int64))

    # -- search (callers hold the read lock) -------------------------------------------------------------
    def allowed_mask(
        self, team_id: str, collection_ids: Sequence[str] | None, forbid: Sequence[str]
    ) -> np.ndarray[Any, np.dtype[np.bool_]] | bool | None:
        """False: nothing allowed; None: everything allowed; else a row mask."""
        team = self.team_codes.get(team_id)
        if team is None:
            return False
        n = self.size
        mask: np.ndarray[Any, np.dtype[np.bool_]] | None = None
        if len(self.team_codes) > 1:
            mask = self.teams[:n] == team
        if collection_ids is not None:
            codes = [self.collection_codes[c] for c in collection_ids if c in self.collection_codes]
            if not codes:
                return False
            hit = np.isin(self.collections[:n], codes)
            mask = hit if mask is None else mask & hit
        forbidden = [self.collection_codes[c] for c in forbid if c in self.collection_codes]
        if forbidden:
            hit = ~np.isin(self.collections[:n], forbidden)
            mask = hit if mask is None else mask & hit
        return mask

    def search(
        self, query: F32, k: int, mask: np.ndarray[Any, np.dtype[np.bool_]] | None, exact_limit: int
    ) -> list[tuple[int, float]]:
        n = self.size
        if n == 0 or k <= 0:
            return []
        if mask is None:
            if self.hnsw is not None:
                return self._hnsw_search(query, min(k, n), None)
            scores = self.vectors[:n] @ query
            best = top_k(scores, k)
            return list(zip(self.ids[best].tolist(), scores[best].tolist(), strict=True))
        count = int(mask.sum())
        if count == 0:
            return []
        if self.hnsw is not None and count > exact_limit:
            allowed = set(self.ids[:n][mask].tolist())
            return self._hnsw_search(query, min(k, count), allowed.__contains__)
        if count * 4 < n:
            rows = np.flatnonzero(mask)
            scores = self.vectors[rows] @ query
            best = top_k(scores, k)
            return list(zip(self.ids[rows[best]].tolist(), scores[best].tolist(), strict=True))
        scores = self.vectors[:n] @ query
        scores[~mask] = -np.inf
        best = top_k(scores, min(k, count))
        return list(zip(self.ids[best].tolist(), scores[best].tolist(), strict=True))

    def _hnsw_search(self, query: F32, k: int, allowed: Any) -> list[tuple[int, float]]:
        assert self.hnsw is not None
        try:
            labels, distances = self.hnsw.knn_query(query, k=k, num_threads=1, filter=allowed)
        except RuntimeError:  # fewer than k reachable neighbours: answer exactly instead
            n = self.size
            scores = self.vectors[:n] @ query
            if allowed is not None:
                scores[~np.fromiter(map(allowed, self.ids[:n].tolist()), dtype=bool, count=n)] = -np.inf
            best = top_k(scores, k)
            return [(int(i), float(s)) for i, s in zip(self.ids[best], scores[best], strict=True) if s > -np.inf]
        # space "ip" returns 1 - <a, b>
        return [(int(label), 1.0 - float(d)) for label, d in zip(labels[0], distances[0], strict=True)]


def _mark_deleted(graph: hnswlib.Index, label: int) -> None:
    with suppress(RuntimeError):  # unknown or already deleted label
        graph.mark_deleted(label)
