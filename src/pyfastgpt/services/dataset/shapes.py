"""FastGPT's JSON shapes for datasets, collections, data and training jobs."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.core.clock import iso

OWNER_PERMISSION = {"value": 4294967295, "isOwner": True, "hasManagePer": True, "hasWritePer": True, "hasReadPer": True}


def model_object(registry: ModelRegistry, model_id: str) -> dict[str, Any]:
    """A model id expanded the way FastGPT's dataset detail shows it (id only when unknown)."""
    try:
        info = registry.info(model_id)
    except Exception:
        return {"model": model_id, "name": model_id}
    shape: dict[str, Any] = {"model": info.id, "name": info.name, "provider": info.provider, "type": info.type}
    if info.type == "embedding":
        shape.update(maxToken=info.max_context, defaultToken=info.default_token or 512, weight=100)
    else:
        shape.update(maxContext=info.max_context, maxResponse=info.max_response, quoteMaxToken=info.quote_max_token)
    return shape


def public_api_server(stored: dict[str, Any]) -> dict[str, Any]:
    """The file server of an API dataset without its credential (FastGPT shows no authorization)."""
    server = dict(stored.get("apiServer") or {})
    if server.get("authorization"):
        server["authorization"] = ""
    return {**stored, "apiServer": server}


def dataset_shape(row: Any) -> dict[str, Any]:
    return {
        "_id": row.id,
        "parentId": row.parent_id,
        "teamId": row.team_id,
        "tmbId": row.tmb_id,
        "type": row.type,
        "name": row.name,
        "avatar": row.avatar,
        "intro": row.intro,
        "vectorModel": row.vector_model,
        "agentModel": row.agent_model,
        "vlmModel": row.vlm_model,
        "chunkSettings": row.chunk_settings,
        "websiteConfig": row.website_config,
        **({"apiDatasetServer": public_api_server(row.api_dataset_server)} if row.api_dataset_server else {}),
        "inheritPermission": True,
        "createTime": iso(row.create_time),
        "updateTime": iso(row.update_time),
        "permission": OWNER_PERMISSION,
    }


def collection_shape(row: Any) -> dict[str, Any]:
    settings = dict(row.chunk_settings or {})
    return {
        "_id": row.id,
        "parentId": row.parent_id,
        "teamId": row.team_id,
        "tmbId": row.tmb_id,
        "datasetId": row.dataset_id,
        "type": row.type,
        "name": row.name,
        "tags": list(row.tags or []),
        "fileId": row.file_id,
        "rawLink": row.raw_link,
        "rawTextLength": row.raw_text_length,
        "hashRawText": row.hash_raw_text,
        "metadata": row._mapping["metadata"] or {},
        "forbid": bool(row.forbid),
        "createTime": iso(row.create_time),
        "updateTime": iso(row.update_time),
        **settings,
        "trainingType": row.training_type,
    }


def source_of(row: Any) -> dict[str, Any]:
    return {"sourceName": row.name, "sourceId": row.file_id or row.raw_link or None}


def data_shape(row: Any) -> dict[str, Any]:
    return {
        "_id": row.id,
        "id": row.id,
        "teamId": row.team_id,
        "tmbId": row.tmb_id,
        "datasetId": row.dataset_id,
        "collectionId": row.collection_id,
        "q": row.q,
        "a": row.a,
        "chunkIndex": row.chunk_index,
        "updateTime": iso(row.update_time),
        "rebuilding": bool(row.rebuilding),
    }


def training_shape(row: Any) -> dict[str, Any]:
    return {
        "_id": row.id,
        "teamId": row.team_id,
        "tmbId": row.tmb_id,
        "datasetId": row.dataset_id,
        "collectionId": row.collection_id,
        "billId": row.bill_id,
        "mode": row.mode,
        "lockTime": iso(row.lock_time),
        "retryCount": row.retry_count,
        "q": row.q,
        "a": row.a,
        "chunkIndex": row.chunk_index,
        "indexSize": row.index_size,
        "weight": row.weight,
        "dataId": row.data_id,
        "indexes": row.indexes or [],
        "errorMsg": row.error_msg,
        "createTime": iso(row.create_time),
    }
