"""API-key generation, hashing and masking."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generate_key(prefix: str = "fastgpt", length: int = 56) -> str:
    """FastGPT's key format: `<prefix>-<random alphanumerics>` (no dashes inside the random part)."""
    return f"{prefix}-" + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def mask_key(key: str) -> str:
    prefix = key.split("-", 1)[0] if "-" in key else ""
    return f"{prefix}-******{key[-4:]}" if prefix else f"******{key[-4:]}"


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
