"""Opening the database for a command line: every misuse or failure becomes one sentence and an exit code."""

# Exit codes shared by `python -m loaders` and `python -m kpis`: 2 the database (or the command line) is
# wrong or cannot be reached, 3 the database stayed busy (another process writing to the DuckDB file).

from __future__ import annotations

import sys

EXIT_BAD_DATABASE = 2
EXIT_BUSY = 3


class CliFailure(Exception):
    """What the command line prints (one sentence on stderr) and the code it exits with."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _reason(e: BaseException) -> str:
    """The driver's first line, without SQLAlchemy's SQL echo and links."""
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return text[:300]


def _unreachable(e: BaseException) -> bool:
    text = str(getattr(e, "orig", None) or e).lower()
    return any(
        w in text
        for w in (
            "connection refused",
            "could not translate host",
            "timeout",
            "timed out",
            "is the server running",
            "no route",
        )
    )


def explain(e: BaseException, url: str, _) -> CliFailure | None:
    """The one-sentence failure for an error met while opening or using the database; None if not one of those."""
    import sqlalchemy as sa

    from .catalog import CatalogError
    from .store import StoreBusy, StoreError, _display_url

    shown = _display_url(url)
    if isinstance(e, StoreBusy):
        return CliFailure(EXIT_BUSY, e.translated(_))
    if isinstance(e, StoreError):
        return CliFailure(EXIT_BAD_DATABASE, e.translated(_))
    if isinstance(e, CatalogError):
        return CliFailure(EXIT_BAD_DATABASE, str(e))
    if isinstance(e, sa.exc.OperationalError) and _unreachable(e):
        reason = _("the server cannot be reached")
        return CliFailure(
            EXIT_BAD_DATABASE,
            _("Cannot open the database {url}: {reason}", url=shown, reason=reason),
        )
    if isinstance(e, (sa.exc.SQLAlchemyError, OSError)):
        return CliFailure(
            EXIT_BAD_DATABASE,
            _("Cannot open the database {url}: {reason}", url=shown, reason=_reason(e)),
        )
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return None
    if isinstance(e, duckdb.Error):
        return CliFailure(
            EXIT_BAD_DATABASE,
            _("Cannot open the database {url}: {reason}", url=shown, reason=_reason(e)),
        )
    return None


def open_cli_store(db: str | None, catalog_dir=None, *, lang: str = "en"):
    """(store, catalog) for --db; says on stderr when it waits for a busy DuckDB file. Raises CliFailure."""
    from .i18n import translator
    from .store import Store, check_target, resolve_url

    _ = translator(lang)
    url = resolve_url(db)

    def waiting() -> None:
        print(
            _("The database is busy (another program is writing to it), waiting…"), file=sys.stderr
        )
        sys.stderr.flush()

    try:
        check_target(url)
        store = Store(url, on_wait=waiting)
        catalog = store.ensure(catalog_dir)
    except Exception as e:
        failure = explain(e, url, _)
        if failure is None:
            raise
        raise failure from e
    return store, catalog
