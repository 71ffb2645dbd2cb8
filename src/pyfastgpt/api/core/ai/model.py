"""`GET /api/core/ai/model/list`: the models clients may pick, shaped like FastGPT's `ModelListItem`.

Reads the registry from `request.app.state.registry`. No secrets (base URLs, keys) are exposed.
With `pageNum` and `pageSize` query parameters the answer is `{list, total}`, else a plain list.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from pyfastgpt.ai.protocols import ModelInfo, ModelRegistry
from pyfastgpt.core.errors import InvalidRequest

router = APIRouter()


def model_list_item(info: ModelInfo) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": info.id,
        "type": info.type,
        "provider": info.provider,
        "model": info.id,
        "name": info.name,
        "avatar": info.avatar or None,
        "charsPointsPrice": info.chars_points_price,
        "inputPrice": info.input_price,
        "outputPrice": info.output_price,
        "priceTiers": [
            {"maxInputTokens": t.max_input_tokens, "inputPrice": t.input_price, "outputPrice": t.output_price}
            for t in info.price_tiers
        ]
        or None,
        "isActive": True,
        "isCustom": False,
        "isTuned": False,
        "isDefault": info.is_default,
        "contextToken": info.max_context,
        "isShared": False,
    }
    if info.type == "llm":
        item |= {
            "vision": info.vision,
            "toolChoice": info.tool_choice,
            "functionCall": info.function_call,
            "reasoning": info.reasoning,
            "maxResponse": info.max_response,
            "quoteMaxToken": info.quote_max_token or info.max_context // 2,
        }
    elif info.type == "embedding":
        item |= {
            "defaultToken": info.default_token or min(512, info.max_context),
            "maxToken": info.max_context,
            "dimension": info.dimension,
        }
    return {key: value for key, value in item.items() if value is not None}


def _envelope(data: Any) -> dict[str, Any]:
    return {"code": 200, "statusText": "", "message": "", "data": data}


@router.get("/api/core/ai/model/list")
async def list_models(
    request: Request,
    page_num: int | None = Query(None, alias="pageNum", json_schema_extra={"minimum": 1}),
    page_size: int | None = Query(None, alias="pageSize", json_schema_extra={"minimum": 1}),
) -> dict[str, Any]:
    registry: ModelRegistry = request.app.state.registry
    items = [model_list_item(info) for info in registry.list_models()]
    if page_num is None or page_size is None:
        return _envelope(items)
    if page_num < 1 or page_size < 1:
        raise InvalidRequest("pageNum and pageSize must be positive integers")
    start = (page_num - 1) * page_size
    return _envelope({"list": items[start : start + page_size], "total": len(items)})
