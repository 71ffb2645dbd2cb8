"""Votes, custom feedback, admin corrections and the question guide."""

from __future__ import annotations

from typing import Any

from tests.api.core.chat.support import call, chat, data_of, new_chat_id, records, refused, stored_chat
from tests.api.v1.chat.helpers import create_app
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer

FEEDBACK_APP: dict[str, Any] = {
    "nodes": [
        {
            "nodeId": "start",
            "name": "Start",
            "flowNodeType": "workflowStart",
            "inputs": [{"key": "userChatInput", "renderTypeList": ["reference"], "valueType": "string"}],
            "outputs": [{"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"}],
        },
        {
            "nodeId": "answer",
            "name": "Answer",
            "flowNodeType": "answerNode",
            "inputs": [{"key": "text", "renderTypeList": ["textarea"], "valueType": "any", "value": "noted"}],
            "outputs": [],
        },
        {
            "nodeId": "fb",
            "name": "Feedback",
            "flowNodeType": "customFeedback",
            "inputs": [
                {
                    "key": "system_textareaInput",
                    "renderTypeList": ["textarea"],
                    "valueType": "string",
                    "value": "check me",
                }
            ],
            "outputs": [],
        },
    ],
    "edges": [
        {
            "source": "start",
            "target": "answer",
            "sourceHandle": "start-source-right",
            "targetHandle": "answer-target-left",
        },
        {"source": "answer", "target": "fb", "sourceHandle": "answer-source-right", "targetHandle": "fb-target-left"},
    ],
    "chatConfig": {},
}


def feedback(server: LiveServer, key: str, body: dict[str, Any]) -> Any:
    return call(server, key, "POST", "/api/core/chat/feedback/updateUserFeedback", json=body)


def test_votes_set_replace_and_clear(server: LiveServer) -> None:
    app_id, key = create_app(server, FEEDBACK_APP)
    chat_id = new_chat_id("f")
    chat(server, key, "rate me", chat_id)
    ai = records(server, key, app_id, chat_id)["list"][1]
    ref = {"appId": app_id, "chatId": chat_id, "dataId": ai["dataId"]}
    assert data_of(feedback(server, key, {**ref, "userGoodFeedback": "yes"})) is None
    voted = records(server, key, app_id, chat_id)["list"][1]
    assert voted["userGoodFeedback"] == "yes" and "userBadFeedback" not in voted
    stored = stored_chat(server, app_id, chat_id)
    assert stored is not None and stored.has_good_feedback and not stored.has_bad_feedback

    data_of(feedback(server, key, {**ref, "userBadFeedback": "wrong"}))  # the good vote is omitted: removed
    voted = records(server, key, app_id, chat_id)["list"][1]
    assert voted["userBadFeedback"] == "wrong" and "userGoodFeedback" not in voted
    stored = stored_chat(server, app_id, chat_id)
    assert stored is not None and not stored.has_good_feedback and stored.has_bad_feedback

    data_of(feedback(server, key, ref))
    cleared = records(server, key, app_id, chat_id)["list"][1]
    assert "userBadFeedback" not in cleared and "userGoodFeedback" not in cleared
    stored = stored_chat(server, app_id, chat_id)
    assert stored is not None and not stored.has_good_feedback and not stored.has_bad_feedback
    refused(feedback(server, key, {**ref, "dataId": "missing", "userGoodFeedback": "yes"}), 404, "invalidResource")
    refused(feedback(server, key, {"appId": app_id, "chatId": chat_id}), 400, "missingParams")


def test_custom_feedback_close_and_admin_update(server: LiveServer) -> None:
    app_id, key = create_app(server, FEEDBACK_APP)
    chat_id = new_chat_id("cf")
    chat(server, key, "flag it", chat_id)
    ai = records(server, key, app_id, chat_id, loadCustomFeedbacks=True)["list"][1]
    assert ai["customFeedbacks"] == ["check me"]
    ref = {"appId": app_id, "chatId": chat_id, "dataId": ai["dataId"]}
    data_of(call(server, key, "POST", "/api/core/chat/feedback/closeCustom", json={**ref, "index": 0}))
    assert records(server, key, app_id, chat_id, loadCustomFeedbacks=True)["list"][1]["customFeedbacks"] == []
    correction = {**ref, "datasetId": "d1", "collectionId": "c1", "feedbackDataId": "x1", "q": "flag it", "a": "fixed"}
    data_of(call(server, key, "POST", "/api/core/chat/feedback/adminUpdate", json=correction))
    admin = records(server, key, app_id, chat_id)["list"][1]["adminFeedback"]
    assert admin == {"datasetId": "d1", "collectionId": "c1", "dataId": "x1", "q": "flag it", "a": "fixed"}


def test_votes_move_the_analytics_counters(server: LiveServer) -> None:
    import asyncio

    from sqlalchemy import func, select

    from pyfastgpt.store.db import Database
    from pyfastgpt.store.models import AppChatLog

    app_id, key = create_app(server, FEEDBACK_APP)
    chat_id = new_chat_id("an")
    chat(server, key, "count me", chat_id)
    ai = records(server, key, app_id, chat_id)["list"][1]
    ref = {"appId": app_id, "chatId": chat_id, "dataId": ai["dataId"]}

    def counts() -> tuple[int, int]:
        async def read() -> tuple[int, int]:
            db = Database(server.settings.resolved_database_url)
            try:
                async with db.read() as session:
                    row = (
                        await session.execute(
                            select(
                                func.coalesce(func.sum(AppChatLog.good_feedback_count), 0),
                                func.coalesce(func.sum(AppChatLog.bad_feedback_count), 0),
                            ).where(AppChatLog.app_id == app_id, AppChatLog.chat_id == chat_id)
                        )
                    ).one()
                    return int(row[0]), int(row[1])
            finally:
                await db.dispose()

        return asyncio.run(read())

    stored = stored_chat(server, app_id, chat_id)
    assert stored is not None

    async def ensure_row() -> None:
        """The round's analytics row (written by the chat round once it is wired to `record_round`)."""
        from pyfastgpt.core.clock import utcnow
        from pyfastgpt.services.analytics.chat_logs import record_round

        db = Database(server.settings.resolved_database_url)
        try:
            async with db.read() as session:
                rows = (
                    await session.execute(
                        select(func.count()).select_from(AppChatLog).where(AppChatLog.app_id == app_id)
                    )
                ).scalar_one()
            if rows == 0:
                await db.run_write(
                    lambda conn: record_round(
                        conn, team_id=stored.team_id, app_id=app_id, chat_id=chat_id, user_id=stored.tmb_id,
                        source="api", source_name="", points=0.0, error=False, duration_s=0.1, now=utcnow(),
                    )
                )  # fmt: skip
        finally:
            await db.dispose()

    asyncio.run(ensure_row())
    data_of(feedback(server, key, {**ref, "userGoodFeedback": "yes"}))
    assert counts() == (1, 0)
    data_of(feedback(server, key, {**ref, "userGoodFeedback": "still yes"}))
    assert counts() == (1, 0)
    data_of(feedback(server, key, {**ref, "userBadFeedback": "no"}))
    assert counts() == (0, 1)
    data_of(feedback(server, key, ref))
    assert counts() == (0, 0)


def test_question_guide_v2_uses_the_chat_and_the_prompt(server: LiveServer, fake: FakeLLM) -> None:
    chat_id = new_chat_id("qg")
    fake.script(Reply(content="Rome is old."))
    chat(server, server.app_key, "Tell me about Rome", chat_id)
    fake.script(Reply(content="Here you go: ['Why Rome?', \"Best food?\", 'When to go?', 'Extra?']"))
    body = {"appId": server.app_id, "chatId": chat_id}
    questions = data_of(call(server, server.app_key, "POST", "/api/core/ai/agent/v2/createQuestionGuide", json=body))
    assert questions == ["Why Rome?", "Best food?", "When to go?"]
    sent = fake.requests[-1]
    contents = [str(m.get("content")) for m in sent["messages"]]
    assert contents[0] == "Tell me about Rome" and contents[1] == "Rome is old."
    assert "predicting the user's next question" in contents[-1] and "JSON format" in contents[-1]
    assert sent["temperature"] == 0.1

    fake.script(Reply(content='["Only one"]'))
    custom = {**body, "questionGuide": {"open": True, "customPrompt": "CUSTOM PROMPT"}}
    assert data_of(call(server, server.app_key, "POST", "/api/core/ai/agent/v2/createQuestionGuide", json=custom)) == [
        "Only one"
    ]
    assert str(fake.requests[-1]["messages"][-1]["content"]).startswith("CUSTOM PROMPT\n")

    fake.script(Reply(content="no list here"))
    assert data_of(call(server, server.app_key, "POST", "/api/core/ai/agent/v2/createQuestionGuide", json=body)) == []
    # a model name this deployment does not know runs the default model (FastGPT's getLLMModel)
    fake.script(Reply(content='["From the default"]'))
    other_model = {**body, "questionGuide": {"open": True, "model": "qwen-plus"}}
    response = call(server, server.app_key, "POST", "/api/core/ai/agent/v2/createQuestionGuide", json=other_model)
    assert data_of(response) == ["From the default"]
    assert fake.requests[-1]["model"] == "fake-llm"


def test_question_guide_v1_takes_messages(server: LiveServer, fake: FakeLLM) -> None:
    fake.script(Reply(content="['A?', 'B?', 'C?']"))
    body = {"messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]}
    assert data_of(call(server, server.app_key, "POST", "/api/core/ai/agent/createQuestionGuide", json=body)) == [
        "A?",
        "B?",
        "C?",
    ]
    assert [m["role"] for m in fake.requests[-1]["messages"]] == ["user", "assistant", "user"]
    refused(
        call(server, server.app_key, "POST", "/api/core/ai/agent/createQuestionGuide", json={"messages": []}),
        400,
        "invalidParams",
    )
