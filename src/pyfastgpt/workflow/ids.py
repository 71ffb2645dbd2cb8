"""Short random ids (FastGPT's `getNanoid`): a lowercase letter then url-safe characters."""

from __future__ import annotations

import secrets
import string


def nano_id(size: int = 16) -> str:
    return secrets.choice(string.ascii_lowercase) + secrets.token_hex(size)[: size - 1]
