"""Short random ids (FastGPT's `getNanoid`)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def nano_id(size: int = 16) -> str:
    first = secrets.choice(string.ascii_lowercase)
    return first + "".join(secrets.choice(_ALPHABET) for _ in range(size - 1))
