"""`/api/support/user/team/*` (also under `/api/proApi/...`): teams, members and team keys over the API.

FastGPT's shapes where FastGPT has the route: `GET list` (`TeamListItemSchema`), `PUT|POST update`,
`POST member/list` (`{list, total}` of `TeamMemberListItemSchema`), `GET member/count`,
`PUT member/updateNameByManager`, `DELETE member/delete?tmbId=`. pyfastgpt has no user accounts or
invitations, so these are its own (the smallest API that lets a root key set up a tenant):
`POST create` (root only; `{name, username?}` → teamId, the team gets one owner named `username`),
`POST member/create` (`{name, role?}` → tmbId), `PUT member/update` (`{tmbId, name?, role?}`),
`POST key/create` (`{tmbId?, name?, limit?}` → the key, shown once) and `GET key/list`.
Every route takes an optional `teamId` (body or query) that only the root key may point elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.core.chat.history import page_offset
from pyfastgpt.api.deps import Auth, get_services
from pyfastgpt.api.envelope import ok
from pyfastgpt.api.support.openapi import LimitBody, key_item
from pyfastgpt.core.clock import iso
from pyfastgpt.services.keys import KeyLimit
from pyfastgpt.services.teams import MemberQuery, Role, TeamEntry, TeamService
from pyfastgpt.store.models import TeamMember

PREFIXES = ("/api/support/user/team", "/api/proApi/support/user/team")
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000_000  # a larger skip could never return a row; refused before the database sees it
MAX_PAGE_NUM = 1_000_000
Id = Annotated[str, Field(min_length=1, max_length=64)]
TeamId = Annotated[str | None, Field(default=None, max_length=64)]  # empty or absent: the caller's team
_PERMISSION_VALUES = {"owner": 4294967295, "admin": 0b111, "member": 0b110}  # FastGPT: read 4, write 2, manage 1

router = APIRouter(tags=["teams"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def _route(path: str, methods: list[str]) -> Callable[[Endpoint], Endpoint]:
    def register(endpoint: Endpoint) -> Endpoint:
        for prefix in PREFIXES:
            for method in methods:  # one operation per method: FastAPI names operations by path + first method
                router.add_api_route(prefix + path, endpoint, methods=[method], response_model=None)
        return endpoint

    return register


async def _teams(request: Request) -> TeamService:
    services = get_services(request)
    return TeamService(services.db, services.keys)


Teams = Annotated[TeamService, Depends(_teams)]


def team_permission(role: str | None) -> dict[str, Any]:
    value = _PERMISSION_VALUES.get(role or "", 0)
    return {
        "value": value,
        "isOwner": role == "owner",
        "hasManagePer": bool(value & 1),
        "hasWritePer": bool(value & 2),
        "hasReadPer": bool(value & 4),
    }


def team_item(entry: TeamEntry) -> dict[str, Any]:
    member = entry.member
    return {
        "userId": member.id if member else "",
        "teamId": entry.team.id,
        "teamName": entry.team.name,
        "teamAvatar": "",
        "memberName": member.name if member else "",
        "avatar": "",
        "tmbId": member.id if member else "",
        "role": member.role if member else None,
        "status": "active",
        "permission": team_permission(member.role if member else None),
        "createTime": iso(entry.team.create_time),
    }


def member_item(member: TeamMember, *, with_permission: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "userId": member.id,  # no user accounts: the member is the user
        "tmbId": member.id,
        "teamId": member.team_id,
        "memberName": member.name,
        "avatar": "",
        "role": member.role,
        "status": "active",
        "contact": None,
        "createTime": iso(member.create_time),
    }
    if with_permission:
        item["permission"] = team_permission(member.role)
    return item


class TeamCreateBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=100)
    username: str = Field(default="owner", min_length=1, max_length=50)  # the first owner's member name


class TeamUpdateBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    name: str | None = Field(default=None, min_length=1, max_length=100)


class MemberListBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    offset: int | None = Field(default=None, ge=0, le=MAX_OFFSET)
    pageNum: int | None = Field(default=None, ge=1, le=MAX_PAGE_NUM)
    pageSize: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE)
    searchKey: str = Field(default="", max_length=128)
    status: Literal["active", "leave", "forbidden", "waiting"] | None = None
    tmbIds: list[Id] | None = Field(default=None, max_length=1000)
    withPermission: bool = False


class MemberCreateBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    name: str = Field(min_length=1, max_length=50)
    role: Role = "member"


class MemberUpdateBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    tmbId: Id
    name: str | None = Field(default=None, min_length=1, max_length=50)
    role: Role | None = None


class MemberNameBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    tmbId: Id
    name: str = Field(min_length=1, max_length=50)


class TeamKeyCreateBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    teamId: TeamId = None
    tmbId: Id | None = None
    name: str = Field(default="Api Key", max_length=200)
    limit: LimitBody | None = None


@_route("/create", ["POST"])
async def create_team(body: TeamCreateBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    team, _owner = await teams.create_team(auth, name=body.name, owner_name=body.username)
    return ok(team.id)


@_route("/list", ["GET"])
async def list_teams(auth: Auth, teams: Teams) -> dict[str, Any]:
    return ok([team_item(entry) for entry in await teams.list_teams(auth)])


@_route("/update", ["PUT", "POST"])
async def update_team(body: TeamUpdateBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    await teams.update_team(auth, body.teamId, name=body.name)
    return ok(None)


@_route("/member/list", ["POST"])
async def list_members(body: MemberListBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    if body.status is not None and body.status != "active":
        return ok({"list": [], "total": 0})  # members are active until removed
    query = MemberQuery(
        search_key=body.searchKey.strip(),
        tmb_ids=tuple(body.tmbIds) if body.tmbIds is not None else None,
        offset=page_offset(body.offset, body.pageNum, body.pageSize),
        page_size=body.pageSize,
    )
    rows, total = await teams.list_members(auth, body.teamId, query)
    return ok({"list": [member_item(m, with_permission=body.withPermission) for m in rows], "total": total})


@_route("/member/count", ["GET"])
async def count_members(
    auth: Auth, teams: Teams, teamId: str | None = Query(default=None, max_length=64)
) -> dict[str, Any]:
    return ok({"count": await teams.count_members(auth, teamId)})


@_route("/member/create", ["POST"])
async def create_member(body: MemberCreateBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    member = await teams.add_member(auth, body.teamId, name=body.name, role=body.role)
    return ok(member.id)


@_route("/member/update", ["PUT"])
async def update_member(body: MemberUpdateBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    await teams.update_member(auth, body.teamId, body.tmbId, name=body.name, role=body.role)
    return ok(None)


@_route("/member/updateNameByManager", ["PUT"])
async def update_member_name(body: MemberNameBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    await teams.update_member(auth, body.teamId, body.tmbId, name=body.name, role=None)
    return ok(None)


@_route("/member/delete", ["DELETE"])
async def delete_member(
    auth: Auth,
    teams: Teams,
    tmbId: str = Query(min_length=1, max_length=64),
    teamId: str | None = Query(default=None, max_length=64),
) -> dict[str, Any]:
    await teams.remove_member(auth, teamId, tmbId)
    return ok(None)


@_route("/key/create", ["POST"])
async def create_team_key(body: TeamKeyCreateBody, auth: Auth, teams: Teams) -> dict[str, Any]:
    limit = KeyLimit() if body.limit is None else KeyLimit(body.limit.expiredTime, body.limit.maxUsagePoints)
    return ok(await teams.create_key(auth, body.teamId, tmb_id=body.tmbId, name=body.name, limit=limit))


@_route("/key/list", ["GET"])
async def list_team_keys(
    auth: Auth, teams: Teams, teamId: str | None = Query(default=None, max_length=64)
) -> dict[str, Any]:
    return ok([key_item(key) for key in await teams.list_keys(auth, teamId)])
