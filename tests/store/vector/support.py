"""Fresh migrated databases on SQLite (temp file) and the throwaway PostgreSQL, for the KB index tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database

BACKENDS = ["sqlite", "pg"]


def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    if backend == "pg":
        url: str = request.getfixturevalue("pg").new_database()
        return url
    return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='kbidx-')) / 'kb.db'}"


async def migrated(url: str) -> Database:
    await migrate.upgrade(url)
    return Database(url)


def unit_rows(rng: np.random.Generator, n: int, dim: int, centers: np.ndarray | None = None) -> np.ndarray:
    """n unit vectors; around random cluster centres when given (like real embeddings)."""
    if centers is None:
        data = rng.standard_normal((n, dim)).astype(np.float32)
    else:
        picks = rng.integers(0, len(centers), n)
        data = (centers[picks] + (0.8 / np.sqrt(dim)) * rng.standard_normal((n, dim))).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    return data


def exact_top(matrix: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    scores = matrix @ query
    return [int(ids[i]) for i in np.argsort(-scores, kind="stable")[:k]]
