"""The tables, as SQLAlchemy metadata: the one description of the schema every engine creates."""

from __future__ import annotations

import sqlalchemy as sa

from .common import OBS_COLUMNS
from .schema_texts import define as define_text_revision

md = sa.MetaData()

meta = sa.Table(
    "meta", md, sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.String)
)
pillar = sa.Table(
    "pillar",
    md,
    sa.Column("programme", sa.String, primary_key=True),
    sa.Column("pillar", sa.String, primary_key=True),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("position", sa.Integer),
)
indicator = sa.Table(
    "indicator",
    md,
    sa.Column("code", sa.String, primary_key=True),
    sa.Column("programme", sa.String),
    sa.Column("pillar", sa.String),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("unit", sa.String),
    sa.Column("direction", sa.String),
    sa.Column("kind", sa.String),
    sa.Column("frequency", sa.String),
    sa.Column("by_region", sa.Boolean),
    sa.Column("baseline_year", sa.Integer),
    sa.Column("baseline_value", sa.Float),
    sa.Column("target_year", sa.Integer),
    sa.Column("target_value", sa.Float),
    sa.Column("confidence", sa.String),
    sa.Column("sources", sa.String),
    sa.Column("notes", sa.String),
    sa.Column("position", sa.Integer),
)
milestone = sa.Table(
    "milestone",
    md,
    sa.Column("indicator", sa.String, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("value", sa.Float),
)
region = sa.Table(
    "region",
    md,
    sa.Column("iso", sa.String, primary_key=True),
    sa.Column("hcp_code", sa.String),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("capital", sa.String),
    sa.Column("population_2024", sa.BigInteger),
)
batch_seq = sa.Sequence("batch_id_seq", metadata=md)
batch = sa.Table(
    "batch",
    md,
    sa.Column("batch_id", sa.Integer, batch_seq, primary_key=True, autoincrement=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String, nullable=False),
    sa.Column("origin", sa.String, nullable=False),  # public | upload | demo
    sa.Column("files", sa.String, nullable=False),
    sa.Column("demo", sa.Boolean, nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("inserted", sa.Integer),
    sa.Column("revised", sa.Integer),
    sa.Column("unchanged", sa.Integer),
    sa.Column("content_hash", sa.String),
    sa.Column("undone_at", sa.DateTime),
    sa.Column("undone_by", sa.String),
    # Review before publication (loaders/review.py): only published batches count for figures (version 2).
    sa.Column("status", sa.String, nullable=False, server_default="published"),
    sa.Column("submitted_at", sa.DateTime),
    sa.Column("published_at", sa.DateTime),
    sa.Column("published_by", sa.String),
    sa.Column("review_comment", sa.String),
)
# Append-only: a revision is a new row from a later batch; undo marks the batch, never deletes.
observation = sa.Table(
    "observation",
    md,
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("indicator", sa.String, nullable=False),
    sa.Column("period", sa.String, nullable=False),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("comment", sa.String),
    sa.Column("source", sa.String),
    sa.Column("file", sa.String),
    sa.Column("sheet", sa.String),
    sa.Column("row_number", sa.Integer),
    sa.Column("demo", sa.Boolean, nullable=False),
)
# One row per key and batch. Ingest guarantees it before writing; PostgreSQL also enforces it with an
# index. DuckDB does not: its ART indexes live in memory, are loaded at every open, and a four-text-column
# key cost ~1 s per million rows inserted (bench/ingest.py).
sa.Index(
    "observation_key",
    observation.c.batch_id,
    observation.c.indicator,
    observation.c.period,
    observation.c.region,
    unique=True,
).ddl_if(dialect="postgresql")
# The Arrow schema of bulk writes (common.OBS_ARROW_SCHEMA) and this table must name the same columns.
assert [c.name for c in observation.columns] == OBS_COLUMNS

# -- review before publication (loaders/review.py), version 2 ---------------------------------------------
review_event_seq = sa.Sequence("review_event_id_seq", metadata=md)
# Append-only trail of review actions (each also an audit row).
review_event = sa.Table(
    "review_event",
    md,
    sa.Column("event_id", sa.Integer, review_event_seq, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String, nullable=False),
    sa.Column("action", sa.String, nullable=False),
    sa.Column("subject", sa.String, nullable=False),
    sa.Column("before", sa.String),
    sa.Column("after", sa.String),
)
# The warnings a submitted batch was checked with, for the validator (errors never reach a batch).
batch_problem = sa.Table(
    "batch_problem",
    md,
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("file", sa.String),
    sa.Column("sheet", sa.String),
    sa.Column("row_number", sa.Integer),
    sa.Column("column_name", sa.String),
    sa.Column("code", sa.String),
    sa.Column("message", sa.String),
    sa.Column("severity", sa.String),
)
# -- versioned targets (loaders/targets.py), version 2 ------------------------------------------------------
target_revision_seq = sa.Sequence("target_revision_id_seq", metadata=md)
# Append-only: a change is a row, its undoing marks the row (kind 'target': the final target; 'milestone': one
# milestone year, target_value NULL = the milestone removed).
target_revision = sa.Table(
    "target_revision",
    md,
    sa.Column(
        "revision_id", sa.Integer, target_revision_seq, primary_key=True, autoincrement=False
    ),
    sa.Column("indicator", sa.String, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("target_year", sa.Integer, nullable=False),
    sa.Column("target_value", sa.Float),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("changed_by", sa.String, nullable=False),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("reason", sa.String),
    sa.Column("undone_at", sa.DateTime),
    sa.Column("undone_by", sa.String),
)
# -- sign-in and the audit trail (loaders/access), version 3 ------------------------------------------------
account = sa.Table(
    "account",
    md,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("display_name", sa.String),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("password_hash", sa.String),  # argon2id; never the password
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("failed_count", sa.Integer, nullable=False),
    sa.Column("last_failed_at", sa.DateTime),
    # Version 4: the catalog producer (indicators.csv `producer`) whose figures an analyst reports; NULL: none.
    sa.Column("producer", sa.String),
)
# A browser keeps a random token in a cookie; the database keeps only its SHA-256, so a backup or a read of
# this table gives nobody a usable session. Any replica can check a token: no sticky sessions needed.
session = sa.Table(
    "session",
    md,
    sa.Column("token_hash", sa.String, primary_key=True),
    sa.Column("user_name", sa.String, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
)
audit_seq = sa.Sequence("audit_id_seq", metadata=md)
audit = sa.Table(
    "audit",
    md,
    sa.Column("audit_id", sa.Integer, audit_seq, primary_key=True, autoincrement=False),
    sa.Column(
        "at", sa.DateTime, nullable=False
    ),  # UTC, like every stored time; shown in Morocco's time
    sa.Column("user_name", sa.String, nullable=False),
    sa.Column("action", sa.String, nullable=False),
    sa.Column("subject", sa.String),
    sa.Column("before", sa.String),  # JSON
    sa.Column("after", sa.String),  # JSON
)
# -- corrected catalog texts (loaders/texts.py), version 5 --------------------------------------------------
text_revision_seq, text_revision = define_text_revision(md)

TABLES = {t.name: t for t in md.sorted_tables}
