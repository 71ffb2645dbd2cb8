"""Share-link credentials as FastGPT clients send them: `shareId` + `outLinkUid` flat (4.11) or inside
`outLinkAuthData` (4.16, an object or its JSON text). One parser for chat, history and file routes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any


def share_fields(source: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """`(shareId, outLinkUid)` from one request source (body or query); flat fields win."""
    auth_data = source.get("outLinkAuthData")
    if isinstance(auth_data, str):
        with contextlib.suppress(ValueError):
            auth_data = json.loads(auth_data)
    data = auth_data if isinstance(auth_data, dict) else {}
    share_id = source.get("shareId") or data.get("shareId")
    uid = source.get("outLinkUid") or data.get("outLinkUid")
    return (str(share_id) if share_id else None, str(uid) if uid else None)
