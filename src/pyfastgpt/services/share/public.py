"""`filterPublicNodeResponseData`: what a share-link visitor may see of the node responses."""

from __future__ import annotations

from typing import Any

PUBLIC_NODE_TYPES = frozenset({"pluginOutput", "datasetSearchNode", "agent", "tools"})


def filter_public_responses(
    responses: list[dict[str, Any]], *, show_cite: bool, show_full_text: bool
) -> list[dict[str, Any]]:
    fields = {"moduleType", "moduleName", "pluginOutput", "runningTime", "nodeId", "id"}
    if show_cite:
        fields.add("quoteList")
    public: list[dict[str, Any]] = []
    for response in responses:
        if response.get("moduleType") not in PUBLIC_NODE_TYPES:
            continue
        item: dict[str, Any] = {}
        for key, value in response.items():
            if key in ("toolDetail", "pluginDetail") and isinstance(value, list):
                item[key] = filter_public_responses(value, show_cite=show_cite, show_full_text=show_full_text)
            elif key in fields:
                item[key] = value
        if "quoteList" in item and not show_full_text:
            item["quoteList"] = [_short_quote(q) for q in item["quoteList"] or []]
        public.append(item)
    return public


def _short_quote(quote: dict[str, Any]) -> dict[str, Any]:
    short = dict(quote)
    for key in ("q", "a"):
        if isinstance(short.get(key), str) and len(short[key]) > 100:
            short[key] = short[key][:100] + "…"
    return short
