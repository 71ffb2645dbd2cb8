"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 12:00:06.039766
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "app_chat_logs",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("chat_id", sa.String(length=1024), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chat_item_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("total_points", sa.Float(), nullable=False),
        sa.Column("good_feedback_count", sa.Integer(), nullable=False),
        sa.Column("bad_feedback_count", sa.Integer(), nullable=False),
        sa.Column("total_response_time", sa.Float(), nullable=False),
        sa.Column("is_first_chat", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_chat_logs")),
    )
    with op.batch_alter_table("app_chat_logs", schema=None) as batch_op:
        batch_op.create_index("ix_app_chat_logs_app_update", ["app_id", "update_time"], unique=False)
        batch_op.create_index("ix_app_chat_logs_chat", ["app_id", "chat_id", "update_time"], unique=False)
        batch_op.create_index("ix_app_chat_logs_user", ["app_id", "user_id"], unique=False)

    op.create_table(
        "chat_item_responses",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("chat_id", sa.String(length=1024), nullable=False),
        sa.Column("chat_item_data_id", sa.String(length=64), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_item_responses")),
    )
    with op.batch_alter_table("chat_item_responses", schema=None) as batch_op:
        batch_op.create_index("ix_chat_item_responses_item", ["app_id", "chat_id", "chat_item_data_id"], unique=False)

    op.create_table(
        "chat_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("data_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("chat_id", sa.String(length=1024), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("obj", sa.String(length=10), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("hide_in_ui", sa.Boolean(), nullable=False),
        sa.Column(
            "memories",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("error_msg", sa.Text(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("total_points", sa.Float(), nullable=False),
        sa.Column(
            "cite_collection_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("user_good_feedback", sa.Text(), nullable=True),
        sa.Column("user_bad_feedback", sa.Text(), nullable=True),
        sa.Column(
            "custom_feedbacks",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "admin_feedback",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("is_feedback_read", sa.Boolean(), nullable=False),
        sa.Column("delete_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_items")),
        sa.UniqueConstraint("app_id", "chat_id", "data_id", name=op.f("uq_chat_items_app_id_chat_id_data_id")),
    )
    with op.batch_alter_table("chat_items", schema=None) as batch_op:
        batch_op.create_index("ix_chat_items_chat", ["app_id", "chat_id", "id"], unique=False)

    op.create_table(
        "chats",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("chat_id", sa.String(length=1024), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("app_version_id", sa.String(length=24), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("custom_title", sa.String(length=400), nullable=False),
        sa.Column("top", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("share_id", sa.String(length=64), nullable=True),
        sa.Column("out_link_uid", sa.String(length=255), nullable=True),
        sa.Column(
            "variable_list",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("welcome_text", sa.Text(), nullable=False),
        sa.Column(
            "variables",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "plugin_inputs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("has_good_feedback", sa.Boolean(), nullable=False),
        sa.Column("has_bad_feedback", sa.Boolean(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("chat_generate_status", sa.Integer(), nullable=False),
        sa.Column("delete_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chats")),
        sa.UniqueConstraint("app_id", "chat_id", name=op.f("uq_chats_app_id_chat_id")),
    )
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.create_index("ix_chats_app_share_uid", ["app_id", "share_id", "out_link_uid"], unique=False)
        batch_op.create_index("ix_chats_app_tmb_update", ["app_id", "tmb_id", "update_time"], unique=False)

    op.create_table(
        "files",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("bucket", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
        sa.UniqueConstraint("key", name=op.f("uq_files_key")),
    )
    op.create_table(
        "system_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_system_settings")),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
    )
    op.create_table(
        "training_jobs",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("collection_id", sa.String(length=24), nullable=False),
        sa.Column("bill_id", sa.String(length=24), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("lock_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("retry_count", sa.Integer(), nullable=False),
        sa.Column("q", sa.Text(), nullable=False),
        sa.Column("a", sa.Text(), nullable=False),
        sa.Column("chunk_index", sa.Integer(), nullable=False),
        sa.Column("index_size", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("data_id", sa.String(length=24), nullable=True),
        sa.Column(
            "indexes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("error_msg", sa.Text(), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_jobs")),
    )
    with op.batch_alter_table("training_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_training_jobs_claim", ["mode", "lock_time"], unique=False)
        batch_op.create_index("ix_training_jobs_collection", ["collection_id"], unique=False)

    op.create_table(
        "usages",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("app_name", sa.Text(), nullable=False),
        sa.Column("total_points", sa.Float(), nullable=False),
        sa.Column(
            "items",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usages")),
    )
    with op.batch_alter_table("usages", schema=None) as batch_op:
        batch_op.create_index("ix_usages_team_time", ["team_id", "create_time"], unique=False)

    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_masked", sa.String(length=80), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("usage_points", sa.Float(), nullable=False),
        sa.Column("expired_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_usage_points", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_api_keys_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_app_id"), ["app_id"], unique=False)
        batch_op.create_index("ix_api_keys_team_app", ["team_id", "app_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_keys_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_keys_tmb_id"), ["tmb_id"], unique=False)

    op.create_table(
        "apps",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("parent_id", sa.String(length=24), nullable=True),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("avatar", sa.Text(), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column(
            "modules",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "edges",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "chat_config",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "plugin_data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_time", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_apps_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apps")),
    )
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.create_index("ix_apps_team_parent", ["team_id", "parent_id"], unique=False)

    op.create_table(
        "datasets",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("parent_id", sa.String(length=24), nullable=True),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("avatar", sa.Text(), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("vector_model", sa.String(length=200), nullable=False),
        sa.Column("agent_model", sa.String(length=200), nullable=False),
        sa.Column("vlm_model", sa.String(length=200), nullable=True),
        sa.Column(
            "chunk_settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "website_config",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_time", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_datasets_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
    )
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.create_index("ix_datasets_team_parent", ["team_id", "parent_id"], unique=False)

    op.create_table(
        "share_links",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("share_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("show_cite", sa.Boolean(), nullable=False),
        sa.Column("show_running_status", sa.Boolean(), nullable=False),
        sa.Column("show_full_text", sa.Boolean(), nullable=False),
        sa.Column("can_download_source", sa.Boolean(), nullable=False),
        sa.Column("immediate_response", sa.Text(), nullable=True),
        sa.Column("default_response", sa.Text(), nullable=True),
        sa.Column("usage_points", sa.Float(), nullable=False),
        sa.Column("last_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("qpm", sa.Integer(), nullable=False),
        sa.Column("max_usage_points", sa.Float(), nullable=False),
        sa.Column("hook_url", sa.Text(), nullable=True),
        sa.Column(
            "app_config",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_share_links_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_links")),
        sa.UniqueConstraint("share_id", name=op.f("uq_share_links_share_id")),
    )
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_links_app_id"), ["app_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_links_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_members",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_members_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_members_team_id"), ["team_id"], unique=False)

    op.create_table(
        "app_versions",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column(
            "nodes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "edges",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "chat_config",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("is_publish", sa.Boolean(), nullable=False),
        sa.Column("version_name", sa.String(length=200), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["app_id"], ["apps.id"], name=op.f("fk_app_versions_app_id_apps"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_versions")),
    )
    with op.batch_alter_table("app_versions", schema=None) as batch_op:
        batch_op.create_index("ix_app_versions_app_time", ["app_id", "is_publish", "time"], unique=False)

    op.create_table(
        "dataset_collections",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("parent_id", sa.String(length=24), nullable=True),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("raw_link", sa.Text(), nullable=True),
        sa.Column("raw_text_length", sa.Integer(), nullable=False),
        sa.Column("hash_raw_text", sa.String(length=64), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("forbid", sa.Boolean(), nullable=False),
        sa.Column("training_type", sa.String(length=20), nullable=False),
        sa.Column(
            "chunk_settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_time", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_dataset_collections_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_collections")),
    )
    with op.batch_alter_table("dataset_collections", schema=None) as batch_op:
        batch_op.create_index("ix_dataset_collections_dataset", ["dataset_id", "parent_id"], unique=False)

    op.create_table(
        "dataset_datas",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("collection_id", sa.String(length=24), nullable=False),
        sa.Column("q", sa.Text(), nullable=False),
        sa.Column("a", sa.Text(), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("chunk_index", sa.Integer(), nullable=False),
        sa.Column("full_text_token", sa.Text(), nullable=False),
        sa.Column(
            "history",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("rebuilding", sa.Boolean(), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["dataset_collections.id"],
            name=op.f("fk_dataset_datas_collection_id_dataset_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_datas")),
    )
    with op.batch_alter_table("dataset_datas", schema=None) as batch_op:
        batch_op.create_index("ix_dataset_datas_collection", ["collection_id", "chunk_index"], unique=False)
        batch_op.create_index("ix_dataset_datas_dataset", ["dataset_id"], unique=False)

    op.create_table(
        "dataset_data_indexes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("data_id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("collection_id", sa.String(length=24), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_id"],
            ["dataset_datas.id"],
            name=op.f("fk_dataset_data_indexes_data_id_dataset_datas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_data_indexes")),
    )
    with op.batch_alter_table("dataset_data_indexes", schema=None) as batch_op:
        batch_op.create_index("ix_dataset_data_indexes_data", ["data_id"], unique=False)
        batch_op.create_index("ix_dataset_data_indexes_dataset", ["dataset_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("dataset_data_indexes", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_data_indexes_dataset")
        batch_op.drop_index("ix_dataset_data_indexes_data")

    op.drop_table("dataset_data_indexes")
    with op.batch_alter_table("dataset_datas", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_datas_dataset")
        batch_op.drop_index("ix_dataset_datas_collection")

    op.drop_table("dataset_datas")
    with op.batch_alter_table("dataset_collections", schema=None) as batch_op:
        batch_op.drop_index("ix_dataset_collections_dataset")

    op.drop_table("dataset_collections")
    with op.batch_alter_table("app_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_app_versions_app_time")

    op.drop_table("app_versions")
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_members_team_id"))

    op.drop_table("team_members")
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_links_team_id"))
        batch_op.drop_index(batch_op.f("ix_share_links_app_id"))

    op.drop_table("share_links")
    with op.batch_alter_table("datasets", schema=None) as batch_op:
        batch_op.drop_index("ix_datasets_team_parent")

    op.drop_table("datasets")
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.drop_index("ix_apps_team_parent")

    op.drop_table("apps")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_tmb_id"))
        batch_op.drop_index(batch_op.f("ix_api_keys_team_id"))
        batch_op.drop_index("ix_api_keys_team_app")
        batch_op.drop_index(batch_op.f("ix_api_keys_app_id"))

    op.drop_table("api_keys")
    with op.batch_alter_table("usages", schema=None) as batch_op:
        batch_op.drop_index("ix_usages_team_time")

    op.drop_table("usages")
    with op.batch_alter_table("training_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_training_jobs_collection")
        batch_op.drop_index("ix_training_jobs_claim")

    op.drop_table("training_jobs")
    op.drop_table("teams")
    op.drop_table("system_settings")
    op.drop_table("files")
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.drop_index("ix_chats_app_tmb_update")
        batch_op.drop_index("ix_chats_app_share_uid")

    op.drop_table("chats")
    with op.batch_alter_table("chat_items", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_items_chat")

    op.drop_table("chat_items")
    with op.batch_alter_table("chat_item_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_item_responses_item")

    op.drop_table("chat_item_responses")
    with op.batch_alter_table("app_chat_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_app_chat_logs_user")
        batch_op.drop_index("ix_app_chat_logs_chat")
        batch_op.drop_index("ix_app_chat_logs_app_update")

    op.drop_table("app_chat_logs")
