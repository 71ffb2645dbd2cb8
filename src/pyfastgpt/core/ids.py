"""Identifiers shaped like FastGPT's: 24-hex ObjectIds and nanoid strings."""

from __future__ import annotations

import itertools
import os
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_process_token = os.urandom(5).hex()
_BYTE_TO_CHAR = bytes(ord(_ALPHABET[b % 62]) for b in range(256))
_REJECTED = bytes(range(248, 256))
_lock = threading.Lock()


def new_id() -> str:
    """A 24-hex id ordered by creation time, like a MongoDB ObjectId."""
    with _lock:
        count = next(_counter) & 0xFFFFFF
    return f"{int(time.time()) & 0xFFFFFFFF:08x}{_process_token}{count:06x}"


class RandomPool:
    """Bytes from `os.urandom`, fetched 8 KiB at a time.

    The same cryptographic source as `secrets`, with one system call per few hundred ids instead
    of one per id (system calls are expensive on sandboxed hosts; ids are made several per request).
    """

    def __init__(self, refill: int = 8192) -> None:
        self._refill = refill
        self._lock = threading.Lock()
        self._buffer = b""
        self._offset = 0
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:  # a forked child must never reuse its parent's bytes
        self._buffer, self._offset = b"", 0

    def take(self, count: int) -> bytes:
        with self._lock:
            if self._offset + count > len(self._buffer):
                self._buffer, self._offset = os.urandom(max(self._refill, count)), 0
            start = self._offset
            self._offset += count
            return self._buffer[start : self._offset]


random_pool = RandomPool()


def random_hex(size: int) -> str:
    """`size` random hex characters."""
    return random_pool.take((size + 1) // 2).hex()[:size]


def nanoid(size: int = 24) -> str:
    """A random alphanumeric id (FastGPT uses nanoid for chatId/dataId/shareId).

    Unbiased: bytes ≥ 248 (= 4 × 62) are rejected before taking them modulo 62."""
    out = ""
    while len(out) < size:
        out += random_pool.take(size + 8).translate(_BYTE_TO_CHAR, _REJECTED).decode()
    return out[:size]


def is_object_id(value: str) -> bool:
    if len(value) != 24:
        return False
    try:
        int(value, 16)
    except ValueError:
        return False
    return True
