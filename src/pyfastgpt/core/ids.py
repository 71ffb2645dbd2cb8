"""Identifiers shaped like FastGPT's: 24-hex ObjectIds and nanoid strings."""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_process_token = os.urandom(5).hex()
_lock = threading.Lock()


def new_id() -> str:
    """A 24-hex id ordered by creation time, like a MongoDB ObjectId."""
    with _lock:
        count = next(_counter) & 0xFFFFFF
    return f"{int(time.time()) & 0xFFFFFFFF:08x}{_process_token}{count:06x}"


def nanoid(size: int = 24) -> str:
    """A random alphanumeric id (FastGPT uses nanoid for chatId/dataId/shareId).

    Unbiased: bytes ≥ 248 (= 4 × 62) are rejected before taking them modulo 62."""
    out: list[str] = []
    while len(out) < size:
        out.extend(_ALPHABET[b % 62] for b in secrets.token_bytes(size + 8) if b < 248)
    return "".join(out[:size])


def is_object_id(value: str) -> bool:
    if len(value) != 24:
        return False
    try:
        int(value, 16)
    except ValueError:
        return False
    return True
