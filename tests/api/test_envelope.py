"""`ok_as_documented`: the hot read routes send their payload without FastAPI's response-model pass, so the
payload must already be exactly what the route's model dumps — for records with votes, custom and admin
feedback, an error and a run's details, and for histories renamed, pinned and read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pyfastgpt.api.core.chat.history import HistoryPage
from pyfastgpt.api.core.chat.record import CursorPage, RecordPage
from pyfastgpt.api.envelope import Envelope
from tests.api.core.chat.support import call, chat, data_of, new_chat_id, records
from tests.api.core.chat.test_feedback_and_guide import FEEDBACK_APP, feedback
from tests.api.v1.chat.helpers import create_app
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer


def as_documented(model: type[BaseModel], sent: dict[str, Any], **options: bool) -> dict[str, Any]:
    """What FastAPI would have sent for `sent` through `model` (the route's response_model options)."""
    dumped: dict[str, Any] = model.model_validate(sent).model_dump(mode="json", by_alias=True, **options)
    return dumped


def test_records_and_histories_are_sent_as_their_models_dump_them(server: LiveServer, fake: FakeLLM) -> None:
    app_id, key = create_app(server, FEEDBACK_APP)
    chat_id = new_chat_id("doc")
    chat(server, key, "first", chat_id)
    chat(server, key, "second", chat_id, detail=True)
    first_ai = records(server, key, app_id, chat_id)["list"][1]
    ref = {"appId": app_id, "chatId": chat_id, "dataId": first_ai["dataId"]}
    data_of(feedback(server, key, {**ref, "userBadFeedback": "wrong"}))
    correction = {**ref, "datasetId": "d1", "collectionId": "c1", "feedbackDataId": "x1", "q": "first", "a": "fixed"}
    data_of(call(server, key, "POST", "/api/core/chat/feedback/adminUpdate", json=correction))
    data_of(call(server, key, "POST", "/api/core/chat/updateHistory", json={"appId": app_id, "chatId": chat_id,
                                                                           "customTitle": "renamed", "top": True}))  # fmt: skip
    fake.script(*[Reply(fault="500")] * 5)
    failed = new_chat_id("err")
    with server.client(server.app_key) as client:
        assert client.post("/api/v1/chat/completions",
                           json={"chatId": failed, "messages": [{"role": "user", "content": "x"}]}).json()["error"]  # fmt: skip

    pages: list[tuple[str, str, dict[str, Any], type[BaseModel], dict[str, bool]]] = []
    for owner, app, chat_ in ((key, app_id, chat_id), (server.app_key, server.app_id, failed)):
        for custom in (False, True):
            body = {"appId": app, "chatId": chat_, "offset": 0, "pageSize": 20, "loadCustomFeedbacks": custom}
            pages.append((owner, "/api/core/chat/getPaginationRecords", body, Envelope[RecordPage], {"exclude_unset": True}))  # fmt: skip
            cursor = {"appId": app, "chatId": chat_, "pageSize": 20, "loadCustomFeedbacks": custom}
            pages.append((owner, "/api/core/chat/record/getRecords_v2", cursor, Envelope[CursorPage], {"exclude_unset": True}))  # fmt: skip
        listing = {"appId": app, "offset": 0, "pageSize": 20}
        pages.append((owner, "/api/core/chat/getHistories", listing, Envelope[HistoryPage], {"exclude_none": True}))
    for owner, path, body, model, options in pages:
        response = call(server, owner, "POST", path, json=body)
        sent = response.json()
        assert response.status_code == 200 and sent["data"]["list"], (path, sent)
        assert as_documented(model, sent, **options) == sent, path
    error_page = records(server, server.app_key, server.app_id, failed)["list"]
    assert any(item.get("errorMsg") for item in error_page)
    assert any(item.get("adminFeedback") for item in records(server, key, app_id, chat_id)["list"])
