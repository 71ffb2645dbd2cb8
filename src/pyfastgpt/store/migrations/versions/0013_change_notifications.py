"""PostgreSQL: the changes other replicas must see at once are notified when they commit, whoever writes them
(the routes, a member leaving a team, a cascade, an operator's SQL), so each replica can cache those rows and
drop one when it changes (`services/change_feed.py`, LISTEN on a connection of its own):

- `api_key_changes`, with the key's hash: a key deleted, renamed, moved, or its expiry or usage limit changed;
- `share_link_changes`, with the shareId: a share link deleted or any of its settings changed;
- `app_changes`, with the app id: an app changed or deleted, a version saved, published or removed.

Counting usage (`usage_points`, `last_time`, `last_used_time`) notifies nothing: credentials with a usage
limit are read on every request instead. SQLite: nothing to do (one process owns the file).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# trigger name: (table, the events it fires on, channel (`pyfastgpt.store.notify`), the payload's column)
TRIGGERS = {
    "api_keys_changed": (
        "api_keys",
        "UPDATE OF key_hash, team_id, tmb_id, app_id, name, expired_time, max_usage_points OR DELETE",
        "api_key_changes",
        "key_hash",
    ),
    "share_links_changed": (
        "share_links",
        "UPDATE OF share_id, team_id, tmb_id, app_id, type, name, show_cite, show_running_status, show_full_text, "
        "can_download_source, immediate_response, default_response, expired_time, qpm, max_usage_points, "
        "hook_url, app_config OR DELETE",
        "share_link_changes",
        "share_id",
    ),
    "apps_changed": ("apps", "UPDATE OR DELETE", "app_changes", "id"),
    "app_versions_changed": ("app_versions", "INSERT OR UPDATE OR DELETE", "app_changes", "app_id"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    # one function for all: its arguments name the channel and the column the payload comes from
    op.execute(
        "CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_notify(TG_ARGV[0], to_jsonb(CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END) ->> TG_ARGV[1]); "
        "RETURN NULL; END $$"
    )
    for name, (table, events, channel, column) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION notify_change('{channel}', '{column}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, (table, *_) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS notify_change()")
