"""HMAC signatures for the URLs the app serves itself (the local storage backend).

A signature covers the operation, the key, the expiry and — for uploads — the size limit and the
content type, so none of them can be changed without invalidating the URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

SECRET_FILE = "file_url_secret"


class SignatureInvalid(PermissionError):
    """A signature that does not match, or one that has expired."""


class UrlSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("The file URL secret must have at least 16 bytes")
        self._secret = secret

    def sign(self, *parts: str | int) -> str:
        message = "\n".join(str(part) for part in parts).encode("utf-8")
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def verify(self, signature: str, expires: int, *parts: str | int) -> None:
        """Raise :class:`SignatureInvalid` unless ``signature`` matches and ``expires`` lies ahead."""
        expected = self.sign(*parts)
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise SignatureInvalid("The signature does not match")
        if expires < int(time.time()):
            raise SignatureInvalid("The signed URL has expired")


def resolve_secret(configured: str, data_dir: Path) -> bytes:
    """``FILE_URL_SECRET`` when set; otherwise a random secret kept in ``<data_dir>/file_url_secret``
    (created once, readable by the owner only, shared by every worker of the same data dir)."""
    if configured:
        return configured.encode("utf-8")
    path = Path(data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another worker may be writing it right now
            value = path.read_text("utf-8").strip()
            if value:
                return value.encode("utf-8")
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text("utf-8").strip().encode("utf-8")
