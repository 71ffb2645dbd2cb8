"""App logs and analytics: `/api/proApi/core/app/logs/*` and `/api/core/app/logs/*` (one implementation).

Routes: ``getTotalData`` (GET), ``getChartData``, ``list`` (4.11: ``/api/core/app/getChatLogs``) and the
streamed CSV ``exportLogs`` (4.11: ``/api/core/app/exportChatLogs``). Callers: the root key, a team key,
or the app's own key (these are reads).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from pyfastgpt.api.deps import Apps, Auth, Svc
from pyfastgpt.api.envelope import ok
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.limits import Offset, PageNum, SearchText
from pyfastgpt.services.analytics.chart import ChartQuery, chart_data, total_data
from pyfastgpt.services.analytics.log_list import ErrorFilter, FeedbackType, LogFilter, export_csv, list_logs
from pyfastgpt.services.analytics.timespans import Timespan

router = APIRouter(tags=["app logs"])
LOG_PREFIXES = ("/api/core/app/logs", "/api/proApi/core/app/logs")

DateInput = str | int | float | None
# What `parse_date` reads: ISO 8601 text (naive means UTC) or epoch milliseconds within datetime's years.
DATE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "number", "minimum": 0, "maximum": 253_402_300_799_000},
    ],
    "description": "ISO 8601 date or date-time (naive means UTC), or epoch milliseconds",
}
RequiredDate = Annotated[DateInput, WithJsonSchema(DATE_SCHEMA)]  # `null` is refused (`missingParams`)
OptionalDate = Annotated[DateInput, WithJsonSchema({**DATE_SCHEMA, "anyOf": [*DATE_SCHEMA["anyOf"], {"type": "null"}]})]


class ChartBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    appId: str = Field(min_length=1)
    dateStart: RequiredDate
    dateEnd: RequiredDate
    source: list[str] | None = None
    offset: int = Field(1, ge=0, le=1000)
    userTimespan: Timespan = Timespan.day
    chatTimespan: Timespan = Timespan.day
    appTimespan: Timespan = Timespan.day


class LogFilterBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    appId: str = Field(min_length=1)
    dateStart: OptionalDate = None
    dateEnd: OptionalDate = None
    sources: list[str] | None = None
    tmbIds: list[str] | None = None
    chatSearch: SearchText | None = None
    feedbackType: FeedbackType = "all"
    errorFilter: ErrorFilter = "all"


class ListBody(LogFilterBody):
    offset: Offset = 0
    pageSize: int = Field(20, ge=1, le=500)
    pageNum: PageNum | None = None


class ExportBody(LogFilterBody):
    title: str | None = None


def parse_date(value: DateInput, name: str) -> datetime | None:
    """ISO 8601 text (naive means UTC) or epoch milliseconds."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value) / 1000, UTC)
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError, OSError) as exc:
        raise InvalidRequest(f"{name} is not a valid date: {value!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _range(start: DateInput, end: DateInput) -> tuple[datetime | None, datetime | None]:
    date_start, date_end = parse_date(start, "dateStart"), parse_date(end, "dateEnd")
    if date_start is not None and date_end is not None and date_start > date_end:
        raise InvalidRequest("dateStart must not be after dateEnd")
    return date_start, date_end


@lru_cache(maxsize=16)
def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _route(suffix: str, methods: list[str], extra_paths: tuple[str, ...] = ()) -> Callable[[Any], Any]:
    def register(endpoint: Any) -> Any:
        for path in (*(prefix + suffix for prefix in LOG_PREFIXES), *extra_paths):
            router.add_api_route(path, endpoint, methods=methods, response_model=None)
        return endpoint

    return register


@_route("/getTotalData", ["GET"])
async def get_total_data(auth: Auth, apps: Apps, svc: Svc, appId: str = Query(min_length=1)) -> Any:
    app = await apps.get(auth, appId)
    async with svc.db.read() as session:
        totals = await total_data(session, team_id=app.team_id, app_id=app.id)
    return ok({**totals, "totalChat": totals["totalChats"]})


@_route("/getChartData", ["POST"])
async def get_chart_data(body: ChartBody, auth: Auth, apps: Apps, svc: Svc) -> Any:
    date_start, date_end = _range(body.dateStart, body.dateEnd)
    if date_start is None or date_end is None:
        raise InvalidRequest("dateStart and dateEnd are required", key="missingParams")
    app = await apps.get(auth, body.appId)
    query = ChartQuery(
        team_id=app.team_id,
        app_id=app.id,
        date_start=date_start,
        date_end=date_end,
        sources=tuple(body.source or ()),
        offset=body.offset,
        user_timespan=body.userTimespan,
        chat_timespan=body.chatTimespan,
        app_timespan=body.appTimespan,
    )
    async with svc.db.read() as session:
        return ok(await chart_data(session, query, zone_of(svc.settings.timezone)))


def _filter(body: LogFilterBody, team_id: str, app_id: str) -> LogFilter:
    date_start, date_end = _range(body.dateStart, body.dateEnd)
    return LogFilter(
        team_id=team_id,
        app_id=app_id,
        date_start=date_start,
        date_end=date_end,
        sources=tuple(body.sources or ()),
        tmb_ids=tuple(body.tmbIds or ()),
        chat_search=(body.chatSearch or "").strip(),
        feedback_type=body.feedbackType,
        error_filter=body.errorFilter,
    )


@_route("/list", ["POST"], ("/api/core/app/getChatLogs",))
async def list_chat_logs(body: ListBody, auth: Auth, apps: Apps, svc: Svc) -> Any:
    app = await apps.get(auth, body.appId)
    spec = _filter(body, app.team_id, app.id)
    offset = (body.pageNum - 1) * body.pageSize if body.pageNum else body.offset
    async with svc.db.read() as session:
        return ok(await list_logs(session, spec, offset=offset, page_size=body.pageSize))


@_route("/exportLogs", ["POST"], ("/api/core/app/exportChatLogs",))
async def export_chat_logs(body: ExportBody, auth: Auth, apps: Apps, svc: Svc) -> StreamingResponse:
    app = await apps.get(auth, body.appId)
    spec = _filter(body, app.team_id, app.id)

    async def chunks() -> AsyncIterator[bytes]:
        async for text in export_csv(svc.db, spec, header=body.title):
            yield text.encode("utf-8")

    filename = f"{app.name or 'app'}-chat-logs.csv"
    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=\"chat_logs.csv\"; filename*=UTF-8''{quote(filename)}"},
    )
