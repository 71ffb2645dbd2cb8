"""Question guide: `POST /api/core/ai/agent/v2/createQuestionGuide` (a stored chat) and the v1
`/api/core/ai/agent/createQuestionGuide` (messages in the request); `data` is a list of questions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.chat.history import History
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.schema_docs import required_in_schema
from pyfastgpt.services.history.question_guide import QuestionGuideConfig

router = APIRouter(prefix="/api/core/ai/agent", tags=["question guide"])


class QuestionGuideSettings(BaseModel):
    model_config = ConfigDict(extra="allow")
    open: bool = True
    model: str | None = None
    customPrompt: str | None = None


class QuestionGuideBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("appId"))
    appId: str = ""
    chatId: str = ""
    questionGuide: QuestionGuideSettings | None = None


class QuestionGuideV1Body(BaseModel):
    model_config = ConfigDict(extra="allow")
    messages: list[dict[str, Any]] = Field(min_length=1)


@router.post("/v2/createQuestionGuide", response_model=Envelope[list[str]])
async def create_question_guide(body: QuestionGuideBody, auth: Caller, history: History) -> dict[str, Any]:
    settings = body.questionGuide
    config = (
        QuestionGuideConfig(open=settings.open, model=settings.model or None, custom_prompt=settings.customPrompt)
        if settings is not None
        else None
    )
    return ok(await history.question_guide(auth, body.appId, body.chatId, config))


@router.post("/createQuestionGuide", response_model=Envelope[list[str]])
async def create_question_guide_v1(body: QuestionGuideV1Body, auth: Caller, history: History) -> dict[str, Any]:
    return ok(await history.question_guide_from_messages(auth, body.messages))
