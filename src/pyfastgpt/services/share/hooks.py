"""The share-link auth hooks FastGPT's open-source build lacks: `POST <hookUrl>/shareAuth/{init,start,finish}`.

`init` and `start` must answer `{"success": true, "data": {"uid": "..."}}`; anything else refuses the
visitor with the hook's `message`/`msg`. `finish` is fire-and-forget with bounded retries.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from pyfastgpt.core.errors import PermissionDenied

log = logging.getLogger("pyfastgpt.share")

HOOK_TIMEOUT_S = 10.0
FINISH_ATTEMPTS = 3
VERIFY_FAILED = "Identity verification failed"


def validate_uid(uid: Any) -> str:
    """FastGPT's rule: a string of at most 255 bytes without `|`, `/` or `\\`."""
    if not isinstance(uid, str) or not uid or len(uid.encode("utf-8")) > 255 or any(c in uid for c in "|/\\"):
        raise PermissionDenied("Invalid UID", key="unAuthUser")
    return uid


class ShareHooks:
    def __init__(self, timeout_s: float = HOOK_TIMEOUT_S) -> None:
        self.client = httpx.AsyncClient(timeout=timeout_s)
        self._background: set[asyncio.Task[None]] = set()

    async def _call(self, hook_url: str, stage: str, body: dict[str, Any]) -> dict[str, Any]:
        url = hook_url.rstrip("/") + f"/shareAuth/{stage}"
        try:
            response = await self.client.post(url, json=body)
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise PermissionDenied(VERIFY_FAILED, key="unAuthUser") from exc
        if not isinstance(data, dict):
            raise PermissionDenied(VERIFY_FAILED, key="unAuthUser")
        return data

    async def verify(self, hook_url: str, stage: str, body: dict[str, Any], *, fallback_uid: str) -> str:
        """Run `init` or `start`; returns the uid to store (the hook's `data.uid`, else the token)."""
        data = await self._call(hook_url, stage, body)
        if data.get("success") is not True:
            message = data.get("message") or data.get("msg") or VERIFY_FAILED
            raise PermissionDenied(str(message), key="unAuthUser")
        payload = data.get("data")
        uid = payload.get("uid") if isinstance(payload, dict) else None
        return validate_uid(uid if uid is not None else fallback_uid)

    def finish(self, hook_url: str, body: dict[str, Any]) -> None:
        task = asyncio.create_task(self._finish(hook_url, body))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _finish(self, hook_url: str, body: dict[str, Any]) -> None:
        url = hook_url.rstrip("/") + "/shareAuth/finish"
        for attempt in range(FINISH_ATTEMPTS):
            try:
                response = await self.client.post(url, json=body)
                if response.status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2 * 2**attempt)
        log.warning("share-link finish hook failed after %d attempts: %s", FINISH_ATTEMPTS, url)

    async def drain(self) -> None:
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def aclose(self) -> None:
        await self.drain()
        await self.client.aclose()
