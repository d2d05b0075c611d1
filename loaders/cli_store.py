"""Opening the database for a command line: every misuse or failure becomes one sentence and an exit code."""

# Exit codes shared by `python -m loaders` and `python -m kpis`: 2 the database (or the command line) is
# wrong or cannot be reached, 3 the database stayed busy (another process writing to the DuckDB file).

from __future__ import annotations

import os
import sys

EXIT_BAD_DATABASE = 2
EXIT_BUSY = 3


class CliFailure(Exception):
    """What the command line prints (one sentence on stderr) and the code it exits with."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def explain(e: BaseException, url: str, _, store=None) -> CliFailure | None:
    """The one-sentence failure for an error met while opening or using the database; None if not one of those.

    Driver and SQLAlchemy errors are translated by the store (its adapter knows its engine's errors) into a
    StoreError; the driver's own text is printed only with MARSAD_DEBUG=1.
    """
    from .catalog import CatalogError
    from .store import Store, StoreBusy, StoreError, display_url
    from .store.errors import failure

    if isinstance(e, CatalogError):
        return CliFailure(EXIT_BAD_DATABASE, str(e))
    if not isinstance(e, StoreError):
        try:
            translated = (store or Store(url)).translate(e)
        except Exception:  # noqa: BLE001 - a URL no adapter takes: nothing to translate with
            translated = None
        if translated is None and isinstance(e, OSError):
            translated = failure(e, display_url(url))
        if translated is None:
            return None
        e = translated
    message = e.translated(_)
    if e.detail and os.environ.get("MARSAD_DEBUG"):
        message += f" ({e.detail})"
    return CliFailure(EXIT_BUSY if isinstance(e, StoreBusy) else EXIT_BAD_DATABASE, message)


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

    store = None
    try:
        check_target(url)
        store = Store(url, on_wait=waiting)
        catalog = store.ensure(catalog_dir)
    except Exception as e:
        failure = explain(e, url, _, store)
        if failure is None:
            raise
        raise failure from e
    return store, catalog
