"""PostgreSQL: a change to an API key or a share link that decides who it is or whether it is refused
(deleted, renamed, moved, its expiry, limits or settings changed) sends a notification when it commits,
whoever writes it (the routes, a member leaving a team, a cascade, an operator's SQL):
`NOTIFY api_key_changes, '<key_hash>'` and `NOTIFY share_link_changes, '<shareId>'`. Each replica LISTENs
and drops the credential from its in-process cache (`services/credential_cache.py`), so credentials can be
cached on PostgreSQL too. Counting usage (`usage_points`, `last_time`, `last_used_time`) sends nothing:
credentials with a usage limit are read on every request instead. SQLite: nothing to do (one process owns
the file).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# table: (channel (`pyfastgpt.store.notify`), payload column, the columns whose change is notified)
WATCHED = {
    "api_keys": (
        "api_key_changes",
        "key_hash",
        "key_hash, team_id, tmb_id, app_id, name, expired_time, max_usage_points",
    ),
    "share_links": (
        "share_link_changes",
        "share_id",
        "share_id, team_id, tmb_id, app_id, type, name, show_cite, show_running_status, show_full_text, "
        "can_download_source, immediate_response, default_response, expired_time, qpm, max_usage_points, "
        "hook_url, app_config",
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, (channel, payload, columns) in WATCHED.items():
        op.execute(
            f"CREATE FUNCTION {table}_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{channel}', OLD.{payload}); RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_changed AFTER UPDATE OF {columns} OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_notify_change()")
