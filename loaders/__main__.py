"""Command line of the loaders: ingest, export, template, undo, history, demo (`python -m loaders --help`)."""

# Exit codes: 0 done (also "nothing new" and a clean dry run), 1 refused (problems blocked the upload, nothing
# written; an undo that cannot be done; a preview the database has moved past), 2 a file or the database cannot
# be read, or the command is wrong, 3 the database stayed busy (another process kept the DuckDB file locked).
# Imports stay inside the commands so that starting the CLI costs little.

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys

from loaders import settings

LANG_CHOICES = ("ar", "fr", "en")


def _default_user() -> str:
    try:
        return settings.get("MARSAD_USER") or getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


# Longer than 80 lines on purpose: a declarative table of the subcommands and their options, read top to
# bottom like `--help`; split up, it would scatter one command's options across functions.
def _parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        help="SQLAlchemy URL or path of a DuckDB file (default: $MARSAD_DB_URL, then "
        "data/marsad.duckdb)",
    )
    db.add_argument(
        "--catalog",
        metavar="DIR",
        help="catalog directory for a new database (default: the store's own, else data/catalog)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang", choices=LANG_CHOICES, default="en", help="language of messages (default: en)"
    )

    p = argparse.ArgumentParser(prog="python -m loaders", description="Marsad data loading")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", parents=[db, lang], help="load CSV/Excel files as one batch")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--dry-run", action="store_true", help="check and preview, write nothing")
    s.add_argument(
        "--expect-state",
        metavar="STATE",
        help="the `state` of an approved --dry-run --json preview: write nothing (exit 1) if the values it "
        "was computed against have changed since",
    )
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument(
        "--user", default=None, help="who loads (default: $MARSAD_USER or the login name)"
    )
    s.add_argument(
        "--publish",
        action="store_true",
        help="with review on (MARSAD_REVIEW=1): publish at once, as a validator, instead of submitting",
    )

    s = sub.add_parser("export", parents=[db], help="current values as CSV")
    s.add_argument("--user", default=None)
    s.add_argument("--as-of", default=None, metavar="DATE", help="as known on DATE (YYYY-MM-DD)")
    s.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="write to FILE (default: stdout)"
    )

    s = sub.add_parser("template", parents=[db], help="Excel template generated from the catalog")
    s.add_argument("--user", default=None)
    s.add_argument("-o", "--output", default=None, metavar="FILE", help=".xlsx, or .ods")
    s.add_argument("--format", choices=("xlsx", "ods"), default=None, help="default: FILE's suffix")
    s.add_argument(
        "--lang", choices=LANG_CHOICES, default="ar", help="language of the template (default: ar)"
    )

    s = sub.add_parser(
        "undo", parents=[db, lang], help="undo a batch (its values go back to the previous ones)"
    )
    s.add_argument("batch_id", type=int, metavar="BATCH_ID")
    s.add_argument("--user", default=None)

    # Review before publication (loaders/review.py).
    for name, text in (
        ("publish", "publish a submitted batch"),
        ("send-back", "send a submitted batch back to its analyst"),
        ("withdraw", "withdraw your own unpublished batch"),
    ):
        s = sub.add_parser(name, parents=[db, lang], help=text)
        s.add_argument("batch_id", type=int, metavar="BATCH_ID")
        s.add_argument("--user", default=None)
        s.add_argument("--comment", default=None, required=name == "send-back")

    s = sub.add_parser("history", parents=[db], help="batches loaded, newest first")
    s.add_argument("--json", action="store_true")
    s.add_argument("--user", default=None)

    s = sub.add_parser("demo", parents=[db], help="add or remove the DEMO data")
    s.add_argument("action", choices=("add", "remove"))
    s.add_argument("--user", default=None)

    # Backups (loaders/backup.py): every table as Parquet plus a checksummed manifest.
    s = sub.add_parser(
        "backup", parents=[db], help="write every table as Parquet to a new directory"
    )
    s.add_argument("-o", "--output", required=True, metavar="DIR")
    s.add_argument("--user", default=None, help="an admin once sign-in is on")
    s = sub.add_parser(
        "restore", parents=[db, lang], help="rebuild an empty database from a backup"
    )
    s.add_argument("directory", metavar="DIR")
    s.add_argument(
        "--user", default=None, help="an admin among the backup's accounts, if it has any"
    )
    from .access.cli import add_users_parser  # accounts (loaders/access/cli.py)

    add_users_parser(sub, [db])
    return p


class _Fail(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _messages_lang(args) -> str:
    return (
        args.lang
        if args.command in ("ingest", "undo", "publish", "send-back", "withdraw", "restore")
        else "en"
    )


# What each command needs the acting --user to be allowed (loaders/access). `users` decides in
# loaders/access/cli.py (the first admin is made with no account to check); backup and restore in their commands.
COMMAND_ACTION = {
    "ingest": "upload",
    "undo": "undo",
    "demo": "demo",
    "export": "view",
    "history": "view",
    "template": "view",
    "publish": "publish",
    "send-back": "send_back",
    "withdraw": "withdraw_own",
}


def _open(args):
    """The store named by --db (created, with its catalog, on first use) and its catalog; with sign-in on,
    the --user must be an active account whose role allows the command (else one sentence, exit 2)."""
    from .access.cli import AccessFailure, command_user
    from .cli_store import CliFailure, open_cli_store
    from .i18n import translator

    try:
        store, catalog = open_cli_store(args.db, args.catalog, lang=_messages_lang(args))
    except CliFailure as e:
        raise _Fail(e.code, e.message) from e
    if args.command in COMMAND_ACTION:
        name = args.user or _default_user()
        try:
            args.actor = command_user(
                store, name, COMMAND_ACTION[args.command], translator(_messages_lang(args))
            )
        except AccessFailure as e:
            raise _Fail(e.code, e.message) from e
    return store, catalog


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_ingest(args) -> int:
    from pathlib import Path

    from .i18n import translator
    from .ingest import ingest
    from .problems import UnreadableFile
    from .pyarrow_start import skip_pandas_probe

    skip_pandas_probe()  # ingest hands pyarrow no pandas object: 0.6 s less per run
    _ = translator(args.lang)
    store, catalog = _open(args)
    paths = [Path(f) for f in args.files]
    try:
        result = ingest(
            store,
            paths,
            user=args.user or _default_user(),
            dry_run=args.dry_run,
            lang=args.lang,
            catalog=catalog,
            preview=False,  # only the revisions are printed
            expected_state=args.expect_state,
        )
    except UnreadableFile as e:
        if settings.get("MARSAD_DEBUG"):  # the underlying cause, for whoever maintains the readers
            import traceback

            traceback.print_exception(e)
        if args.json:
            print(
                json.dumps(
                    {
                        "status": "rejected",
                        "batch_id": None,
                        "rows": 0,
                        "inserted": 0,
                        "revised": 0,
                        "unchanged": 0,
                        "problems": [
                            {
                                "file": e.file,
                                "sheet": None,
                                "row": None,
                                "column": None,
                                "code": "unreadable-file",
                                "message": e.title,
                                "severity": "error",
                            }
                        ],
                        "message": e.title,
                        "files": [p.name for p in paths],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(_("{file}: {title}", file=e.file, title=e.title), file=sys.stderr)
        return 2
    code = 1 if result.status in ("rejected", "stale") else 0
    if args.publish and result.batch_id is not None and code == 0:
        # Published before anything is printed, so the status and sentence say what viewers now see.
        from .review import status_of

        if status_of(store, result.batch_id) == "submitted":
            code = _review_action("publish", store, result.batch_id, args, direct=True)
            if code == 0:
                result = _published(result, _)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        _print_ingest(result, _)
    return code


def _published(result, _):
    """The ingest result of a batch `--publish` has just published: viewers see it now."""
    import dataclasses

    from .ingest_result import loaded, pending

    if result.status != "submitted":
        # "unchanged" stays (nothing new for viewers), without the sentence asking for a validator.
        tail = pending(_)
        if result.message.endswith(tail):
            return dataclasses.replace(result, message=result.message[: -len(tail)])
        return result
    counts = {"inserted": result.inserted, "revised": result.revised, "unchanged": result.unchanged}
    message = loaded(_, result.batch_id, **counts)
    return dataclasses.replace(result, status="committed", message=message)


def _review_action(action: str, store, batch_id: int, args, **kw) -> int:
    """Publish, send back or withdraw as the CLI's user; 1 with one sentence when refused."""
    from . import review
    from .i18n import translator

    _ = translator(args.lang)
    user = (
        args.actor.name
    )  # checked by _open: an account's role with sign-in on, else trusted (admin)
    role = args.actor.role
    try:
        if action == "publish":
            review.publish(
                store, batch_id, user=user, role=role, comment=getattr(args, "comment", None), **kw
            )
        elif action == "send-back":
            review.send_back(store, batch_id, user=user, role=role, comment=args.comment)
        else:
            review.withdraw(store, batch_id, user=user, role=role)
    except review.ReviewError as e:
        print(e.translated(_), file=sys.stderr)
        return 1
    return 0


def cmd_review(args) -> int:
    store, _catalog = _open(args)
    code = _review_action(args.command, store, args.batch_id, args)
    if code == 0:
        from .i18n import translator

        _ = translator(args.lang)
        done = {
            "publish": _("Batch {batch_id} published", batch_id=args.batch_id),
            "send-back": _("Batch {batch_id} sent back", batch_id=args.batch_id),
            "withdraw": _("Batch {batch_id} withdrawn", batch_id=args.batch_id),
        }
        print(done[args.command])
    return code


def _print_ingest(result, _) -> None:
    print(result.message)
    if result.status != "rejected":
        print(
            _(
                "Values read: {rows}; new: {inserted}; revised: {revised}; unchanged: {unchanged}",
                rows=result.rows,
                inserted=result.inserted,
                revised=result.revised,
                unchanged=result.unchanged,
            )
        )
    if result.problems:
        print()
        print(
            _(
                "Problems: {errors} errors, {warnings} warnings",
                errors=len(result.errors),
                warnings=len(result.warnings),
            )
        )
        rows = [
            [
                p.file,
                p.sheet or "",
                "" if p.row is None else p.row,
                p.column or "",
                _("error") if p.is_error else _("warning"),
                p.code,
                p.message,
            ]
            for p in result.problems
        ]
        print(
            _table(
                rows,
                [
                    _("File"),
                    _("Sheet"),
                    _("Row"),
                    _("Column"),
                    _("Severity"),
                    _("Code"),
                    _("Message"),
                ],
            )
        )
    revised = result.changes.filter(_is_revised(result.changes)) if result.revised else None
    if revised is not None and revised.num_rows:
        print()
        print(_("Revisions (old value kept in its batch):"))
        shown = revised.slice(0, 20).to_pylist()
        print(
            _table(
                [
                    [
                        r["indicator"],
                        r["period"],
                        r["region"] or _("National"),
                        r["old_value"],
                        r["new_value"],
                        r["file"],
                        "" if r["row_number"] is None else r["row_number"],
                    ]
                    for r in shown
                ],
                [
                    _("Indicator"),
                    _("Period"),
                    _("Region"),
                    _("Old value"),
                    _("New value"),
                    _("File"),
                    _("Row"),
                ],
            )
        )
        if revised.num_rows > 20:
            print(_("… and {count} more", count=revised.num_rows - 20))


def _is_revised(changes):
    import pyarrow.compute as pc

    return pc.equal(changes["change"], "revised")


def cmd_export(args) -> int:
    from .batches import export_csv

    store, _catalog = _open(args)
    try:
        if args.output:
            n = export_csv(store, args.output, as_of=args.as_of)
            print(f"{n} rows -> {args.output}", file=sys.stderr)
        else:
            sys.stdout.flush()
            export_csv(store, sys.stdout.buffer, as_of=args.as_of)
            sys.stdout.buffer.flush()
    except ValueError as e:  # a malformed --as-of date
        raise _Fail(2, f"--as-of: {e}") from e
    return 0


def cmd_template(args) -> int:
    from .template import build_template

    if args.db or settings.get("MARSAD_DB_URL"):
        _store, catalog = _open(args)
    else:  # no database named: the catalog files are enough
        from .catalog import CATALOG_DIR, load_catalog

        catalog = load_catalog(args.catalog or CATALOG_DIR)
    out = args.output or f"marsad_template_{args.lang}.{args.format or 'xlsx'}"
    build_template(catalog, out, lang=args.lang, fmt=args.format)
    print(out, file=sys.stderr)
    return 0


def cmd_undo(args) -> int:
    from .batches import UndoError, undo

    store, _catalog = _open(args)
    try:
        result = undo(store, args.batch_id, user=args.user or _default_user(), lang=args.lang)
    except UndoError as e:
        print(e.message, file=sys.stderr)
        return 1
    print(result.message)
    return 0


def cmd_history(args) -> int:
    import datetime as dt

    from .batches import HISTORY_COLUMNS, history
    from .store import local_time

    store, _catalog = _open(args)
    df = history(store)
    records = json.loads(df.to_json(orient="records", date_format="iso"))
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
        return 0
    cols = [c for c in HISTORY_COLUMNS if c != "demo"]  # DEMO shows in `origin` already

    def when(v) -> str:  # JSON keeps the stored UTC time; people read the time in Morocco
        if v is None:
            return ""
        return local_time(dt.datetime.fromisoformat(v)).strftime("%Y-%m-%d %H:%M:%S")

    rows = [[when(r[c]) if c.endswith("_at") else r[c] for c in cols] for r in records]
    print(_table(rows, cols))
    return 0


def cmd_demo(args) -> int:
    from .access.audit import record
    from .seed import add_demo, remove_demo

    store, catalog = _open(args)
    if args.action == "add":
        batch_id = add_demo(store, catalog)
        record(store, args.user or _default_user(), "demo_add", batch_id)
        print(f"DEMO batch {batch_id} added")
    else:
        n = remove_demo(store)
        record(store, args.user or _default_user(), "demo_remove", None, after={"batches": n})
        print(f"{n} DEMO batch(es) removed")
    return 0


def cmd_users(args) -> int:
    from .access.cli import run_users
    from .i18n import translator

    store, catalog = _open(args)
    return run_users(store, args, args.user or _default_user(), catalog, translator("en"))


def cmd_backup(args) -> int:
    """Admins only once sign-in is on: a backup carries the accounts' hashes and the audit trail."""
    from .access.audit import record
    from .access.cli import AccessFailure, store_user
    from .backup import BackupError, backup
    from .store import Store, resolve_url

    store = Store(resolve_url(args.db))
    try:
        user = store_user(store, args.user or _default_user(), "backup")
        result = backup(store, args.output)
    except AccessFailure as e:
        raise _Fail(e.code, e.message) from e
    except BackupError as e:
        raise _Fail(1, e.message) from e
    with store.transaction() as conn:
        audited = store.has_table(conn, "audit")  # a database from before the audit trail has none
    if audited:
        record(store, user, "backup", str(result.directory), after={"tables": result.tables})
    for name, rows in result.tables.items():
        print(f"{name}: {rows} rows", file=sys.stderr)
    print(result.directory)
    return 0


def cmd_restore(args) -> int:
    """Into an empty database only, by an admin of the accounts the backup brings; audited in the result."""
    from .access.audit import record
    from .access.cli import AccessFailure, backup_user
    from .backup import BackupError, restore
    from .i18n import translator
    from .store import Store, resolve_url

    try:
        user = backup_user(
            args.directory, args.user or _default_user(), "restore", translator(args.lang)
        )
        store = Store(resolve_url(args.db))
        result = restore(store, args.directory, lang=args.lang)
    except AccessFailure as e:
        raise _Fail(e.code, e.message) from e
    except BackupError as e:
        raise _Fail(1, e.message) from e
    record(store, user, "restore", str(result.directory), after={"tables": result.tables})
    for name, rows in result.tables.items():
        print(f"{name}: {rows} rows", file=sys.stderr)
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "export": cmd_export,
    "template": cmd_template,
    "undo": cmd_undo,
    "history": cmd_history,
    "demo": cmd_demo,
    "backup": cmd_backup,
    "publish": cmd_review,
    "send-back": cmd_review,
    "withdraw": cmd_review,
    "restore": cmd_restore,
    "users": cmd_users,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # a wrong command line exits 2 (argparse)
    # Process-wide, so chosen here and not in the library: jemalloc read a 1M-row CSV ~2x faster than
    # the system allocator here and returned memory sooner (lower peak on the 5M-row ingest).
    import pyarrow as pa

    pa.set_memory_pool(pa.jemalloc_memory_pool())
    if hasattr(signal, "SIGPIPE"):  # `… | head` ends quietly, like other command-line tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return COMMANDS[args.command](args)
    except _Fail as e:
        print(e.message, file=sys.stderr)
        return e.code
    except (
        Exception
    ) as e:  # the database failing mid-command (busy, server gone): one sentence, no traceback
        from .cli_store import explain
        from .i18n import translator
        from .store import resolve_url

        failure = explain(e, resolve_url(args.db), translator(_messages_lang(args)))
        if failure is None:
            raise
        print(failure.message, file=sys.stderr)
        return failure.code


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: everything is committed and closed by now, and freeing a million-row
    # Arrow table (and duckdb's exit-time leak report) only costs time.
    os._exit(code)
