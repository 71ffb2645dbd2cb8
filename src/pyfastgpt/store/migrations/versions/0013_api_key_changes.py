"""PostgreSQL: every change to an API key that decides who the key is or whether it is refused (deleted,
renamed, moved, expiry or usage limit changed) sends `NOTIFY api_key_changes, '<key_hash>'` when it
commits, whoever writes it (the key routes, a member leaving a team, a cascade, an operator's SQL).
Each replica LISTENs and drops the key from its in-process cache (`services/auth.py`), so keys can be
cached on PostgreSQL too. Counting usage (`usage_points`) and `last_used_time` send nothing: keys with
a usage limit are read on every request instead. SQLite: nothing to do (one process owns the file).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHANNEL = "api_key_changes"  # `pyfastgpt.store.notify.API_KEY_CHANGES`
WATCHED_COLUMNS = "key_hash, team_id, tmb_id, app_id, name, expired_time, max_usage_points"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "CREATE FUNCTION api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', OLD.key_hash); RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER api_keys_changed AFTER UPDATE OF {WATCHED_COLUMNS} OR DELETE ON api_keys "
        "FOR EACH ROW EXECUTE FUNCTION api_key_changed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS api_keys_changed ON api_keys")
    op.execute("DROP FUNCTION IF EXISTS api_key_changed()")
