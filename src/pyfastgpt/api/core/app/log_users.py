"""`POST /api/core/app/logs/getUsers` (also under `/api/proApi`): the users of an app's chat logs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.app.logs import LOG_PREFIXES, RequiredDate, _range
from pyfastgpt.api.deps import Apps, Auth, Svc
from pyfastgpt.api.envelope import ok
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.limits import Offset, PageNum, SearchText
from pyfastgpt.services.analytics.log_users import LogUsersQuery, log_users

router = APIRouter(tags=["app logs"])


def _dates_required(schema: dict[str, Any]) -> None:
    schema.setdefault("required", []).extend(["dateStart", "dateEnd"])
    for name in ("dateStart", "dateEnd"):
        schema["properties"][name].pop("default", None)


class LogUsersBody(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra=_dates_required)
    appId: str = Field(min_length=1)
    dateStart: RequiredDate = None  # `null` or absent: refused (`missingParams`)
    dateEnd: RequiredDate = None
    searchKey: SearchText | None = None
    sources: list[str] | None = None
    offset: Offset | None = None
    pageNum: PageNum | None = None
    pageSize: int = Field(50, ge=1, le=500)


async def get_users(body: LogUsersBody, auth: Auth, apps: Apps, svc: Svc) -> Any:
    date_start, date_end = _range(body.dateStart, body.dateEnd)
    if date_start is None or date_end is None:
        raise InvalidRequest("dateStart and dateEnd are required", key="missingParams")
    app = await apps.get(auth, body.appId)
    offset = body.offset if body.offset is not None else ((body.pageNum or 1) - 1) * body.pageSize
    query = LogUsersQuery(
        team_id=app.team_id,
        app_id=app.id,
        date_start=date_start,
        date_end=date_end,
        sources=tuple(body.sources or ()),
        search_key=(body.searchKey or "").strip(),
        offset=offset,
        page_size=body.pageSize,
    )
    async with svc.db.read() as session:
        return ok(await log_users(session, query))


for prefix in LOG_PREFIXES:
    router.add_api_route(f"{prefix}/getUsers", get_users, methods=["POST"], response_model=None)
