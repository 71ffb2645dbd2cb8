"""What every system tool shares: reading its inputs (incl. FastGPT's `system_input_config`
secrets) and making outbound HTTP calls that respect the `LINK_FETCH_*` settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from pyfastgpt.rag.readers.guarded_http import PublicOnlyTransport
from pyfastgpt.rag.readers.link import LinkFetchError, check_host
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.values import val_to_str

INPUT_CONFIG_KEY = "system_input_config"
# Engine-level inputs a tool never sees (FastGPT's runTool drops `system_input_config`).
NON_TOOL_KEYS = frozenset({INPUT_CONFIG_KEY, "system_forbid_stream"})


def secret_inputs(config: Any) -> dict[str, Any]:
    """FastGPT's `system_input_config` → plain values (`getSecretValue` for `manual` configs).

    `{type: 'manual', value: {key: {value, secret}}}` gives each key's plain `value`; a value kept
    only encrypted (`secret`) was encrypted with the FastGPT server's key and cannot be read here.
    `system` configs are the admin's stored keys (none here); `team` is refused like FastGPT."""
    if not isinstance(config, dict):
        return {}
    kind = config.get("type") or "system"
    if kind == "team":
        raise NodeRunError("This is not supported yet")
    if kind != "manual":
        return {}
    result: dict[str, Any] = {}
    for key, stored in (config.get("value") or {}).items():
        if isinstance(stored, dict):
            if stored.get("value") not in (None, ""):
                result[key] = stored["value"]
            elif stored.get("secret"):
                raise NodeRunError(
                    f"The secret '{key}' is stored encrypted by another FastGPT server; enter it again in the node"
                )
        elif stored not in (None, ""):
            result[key] = stored
    return result


def tool_inputs(params: dict[str, Any]) -> dict[str, Any]:
    """The node's params as a tool's inputs: engine keys removed, manual secrets merged in."""
    inputs = {k: v for k, v in params.items() if k not in NON_TOOL_KEYS}
    return {**inputs, **secret_inputs(params.get(INPUT_CONFIG_KEY))}


def text_input(inputs: dict[str, Any], *keys: str) -> str:
    """The first non-empty input among `keys` (FastGPT's new key first, then old Chinese keys)."""
    for key in keys:
        value = inputs.get(key)
        if value is None or value == "":
            continue
        return value if isinstance(value, str) else val_to_str(value)
    return ""


@asynccontextmanager
async def outbound_http(ctx: NodeContext, url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for a call to `url`: http(s) only, and private/loopback/link-local
    addresses refused (also at connect time) unless `LINK_FETCH_ALLOW_PRIVATE`."""
    settings = ctx.settings
    try:
        await check_host(url, allow_private=settings.link_fetch_allow_private)
    except LinkFetchError as error:
        raise NodeRunError(str(error)) from error
    async with httpx.AsyncClient(
        timeout=settings.link_fetch_timeout_s,
        transport=None if settings.link_fetch_allow_private else PublicOnlyTransport(),
        headers={"User-Agent": "Mozilla/5.0 (compatible; pyfastgpt-system-tool/0.1)"},
    ) as client:
        yield client


async def post_json(ctx: NodeContext, url: str, body: Any, *, what: str) -> httpx.Response:
    """POST `body` as JSON to a user-supplied endpoint; transport failures become node errors."""
    async with outbound_http(ctx, url) as client:
        try:
            return await client.post(url, json=body)
        except httpx.HTTPError as error:
            raise NodeRunError(f"{what} request failed: {error or type(error).__name__}") from error
