"""Votes and feedback: `/api/core/chat/feedback/{updateUserFeedback,closeCustom,adminUpdate}`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from pyfastgpt.api.core.chat.history import History
from pyfastgpt.api.deps import Caller
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.schema_docs import required_in_schema
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.history.feedback import AdminFeedback

router = APIRouter(prefix="/api/core/chat/feedback", tags=["chat feedback"])


class ItemRef(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra=required_in_schema(
            "appId", "dataId", descriptions={"dataId": "The message (FastGPT before 4.8 named it `chatItemId`)."}
        ),
    )
    appId: str = ""
    chatId: str = Field(min_length=1)
    dataId: str | None = None
    chatItemId: SkipJsonSchema[str | None] = None  # FastGPT before 4.8: still read, documented as `dataId`

    def data_id(self) -> str:
        data_id = self.dataId or self.chatItemId
        if not data_id:
            raise InvalidRequest("dataId is required", key="missingParams")
        return data_id


class UserFeedbackBody(ItemRef):
    userGoodFeedback: str | None = None
    userBadFeedback: str | None = None


class CloseCustomBody(ItemRef):
    index: int = Field(ge=0)


class AdminUpdateBody(ItemRef):
    datasetId: str
    collectionId: str
    feedbackDataId: str | None = None
    q: str
    a: str = ""


@router.post("/updateUserFeedback", response_model=Envelope[None])
async def update_user_feedback(body: UserFeedbackBody, auth: Caller, history: History) -> dict[str, Any]:
    await history.update_user_feedback(
        auth, body.appId, body.chatId, body.data_id(), good=body.userGoodFeedback, bad=body.userBadFeedback
    )
    return ok(None)


@router.post("/closeCustom", response_model=Envelope[None])
async def close_custom(body: CloseCustomBody, auth: Caller, history: History) -> dict[str, Any]:
    await history.close_custom_feedback(auth, body.appId, body.chatId, body.data_id(), body.index)
    return ok(None)


@router.post("/adminUpdate", response_model=Envelope[None])
async def admin_update(body: AdminUpdateBody, auth: Caller, history: History) -> dict[str, Any]:
    feedback = AdminFeedback(
        dataset_id=body.datasetId,
        collection_id=body.collectionId,
        data_id=body.feedbackDataId or "",
        q=body.q,
        a=body.a,
    )
    await history.admin_update(auth, body.appId, body.chatId, body.data_id(), feedback)
    return ok(None)
