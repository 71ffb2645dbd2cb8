"""Teams and their members over the API (FastGPT `support/user/team/*`), so tenants share one server.

Who may do what:

- the root key creates and lists every team and acts as an owner of any team (`teamId` picks it);
- a team-wide API key acts as its member: any member lists and counts its team's members; an
  `owner` or `admin` member adds, renames and removes members and mints keys for them; only an
  owner (or root) grants or takes away the `owner` role or touches an owner, and a team keeps at
  least one owner;
- app-bound keys manage nothing, and nobody reaches another team (`unAuthTeam`).

pyfastgpt has no user accounts: a member is the person (FastGPT's `userId` is the `tmbId`), and
its API keys are its credentials. Removing a member deletes its keys in the same transaction and
drops them from the key cache at once (other replicas follow within the cache TTL); the apps,
datasets and chats it made stay with the team, as in FastGPT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.core.secrets import hash_key
from pyfastgpt.services.auth import AuthContext, require_team_manager
from pyfastgpt.services.keys import KeyLimit, KeyService
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, SystemSetting, Team, TeamMember

Role = Literal["owner", "admin", "member"]
MANAGER_ROLES = frozenset({"owner", "admin"})
MEMBER_NOT_FOUND = "Team member does not exist"


@dataclass(frozen=True, slots=True)
class TeamEntry:
    """A team with the member that stands for it in a listing (the caller, or root's view: an owner)."""

    team: Team
    member: TeamMember | None


@dataclass(frozen=True, slots=True)
class MemberQuery:
    search_key: str = ""
    tmb_ids: tuple[str, ...] | None = None
    offset: int = 0
    page_size: int = 20


def _clean_name(name: str, *, what: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidRequest(f"{what} cannot be empty")
    return cleaned


class TeamService:
    def __init__(self, db: Database, keys: KeyService) -> None:
        self.db = db
        self.keys = keys

    # ---- who is calling -------------------------------------------------------------------

    @staticmethod
    def _team_of(session: Session, ctx: AuthContext, team_id: str | None) -> str:
        """The team a call acts on: root picks any existing team, everybody else their own."""
        require_team_manager(ctx)
        if not team_id or team_id == ctx.team_id:
            return ctx.team_id
        if not ctx.is_root:
            raise PermissionDenied("This key cannot reach another team", key="unAuthTeam")
        if session.get(Team, team_id) is None:
            raise NotFound("Team does not exist", key="unAuthTeam")
        return team_id

    @staticmethod
    def _caller_role(session: Session, ctx: AuthContext, team_id: str) -> str:
        if ctx.is_root:
            return "owner"
        member = session.get(TeamMember, ctx.tmb_id)
        if member is None or member.team_id != team_id:
            raise PermissionDenied("This key's member is not in the team", key="unAuthTeam")
        return member.role

    @classmethod
    def _manager_role(cls, session: Session, ctx: AuthContext, team_id: str) -> str:
        role = cls._caller_role(session, ctx, team_id)
        if role not in MANAGER_ROLES:
            raise PermissionDenied("Only a team owner or admin manages members", key="unAuthTeam")
        return role

    @staticmethod
    def _member(session: Session, team_id: str, tmb_id: str) -> TeamMember:
        member = session.get(TeamMember, tmb_id)
        if member is None or member.team_id != team_id:
            raise NotFound(MEMBER_NOT_FOUND, key="invalidResource")
        return member

    @staticmethod
    def _other_owners(session: Session, team_id: str, tmb_id: str) -> int:
        """Owners besides `tmb_id`; locks the team row (PostgreSQL) so two demotions cannot both pass."""
        session.execute(select(Team.id).where(Team.id == team_id).with_for_update())
        query = select(func.count()).select_from(TeamMember)
        query = query.where(TeamMember.team_id == team_id, TeamMember.role == "owner", TeamMember.id != tmb_id)
        return int(session.execute(query).scalar_one())

    @staticmethod
    def _root_member(session: Session) -> str | None:
        """The default team's member the root key acts as (`services/bootstrap.py`)."""
        row = session.get(SystemSetting, "default_team")
        return None if row is None else str(row.value.get("tmb_id", ""))

    # ---- teams ----------------------------------------------------------------------------

    async def create_team(self, ctx: AuthContext, *, name: str, owner_name: str) -> tuple[Team, TeamMember]:
        if not ctx.is_root:
            raise PermissionDenied("Only the root key creates teams", key="unAuthTeam")

        def unit(session: Session) -> tuple[Team, TeamMember]:
            team = Team(name=_clean_name(name, what="Team name"))
            session.add(team)
            session.flush()
            owner = TeamMember(team_id=team.id, name=_clean_name(owner_name, what="Member name"), role="owner")
            session.add(owner)
            session.flush()
            return team, owner

        return await self.db.run_write_session(unit)

    async def list_teams(self, ctx: AuthContext) -> list[TeamEntry]:
        """Root: every team, each shown by its first owner (root's own member in its team).
        Others: their own team, as their membership."""
        require_team_manager(ctx)
        async with self.db.read() as session:
            if not ctx.is_root:
                team = await session.get(Team, ctx.team_id)
                member = await session.get(TeamMember, ctx.tmb_id)
                return [] if team is None else [TeamEntry(team, member)]
            teams = (await session.execute(select(Team).order_by(Team.create_time, Team.id))).scalars()
            owners = select(TeamMember).where(TeamMember.role == "owner").order_by(TeamMember.create_time)
            shown: dict[str, TeamMember] = {}
            for owner in (await session.execute(owners)).scalars():
                if owner.id == ctx.tmb_id or owner.team_id not in shown:
                    shown[owner.team_id] = owner
            return [TeamEntry(team, shown.get(team.id)) for team in teams]

    async def update_team(self, ctx: AuthContext, team_id: str | None, *, name: str | None) -> None:
        def unit(session: Session) -> None:
            target = self._team_of(session, ctx, team_id)
            self._manager_role(session, ctx, target)
            if name is not None:
                cleaned = _clean_name(name, what="Team name")
                session.execute(update(Team).where(Team.id == target).values(name=cleaned))

        await self.db.run_write_session(unit)

    # ---- members --------------------------------------------------------------------------

    async def list_members(
        self, ctx: AuthContext, team_id: str | None, query: MemberQuery
    ) -> tuple[list[TeamMember], int]:
        def read(session: Session) -> tuple[list[TeamMember], int]:
            target = self._team_of(session, ctx, team_id)
            self._caller_role(session, ctx, target)
            where = [TeamMember.team_id == target]
            if query.search_key:
                pattern = f"%{query.search_key.lower()}%"
                where.append(or_(func.lower(TeamMember.name).like(pattern), TeamMember.id == query.search_key))
            if query.tmb_ids is not None:
                if not query.tmb_ids:
                    return [], 0
                where.append(TeamMember.id.in_(query.tmb_ids))
            total = session.execute(select(func.count()).select_from(TeamMember).where(*where)).scalar_one()
            rows = session.execute(
                select(TeamMember)
                .where(*where)
                .order_by(TeamMember.create_time, TeamMember.id)
                .offset(query.offset)
                .limit(query.page_size)
            )
            return list(rows.scalars()), int(total)

        return await self.db.run_read_session(read)

    async def count_members(self, ctx: AuthContext, team_id: str | None) -> int:
        def read(session: Session) -> int:
            target = self._team_of(session, ctx, team_id)
            self._caller_role(session, ctx, target)
            query = select(func.count()).select_from(TeamMember).where(TeamMember.team_id == target)
            return int(session.execute(query).scalar_one())

        return await self.db.run_read_session(read)

    async def add_member(self, ctx: AuthContext, team_id: str | None, *, name: str, role: Role) -> TeamMember:
        cleaned = _clean_name(name, what="Member name")

        def unit(session: Session) -> TeamMember:
            target = self._team_of(session, ctx, team_id)
            caller = self._manager_role(session, ctx, target)
            if role == "owner" and caller != "owner":
                raise PermissionDenied("Only a team owner adds owners", key="unAuthTeam")
            member = TeamMember(team_id=target, name=cleaned, role=role)
            session.add(member)
            session.flush()
            return member

        return await self.db.run_write_session(unit)

    async def update_member(
        self, ctx: AuthContext, team_id: str | None, tmb_id: str, *, name: str | None, role: Role | None
    ) -> None:
        def unit(session: Session) -> None:
            target = self._team_of(session, ctx, team_id)
            caller = self._manager_role(session, ctx, target)
            member = self._member(session, target, tmb_id)
            values: dict[str, str] = {}
            if name is not None:
                values["name"] = _clean_name(name, what="Member name")
            if role is not None and role != member.role:
                if caller != "owner" and "owner" in (role, member.role):
                    raise PermissionDenied("Only a team owner grants or takes away the owner role", key="unAuthTeam")
                if member.role == "owner" and not self._other_owners(session, target, member.id):
                    raise InvalidRequest("A team keeps at least one owner")
                values["role"] = role
            elif member.role == "owner" and caller != "owner":
                raise PermissionDenied("Only a team owner changes an owner", key="unAuthTeam")
            if values:
                session.execute(update(TeamMember).where(TeamMember.id == member.id).values(**values))

        await self.db.run_write_session(unit)

    async def remove_member(self, ctx: AuthContext, team_id: str | None, tmb_id: str) -> None:
        """Delete the member and, in the same transaction, every API key it holds."""

        def unit(session: Session) -> list[str]:
            target = self._team_of(session, ctx, team_id)
            caller = self._manager_role(session, ctx, target)
            member = self._member(session, target, tmb_id)
            if member.id == self._root_member(session):
                raise PermissionDenied("The root key's own member cannot be removed", key="unAuthTeam")
            if member.role == "owner":
                if caller != "owner":
                    raise PermissionDenied("Only a team owner removes an owner", key="unAuthTeam")
                if not self._other_owners(session, target, member.id):
                    raise InvalidRequest("A team keeps at least one owner: the last owner cannot be removed")
            owned = ApiKey.team_id == target, ApiKey.tmb_id == member.id
            revoked = list(session.execute(select(ApiKey.key_hash).where(*owned)).scalars())
            session.execute(delete(ApiKey).where(*owned))
            session.execute(delete(TeamMember).where(TeamMember.id == member.id))
            return revoked

        self.keys.forget(await self.db.run_write_session(unit))

    # ---- keys -----------------------------------------------------------------------------

    async def create_key(
        self, ctx: AuthContext, team_id: str | None, *, tmb_id: str | None, name: str, limit: KeyLimit
    ) -> str:
        """A team-wide key for one member (default: the caller, or the team's first owner for root)."""

        def read(session: Session) -> tuple[str, str]:
            target = self._team_of(session, ctx, team_id)
            self._manager_role(session, ctx, target)
            if tmb_id:
                return target, self._member(session, target, tmb_id).id
            if target == ctx.team_id:
                return target, ctx.tmb_id
            owners = select(TeamMember.id).where(TeamMember.team_id == target, TeamMember.role == "owner")
            found = session.execute(owners.order_by(TeamMember.create_time).limit(1)).scalar()
            if found is None:
                raise NotFound(MEMBER_NOT_FOUND, key="invalidResource")
            return target, found

        target, holder = await self.db.run_read_session(read)
        plain = await self.keys.issue(team_id=target, tmb_id=holder, app_id=None, name=name, limit=limit)
        if not await self._still_member(target, holder):  # removed meanwhile: its keys must not outlive it
            await self.db.run_write_session(
                lambda session: session.execute(delete(ApiKey).where(ApiKey.key_hash == hash_key(plain)))
            )
            raise NotFound(MEMBER_NOT_FOUND, key="invalidResource")
        return plain

    async def _still_member(self, team_id: str, tmb_id: str) -> bool:
        async with self.db.read() as session:
            member = await session.get(TeamMember, tmb_id)
        return member is not None and member.team_id == team_id

    async def list_keys(self, ctx: AuthContext, team_id: str | None) -> list[ApiKey]:
        """Every key of a team (team-wide and app-bound), newest first."""

        def read(session: Session) -> list[ApiKey]:
            target = self._team_of(session, ctx, team_id)
            self._manager_role(session, ctx, target)
            query = select(ApiKey).where(ApiKey.team_id == target).order_by(ApiKey.create_time.desc())
            return list(session.execute(query).scalars())

        return await self.db.run_read_session(read)
