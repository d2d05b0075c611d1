"""Refusing a --db that cannot be a Marsad database before anything is created (NotADatabase)."""

from __future__ import annotations

from pathlib import Path

from ..i18n import N_
from .common import DATA_FILE_SUFFIXES, DUCKDB_MAGIC, duckdb_path
from .errors import NotADatabase


def check_target(url: str) -> None:
    """Refuse, before anything is created, a --db that cannot be a Marsad database (a StoreError).

    A path that is a directory, a file that is not a DuckDB database, a report file (.csv, .xlsx…), a folder that
    does not exist, or a URL SQLAlchemy cannot parse.
    """
    if "://" not in url:
        raise NotADatabase("bad-url", N_("{url} is not a database URL or file path"), url=url)
    if url.startswith("duckdb:///"):
        return _check_duckdb_file(duckdb_path(url))
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError) as e:
        raise NotADatabase("bad-url", N_("{url} is not a valid database URL"), url=url) from e
    if parsed.get_backend_name() not in ("duckdb", "postgresql"):
        raise NotADatabase(
            "bad-url",
            N_("{url}: only DuckDB files and PostgreSQL URLs are supported"),
            url=url,
        )
    if parsed.get_backend_name() == "duckdb":
        _check_duckdb_file(parsed.database or "")


def _check_duckdb_file(path: str) -> None:
    if not path or path == ":memory:":
        raise NotADatabase(
            "not-a-database",
            N_(
                "An in-memory database keeps nothing between commands: give a DuckDB file or a PostgreSQL URL"
            ),
        )
    p = Path(path)
    if p.is_dir():
        raise NotADatabase(
            "not-a-database", N_("{path} is a folder, not a database file"), path=path
        )
    if p.suffix.lower() in DATA_FILE_SUFFIXES:
        raise NotADatabase(
            "not-a-database",
            N_(
                "{path} looks like a report file, not a database: give the files to load after"
                " `ingest`, and a .duckdb file or a URL to --db"
            ),
            path=path,
        )
    if p.exists():
        try:
            with p.open("rb") as f:
                head = f.read(12)
        except OSError as e:
            raise NotADatabase("unreadable-database", N_("{path} cannot be read"), path=path) from e
        if head[8:12] != DUCKDB_MAGIC:
            raise NotADatabase(
                "not-a-database", N_("{path} is not a DuckDB database file"), path=path
            )
    elif not p.parent.is_dir():
        raise NotADatabase(
            "missing-folder",
            N_("The folder {folder} does not exist"),
            folder=str(p.parent),
        )
