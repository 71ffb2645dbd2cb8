"""`apps.has_interactive_node`: whether the app's workflow holds a node that waits for the user (FastGPT's
`userSelect`, `formInput`), written with the workflow, so the app list (`hasInteractiveNode`) reads one
column instead of every app's whole workflow. Existing apps are read once here.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The node types as this revision knows them (a migration keeps its own copy: it must not move with the code).
INTERACTIVE_TYPES = frozenset({"userSelect", "formInput"})
BATCH = 200  # apps read at a time (a workflow weighs 10–100 KB)


def _interactive(modules: Any) -> bool:
    nodes = json.loads(modules) if isinstance(modules, str | bytes) else modules
    return isinstance(nodes, list) and any(
        isinstance(node, dict) and node.get("flowNodeType") in INTERACTIVE_TYPES for node in nodes
    )


def upgrade() -> None:
    with op.batch_alter_table("apps") as batch_op:
        batch_op.add_column(sa.Column("has_interactive_node", sa.Boolean(), nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    page = sa.text("SELECT id, modules FROM apps WHERE id > :after ORDER BY id LIMIT :size")
    mark = sa.text("UPDATE apps SET has_interactive_node = :yes WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    after = ""
    while rows := conn.execute(page, {"after": after, "size": BATCH}).all():  # a page of workflows in memory
        found = [row.id for row in rows if _interactive(row.modules)]
        if found:
            conn.execute(mark, {"yes": True, "ids": found})
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("apps") as batch_op:
        batch_op.drop_column("has_interactive_node")
