"""Wire shapes of stored chats and messages (FastGPT 4.11 `transformPreviewHistories`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from pyfastgpt.core.clock import iso
from pyfastgpt.store.models import Chat, ChatItem

LLM_NODE_TYPES = frozenset({"chatNode", "tools"})
CHILD_RESPONSE_KEYS = ("pluginDetail", "toolDetail", "loopDetail")


class HistoryRow(NamedTuple):
    """What a history list shows: read alone, not the whole row (its JSON columns cost most of the page)."""

    chat_id: str
    update_time: datetime
    app_id: str
    custom_title: str
    title: str
    top: bool
    chat_generate_status: int
    has_been_read: bool | None


HISTORY_COLUMNS = tuple(getattr(Chat, name) for name in HistoryRow._fields)


def history_item(chat: Chat | HistoryRow) -> dict[str, Any]:
    """A `getHistories` entry, from a `Chat` or a `HistoryRow`."""
    item = {
        "chatId": chat.chat_id,
        "updateTime": iso(chat.update_time),
        "appId": chat.app_id,
        "customTitle": chat.custom_title or "",
        "title": chat.title or "",
        "top": bool(chat.top),
        "chatGenerateStatus": chat.chat_generate_status,
    }
    if chat.has_been_read is not None:
        item["hasBeenRead"] = chat.has_been_read
    return item


class RecordRow(NamedTuple):
    """What a record shows: read as rows of these columns (`RECORD_COLUMNS`) instead of `ChatItem` objects."""

    id: int
    data_id: str
    obj: str
    value: list[Any]
    time: datetime
    hide_in_ui: bool
    user_good_feedback: str | None
    user_bad_feedback: str | None
    admin_feedback: dict[str, Any] | None
    duration_seconds: float | None
    error_msg: str | None
    custom_feedbacks: list[Any] | None


RECORD_COLUMNS = tuple(getattr(ChatItem, name) for name in RecordRow._fields)


def flat_responses(responses: list[Any]) -> list[dict[str, Any]]:
    """`getFlatAppResponses`: every node response, children (plugin/tool/loop runs) included."""
    flat: list[dict[str, Any]] = []
    for response in responses:
        if not isinstance(response, dict):
            continue
        flat.append(response)
        for key in CHILD_RESPONSE_KEYS:
            children = response.get(key)
            if isinstance(children, list):
                flat.extend(flat_responses(children))
    return flat


def statistics(responses: list[Any]) -> dict[str, Any]:
    """`addStatisticalDataToHistoryItem`: quote list, LLM node count and history window of an answer."""
    flat = flat_responses(responses)
    llm_nodes = [r for r in flat if r.get("moduleType") in LLM_NODE_TYPES]
    quotes: list[Any] = []
    for response in flat:
        if response.get("moduleType") == "datasetSearchNode":
            quotes.extend(q for q in response.get("quoteList") or [] if q)
    preview = llm_nodes[0].get("historyPreview") if llm_nodes else None
    return {
        "totalQuoteList": quotes,
        "llmModuleAccount": len(llm_nodes),
        "historyPreviewLength": len(preview) if isinstance(preview, list) else None,
        "totalRunningTime": round(sum(float(r.get("runningTime") or 0) for r in responses if isinstance(r, dict)), 2),
    }


def record_item(
    item: ChatItem | RecordRow,
    responses: list[Any] | None,
    *,
    custom_feedbacks: bool,
    full_responses: bool = False,
) -> dict[str, Any]:
    """One message as `getPaginationRecords` lists it (from a `ChatItem` or a `RecordRow`); absent
    values are left out, as MongoDB does."""
    data: dict[str, Any] = {
        "_id": str(item.id),
        "dataId": item.data_id,
        "obj": item.obj,
        "value": item.value or [],
        "time": iso(item.time),
        "hideInUI": bool(item.hide_in_ui),
        "userGoodFeedback": item.user_good_feedback,
        "userBadFeedback": item.user_bad_feedback,
        "adminFeedback": item.admin_feedback,
        "durationSeconds": item.duration_seconds,
        "errorMsg": item.error_msg,
    }
    if custom_feedbacks:
        data["customFeedbacks"] = list(item.custom_feedbacks or [])
    if item.obj == "AI" and responses is not None:
        if full_responses:
            data["responseData"] = responses
        data |= statistics(responses)
    return {key: value for key, value in data.items() if value is not None}
