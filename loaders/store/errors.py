"""The StoreError family: every way the database cannot be used, each with a title and a hint for people."""

from __future__ import annotations

from ..errors import MarsadError
from ..i18n import N_


class StoreError(MarsadError):
    """The database cannot be used as asked.

    `message` is one sentence for people (English msgid + params, see `translated`); `title` and `hint` say
    what happened and what to do, per kind. `detail` keeps the driver's own text for whoever maintains the
    deployment (shown with MARSAD_DEBUG=1), never as the message.
    """

    TITLE = N_("The database cannot be used")
    HINT = N_("Check the --db value or MARSAD_DB_URL")

    def __init__(self, code: str, message: str, *, detail: str = "", **params):
        super().__init__(message, **params)
        self.code = code
        self.detail = detail


# The kinds: a declarative list (each a title and a hint; the behaviour is StoreError's and MarsadError's).


class StoreBusy(StoreError):
    """Another process kept the DuckDB file locked for longer than the store waits."""

    TITLE = N_("The database is busy")
    HINT = N_("Another program is writing to it: try again when it has finished")


class StoreUnreachable(StoreError):
    """The database server did not answer (down, wrong host or port, network)."""

    TITLE = N_("The database server cannot be reached")
    HINT = N_("Check that the server is running and that the host and port in the URL are right")


class NotADatabase(StoreError):
    """--db names something that cannot be a Marsad database (a report, a folder, a bad URL...)."""

    TITLE = N_("This is not a database Marsad can open")
    HINT = N_(
        "Give a DuckDB file (.duckdb) or a PostgreSQL URL such as postgresql+psycopg://user@host/marsad"
    )


class ForeignDatabase(StoreError):
    """A database holding another application's tables: left untouched."""

    TITLE = N_("This is not a Marsad database")
    HINT = N_("Nothing was changed: give a new file, an empty database, or Marsad's own database")


class SchemaMismatch(StoreError):
    """The stored schema version is newer than this code knows, or older than it can upgrade."""

    TITLE = N_("The database was made by another version of Marsad")
    HINT = N_(
        "Nothing was changed: open it with the version of Marsad that made it, or a newer one"
    )


class StoreFailure(StoreError):
    """Any other failure of the database; the driver's text is in `detail`, not in the message."""

    TITLE = N_("The database could not be used")
    HINT = N_("Set MARSAD_DEBUG=1 to see the technical cause, or ask whoever runs the database")


# What `loaders.sandbox` may rebuild from a worker (class name -> class).
KINDS = {
    c.__name__: c
    for c in (
        StoreError,
        StoreBusy,
        StoreUnreachable,
        NotADatabase,
        ForeignDatabase,
        SchemaMismatch,
        StoreFailure,
    )
}

_UNREACHABLE_WORDS = (
    "connection refused",
    "could not translate host",
    "timeout",
    "timed out",
    "is the server running",
    "no route",
    "name or service not known",
)


def first_line(e: BaseException) -> str:
    """The driver's first line, without SQLAlchemy's SQL echo and links (for `detail`)."""
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip()
    return (text.splitlines()[0] if text else type(orig).__name__)[:300]


def unreachable(e: BaseException, url: str) -> StoreUnreachable | None:
    """A StoreUnreachable when the error says the server did not answer."""
    text = str(getattr(e, "orig", None) or e).lower()
    if not any(w in text for w in _UNREACHABLE_WORDS):
        return None
    return StoreUnreachable(
        "unreachable",
        N_("Cannot open the database {url}: the server cannot be reached"),
        url=url,
        detail=first_line(e),
    )


def failure(e: BaseException, url: str) -> StoreFailure:
    return StoreFailure(
        "database-error",
        N_("The database {url} could not be used"),
        url=url,
        detail=first_line(e),
    )
