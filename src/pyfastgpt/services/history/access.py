"""Who may see which chat: the app check, then the chat's team and member.

API keys and the root key act as their team member (`tmb_id`): a member sees the chats it
started; the root key (the team owner) may also read and manage the other members' chats of
the team's apps, like FastGPT's app managers (`hasReadChatLogPer`). Soft-deleted chats do not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from pyfastgpt.core.errors import NotFound, PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.store.models import App, Chat, ChatItem
from pyfastgpt.store.prepared import Prepared

CHAT_NOT_FOUND = "Chat does not exist"
ITEM_NOT_FOUND = "Chat item not found"


def may_read_all_chats(ctx: AuthContext) -> bool:
    return ctx.is_root


def _owner_columns(visitor: bool) -> tuple[tuple[InstrumentedAttribute[Any], str], ...]:
    """The chats a caller owns: a share-link visitor's (link + uid), else the team member's (column, bind name)."""
    if visitor:
        return (Chat.share_id, "b_share"), (Chat.out_link_uid, "b_visitor")
    return (Chat.team_id, "b_team"), (Chat.tmb_id, "b_tmb")


def owner_binds(visitor: bool) -> list[ColumnElement[bool]]:
    """`owner_filter` with named bind parameters (values from `owner_params`), for statements compiled once."""
    return [column == bindparam(name) for column, name in _owner_columns(visitor)]


def owner_params(ctx: AuthContext) -> dict[str, str | None]:
    if ctx.share_id is not None:
        return {"b_share": ctx.share_id, "b_visitor": ctx.out_link_uid}
    return {"b_team": ctx.team_id, "b_tmb": ctx.tmb_id}


def owner_filter(ctx: AuthContext) -> list[ColumnElement[bool]]:
    """The conditions of the chats the caller owns."""
    values = owner_params(ctx)
    return [column == values[name] for column, name in _owner_columns(ctx.share_id is not None)]


def check_chat_owner(ctx: AuthContext, chat: Chat) -> None:
    _check_owner(ctx, chat.team_id, chat.tmb_id, chat.share_id, chat.out_link_uid)


def _check_owner(ctx: AuthContext, team_id: str, tmb_id: str, share_id: str | None, out_link_uid: str | None) -> None:
    if team_id != ctx.team_id:
        raise PermissionDenied(key="unAuthChat")
    if ctx.share_id is not None:
        if share_id != ctx.share_id or out_link_uid != ctx.out_link_uid:
            raise PermissionDenied(key="unAuthChat")
        return
    if tmb_id != ctx.tmb_id and not may_read_all_chats(ctx):
        raise PermissionDenied(key="unAuthChat")


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A live chat the caller may read: all that reads of its messages need."""

    app_id: str
    chat_id: str


OWNER_COLUMNS = (Chat.team_id, Chat.tmb_id, Chat.share_id, Chat.out_link_uid)
CHAT_OWNER = Prepared(
    select(*OWNER_COLUMNS).where(
        Chat.app_id == bindparam("b_app"), Chat.chat_id == bindparam("b_chat"), Chat.delete_time.is_(None)
    )
)  # compiled once: message reads run it on every request


def find_chat_ref(session: Session, ctx: AuthContext, app: App, chat_id: str) -> ChatRef | None:
    """`find_chat` reading only the owner columns."""
    row = CHAT_OWNER.first(session.connection(), {"b_app": app.id, "b_chat": chat_id})
    return None if row is None else owned_chat_ref(ctx, app, chat_id, row)


def owned_chat_ref(ctx: AuthContext, app: App, chat_id: str, owner: Sequence[Any]) -> ChatRef:
    """The chat whose `OWNER_COLUMNS` read ``owner``, when the caller may read it (else PermissionDenied)."""
    team_id, tmb_id, share_id, out_link_uid = owner
    _check_owner(ctx, team_id, tmb_id, share_id, out_link_uid)
    return ChatRef(app.id, chat_id)


def require_chat_ref(session: Session, ctx: AuthContext, app: App, chat_id: str) -> ChatRef:
    chat = find_chat_ref(session, ctx, app, chat_id)
    if chat is None:
        raise NotFound(CHAT_NOT_FOUND, key="invalidResource")
    return chat


def find_chat(session: Session, ctx: AuthContext, app: App, chat_id: str) -> Chat | None:
    """The live chat `chat_id` of `app`, or None; a chat of someone else is refused."""
    chat = session.execute(
        select(Chat).where(Chat.app_id == app.id, Chat.chat_id == chat_id, Chat.delete_time.is_(None))
    ).scalar_one_or_none()
    if chat is not None:
        check_chat_owner(ctx, chat)
    return chat


def require_chat(session: Session, ctx: AuthContext, app: App, chat_id: str) -> Chat:
    chat = find_chat(session, ctx, app, chat_id)
    if chat is None:
        raise NotFound(CHAT_NOT_FOUND, key="invalidResource")
    return chat


def require_item(session: Session, chat: Chat | ChatRef, data_id: str) -> ChatItem:
    item = session.execute(
        select(ChatItem).where(
            ChatItem.app_id == chat.app_id,
            ChatItem.chat_id == chat.chat_id,
            ChatItem.data_id == data_id,
            ChatItem.delete_time.is_(None),
        )
    ).scalar_one_or_none()
    if item is None:
        raise NotFound(ITEM_NOT_FOUND, key="invalidResource")
    return item
