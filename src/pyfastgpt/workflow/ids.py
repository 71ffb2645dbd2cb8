"""Short random ids (FastGPT's `getNanoid`): a lowercase letter then url-safe characters."""

from __future__ import annotations

import string

from pyfastgpt.core.ids import random_hex, random_pool


def nano_id(size: int = 16) -> str:
    first = string.ascii_lowercase[random_pool.take(1)[0] % 26]
    return first + random_hex(size - 1)
