"""The text revisions table (schema version 5): admins' corrections of catalog texts (loaders/texts.py)."""

from __future__ import annotations

import sqlalchemy as sa


def define(md: sa.MetaData) -> tuple[sa.Sequence, sa.Table]:
    """Add the sequence and table to `md` (schema.py calls this once) and return them.

    Append-only: a correction is a row, its undoing marks the row; the catalog's text is never changed, so
    undoing every correction shows the catalog's text again. `key` names the catalog row
    ("indicator:IA.JOBS", "pillar:IA2030/IMP"), `field` the text ("name", "notes"), `language` fr/ar/en.
    """
    seq = sa.Sequence("text_revision_id_seq", metadata=md)
    table = sa.Table(
        "text_revision",
        md,
        sa.Column("revision_id", sa.Integer, seq, primary_key=True, autoincrement=False),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("field", sa.String, nullable=False),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("old_text", sa.String, nullable=False),
        sa.Column("new_text", sa.String, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),  # UTC
        sa.Column("changed_by", sa.String, nullable=False),
        sa.Column("reason", sa.String),
        sa.Column("undone_at", sa.DateTime),
        sa.Column("undone_by", sa.String),
    )
    return seq, table
