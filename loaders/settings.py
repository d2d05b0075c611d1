"""Every MARSAD_* environment setting, declared once with its type, default and description, and read here.

The README's "Settings" table is this list (`python -m loaders.settings` prints it; tests/test_settings.py
fails when they disagree, and when the code names a MARSAD_ variable declared nowhere). Values are read from
the environment on every call, so a test or a deployment can change them; a value that does not parse keeps
the default rather than lifting a limit. Kept free of heavy imports: the CLI's ingest path reads it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Where a setting is read: "app" (the dashboard and the commands), "limits" (files people send), "tests".
SCOPES = ("app", "limits", "tests")
_FALSE = ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    name: str
    type: type  # str, int, float or bool
    default: object  # None: no value (the description says what happens then)
    description: str
    scope: str = "app"
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "MARSAD_DB_URL",
        str,
        None,
        "The store when no `--db` is given: a SQLAlchemy URL or a DuckDB file path; unset: `data/marsad.duckdb`",
    ),
    Setting(
        "MARSAD_USER",
        str,
        None,
        "Who loads or undoes from the command line (unset: the login name) and, until sign-in exists, "
        "the name proposed on the Upload page",
    ),
    Setting(
        "MARSAD_STATUS_METHOD",
        str,
        "trajectory",
        "The pages' status method until a viewer picks one",
        choices=("trajectory", "growth-ratio"),
    ),
    Setting(
        "MARSAD_DEBUG",
        bool,
        False,
        "Print the cause of an unreadable file or a failed worker on stderr, for whoever maintains the readers",
    ),
    Setting(
        "MARSAD_JUMP_FACTOR",
        float,
        10.0,
        "A value more than this many times (or under 1/this) the previous period's gets a `sudden-jump` "
        "warning; a number above 1",
    ),
    Setting(
        "MARSAD_LOCK_WAIT_SECONDS",
        float,
        20.0,
        "How long a command waits for a DuckDB file another process is writing, then exits 3",
    ),
    Setting(
        "MARSAD_MAX_UPLOAD_MB",
        int,
        50,
        "One uploaded file, in MB (keep `server.maxUploadSize` in `.streamlit/config.toml` equal)",
        "limits",
    ),
    Setting(
        "MARSAD_MAX_MEMBER_MB",
        int,
        256,
        "One part of an .xlsx/.ods archive, uncompressed, in MB",
        "limits",
    ),
    Setting(
        "MARSAD_MAX_UNZIPPED_MB",
        int,
        512,
        "All parts of one archive, uncompressed, in MB",
        "limits",
    ),
    Setting(
        "MARSAD_MAX_RATIO",
        int,
        100,
        "Compression ratio of one archive part over 1 MB",
        "limits",
    ),
    Setting("MARSAD_MAX_MEMBERS", int, 2000, "Parts in one archive", "limits"),
    Setting(
        "MARSAD_MAX_SHEET_CELLS",
        int,
        20_000_000,
        "Cells (rows × columns) of one sheet",
        "limits",
    ),
    Setting("MARSAD_MAX_FILE_CELLS", int, 40_000_000, "Cells of all sheets of one file", "limits"),
    Setting(
        "MARSAD_WORKER_MB",
        int,
        2048,
        "Memory (address space) of the process that reads an upload from the page, in MB",
        "limits",
    ),
    Setting(
        "MARSAD_WORKER_SECONDS",
        int,
        120,
        "Time that process may take, in seconds",
        "limits",
    ),
    Setting(
        "MARSAD_TEST_PG_URL",
        str,
        None,
        "PostgreSQL server for the store tests (`make test` starts one); unset: those tests skip",
        "tests",
    ),
    Setting(
        "MARSAD_REQUIRE_PG",
        bool,
        False,
        "Make the PostgreSQL tests fail, not skip, without a server (`make test` sets it)",
        "tests",
    ),
    Setting(
        "MARSAD_REFERENCE_DIR",
        str,
        None,
        "Folder of the reference facts the catalog is checked against; unset: the default folder",
        "tests",
    ),
    Setting(
        "MARSAD_REVIEW",
        bool,
        False,
        "Uploads wait for a validator before they count (review before publication); on by itself as soon "
        "as sign-in is on",
    ),
    Setting(
        "MARSAD_SELF_PUBLISH",
        bool,
        False,
        "Small teams: the analyst who submitted a batch may also publish it (the four-eyes rule is off)",
    ),
    Setting(
        "MARSAD_AUTH",
        str,
        "auto",
        "Sign-in: `auto` is on as soon as one account exists (off on a presenter's laptop with none); "
        "`required` always on (set it on servers)",
        choices=("auto", "required"),
    ),
    Setting(
        "MARSAD_ANONYMOUS_VIEW",
        bool,
        False,
        "With sign-in on, people who are not signed in may still read the Roadmap pages",
    ),
    Setting("MARSAD_SESSION_HOURS", float, 12.0, "How long a sign-in lasts, in hours"),
    Setting(
        "MARSAD_OIDC_PROVIDER",
        str,
        None,
        "The `[auth]` provider of `.streamlit/secrets.toml` to sign in with (OpenID Connect through "
        "`st.login`, e.g. `default`); unset: local accounts only",
    ),
    Setting(
        "MARSAD_OIDC_ROLE_CLAIM",
        str,
        "roles",
        "The ID-token claim holding the roles, a dotted path (Keycloak: `realm_access.roles`)",
    ),
    Setting(
        "MARSAD_OIDC_ROLE_MAP",
        str,
        None,
        "Other claim values mapped to roles: `value=role,…` (e.g. `/DEPF/stats=analyst`)",
    ),
    Setting(
        "MARSAD_OIDC_DEFAULT_ROLE",
        str,
        "viewer",
        "The role of a provider's user with no matching claim value (`none` refuses them)",
    ),
    Setting(
        "MARSAD_PUBLIC_URL",
        str,
        "http://localhost:8501",
        "The dashboard's address printed and QR-coded in PDF briefings",
    ),
    Setting(
        "MARSAD_FAULT_PAUSE",
        str,
        None,
        "Pause a load inside its transaction at this point, for the kill-mid-load test",
        "tests",
        choices=("before-insert", "before-commit"),
    ),
    Setting(
        "MARSAD_TEST_OUTPUT",
        str,
        None,
        "Folder where the browser tests leave their screenshots; unset: `screenshots/tmp`",
        "tests",
    ),
    Setting(
        "MARSAD_CONNECT_LOG",
        str,
        None,
        "File where the offline test's app records every outbound connection it attempts",
        "tests",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _parse(s: Setting, raw: str):
    if s.type is bool:
        return raw.strip().lower() not in _FALSE
    value = s.type(raw.strip())
    if s.choices and value not in s.choices:
        raise ValueError(raw)
    return value


def get(name: str):
    """The setting's value now: the environment's, parsed to its type, else its default."""
    s = BY_NAME[name]  # a KeyError here means the setting is not declared above
    raw = os.environ.get(name)
    if raw is None or (s.type is not bool and not raw.strip()):
        return s.default
    try:
        return _parse(s, raw)
    except ValueError:
        return s.default  # a mistyped setting keeps the safe default


def _default_text(s: Setting) -> str:
    if s.default is None:
        return "—"
    if s.type is bool:
        return "off"
    if s.type is int:
        return f"{s.default:,}"
    if s.type is float:
        return f"{s.default:g}"
    return f"`{s.default}`"


def markdown_table() -> str:
    """The README's settings table."""
    lines = [
        "| setting | type | default | used by | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        kind = s.type.__name__ + (f" ({' or '.join(s.choices)})" if s.choices else "")
        lines.append(f"| `{s.name}` | {kind} | {_default_text(s)} | {s.scope} | {s.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
