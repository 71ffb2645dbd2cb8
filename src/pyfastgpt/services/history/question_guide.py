"""Follow-up question suggestions (FastGPT `createQuestionGuide`): the last 6 messages plus FastGPT's
prompt go to the LLM, and the first JSON array in its answer is the result."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.core.json5 import parse_json5
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.history.access import find_chat
from pyfastgpt.services.history.base import HistoryBase
from pyfastgpt.services.usage import Usage, record_usage
from pyfastgpt.store.models import App, ChatItem
from pyfastgpt.workflow.chat_values import chats_to_messages

log = logging.getLogger("pyfastgpt.history")

HISTORY_ITEMS = 6
MAX_QUESTIONS = 3
PROMPT_QUESTION_GUIDE = (
    "You are an AI assistant tasked with predicting the user's next question based on the conversation "
    "history. Your goal is to generate 3 potential questions that will guide the user to continue the "
    "conversation. When generating these questions, adhere to the following rules:\n\n"
    "1. Use the same language as the user's last question in the conversation history.\n"
    "2. Keep each question under 20 characters in length.\n\n"
    "Analyze the conversation history provided to you and use it as context to generate relevant and "
    "engaging follow-up questions. Your predictions should be logical extensions of the current topic or "
    "related areas that the user might be interested in exploring further.\n\n"
    "Remember to maintain consistency in tone and style with the existing conversation while providing "
    "diverse options for the user to choose from. Your goal is to keep the conversation flowing naturally "
    "and help the user delve deeper into the subject matter or explore related topics."
)
PROMPT_QUESTION_GUIDE_FOOTER = (
    "Please strictly follow the format rules: \nReturn questions in JSON format: "
    "['Question 1', 'Question 2', 'Question 3']. Your output: "
)
USAGE_MODULE = "core.app.Question Guide"
OPENAI_ROLES = frozenset({"system", "user", "assistant"})


@dataclass(slots=True)
class QuestionGuideConfig:
    open: bool = True
    model: str | None = None
    custom_prompt: str | None = None


def parse_questions(answer: str) -> list[str]:
    """The first `[` to the last `]`, parsed leniently (single quotes allowed); [] when there is none."""
    start, end = answer.find("["), answer.rfind("]")
    if start == -1 or end < start:
        return []
    text = answer[start : end + 1].replace("\\n", "").replace("\\", "").replace("  ", "")
    try:
        parsed = parse_json5(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        log.warning("question guide answer is not a JSON array: %.200s", answer)
        return []
    if not isinstance(parsed, list):
        return []
    return [str(q).strip() for q in parsed if isinstance(q, str | int | float) and str(q).strip()][:MAX_QUESTIONS]


def openai_messages(messages: list[Any]) -> list[ChatMessage]:
    """OpenAI-style request messages (v1 route) as model messages; unknown roles are dropped."""
    result: list[ChatMessage] = []
    for message in messages:
        if isinstance(message, dict) and message.get("role") in OPENAI_ROLES:
            content = message.get("content")
            if isinstance(content, str | list):
                result.append(ChatMessage(role=message["role"], content=content))
    return result


def _config_of(chat_config: dict[str, Any]) -> QuestionGuideConfig:
    stored = chat_config.get("questionGuide")
    if isinstance(stored, dict):
        return QuestionGuideConfig(
            open=bool(stored.get("open")), model=stored.get("model") or None, custom_prompt=stored.get("customPrompt")
        )
    return QuestionGuideConfig(open=bool(stored))


def _last_items(session: Session, ctx: AuthContext, app: App, chat_id: str) -> list[ChatItem]:
    """The chat's last `HISTORY_ITEMS` live messages, oldest first ([] without a chat)."""
    chat = find_chat(session, ctx, app, chat_id) if chat_id else None
    if chat is None:
        return []
    query = (
        select(ChatItem)
        .where(ChatItem.app_id == app.id, ChatItem.chat_id == chat.chat_id, ChatItem.delete_time.is_(None))
        .order_by(ChatItem.id.desc())
        .limit(HISTORY_ITEMS)
    )
    return list(reversed(list(session.execute(query).scalars())))


class QuestionGuideMixin(HistoryBase):
    async def question_guide(
        self, ctx: AuthContext, app_id: str, chat_id: str, config: QuestionGuideConfig | None
    ) -> list[str]:
        """v2: suggestions for a stored chat; `config` overrides the app's published setting."""
        app = await self.app(ctx, app_id)
        items = await self.db.run_read_session(lambda session: _last_items(session, ctx, app, chat_id))
        if config is None:
            config = _config_of((await self.apps.published_of(app)).chat_config or {})
        history = chats_to_messages([{"obj": i.obj, "value": i.value or []} for i in items])
        return await self._suggest(ctx, history, config, app_id=app.id)

    async def question_guide_from_messages(self, ctx: AuthContext, messages: list[Any]) -> list[str]:
        """v1: suggestions for the conversation sent in the request."""
        return await self._suggest(ctx, openai_messages(messages), QuestionGuideConfig(), app_id=None)

    async def _suggest(
        self, ctx: AuthContext, history: list[ChatMessage], config: QuestionGuideConfig, *, app_id: str | None
    ) -> list[str]:
        prompt = f"{config.custom_prompt or PROMPT_QUESTION_GUIDE}\n{PROMPT_QUESTION_GUIDE_FOOTER}"
        model = self.registry.llm(config.model)
        result = await model.complete(
            ChatRequest(
                messages=[*history, ChatMessage(role="user", content=prompt)],
                model=model.model_id,
                temperature=0.1,
                max_tokens=200,
            )
        )
        questions = parse_questions(result.content)
        if questions:
            await self._record_usage(ctx, model.model_id, result.usage.input_tokens, result.usage.output_tokens, app_id)
        return questions

    async def _record_usage(
        self, ctx: AuthContext, model_id: str, input_tokens: int, output_tokens: int, app_id: str | None
    ) -> None:
        points = self.registry.points(model_id, input_tokens, output_tokens)
        item = {
            "moduleName": USAGE_MODULE,
            "model": model_id,
            "inputTokens": input_tokens,
            "outputTokens": output_tokens,
            "amount": points,
        }
        usage = Usage(
            team_id=ctx.team_id,
            tmb_id=ctx.tmb_id,
            app_id=app_id,
            source="api",
            app_name=USAGE_MODULE,
            total_points=points,
            items=[item],
        )
        await record_usage(self.db, usage)
