"""Command line of the KPI engine: `python -m kpis status | explain CODE | pillars | milestones | export-deck |
export-pdf`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys

import pandas as pd

from loaders.access.cli import AccessFailure, command_user, default_user
from loaders.cli_store import CliFailure, explain, open_cli_store
from loaders.i18n import LANGS, fmt_number, fmt_percent, fmt_period, translator
from loaders.store import local_today, resolve_url

from .engine import _num, indicator_detail, status_table
from .inputs import load_inputs
from .methods import (
    FLAG_LABELS,
    FORMULA_LABELS,
    METHODS,
    MILESTONE_STATUS_LABELS,
    MILESTONE_TYPE_LABELS,
    STATUS_GROUP,
    STATUS_GROUP_LABELS,
    STATUS_GROUP_ORDER,
    STATUS_LABELS,
)
from .milestones import milestones_table
from .rollup import pillar_rollup

# The record of `status --json`: exactly these keys, in this order (a contract for scripts).
CLI_KEYS = (
    "indicator",
    "region",
    "latest_period",
    "latest_value",
    "coverage",
    "partial_sum",
    "baseline_value",
    "baseline_year",
    "baseline_from",
    "target_value",
    "target_year",
    "progress",
    "expected_progress",
    "status",
    "status_group",
    "projection",
    "projection_low",
    "projection_high",
    "projection_reason",
    "flags",
    "explain",
)
# The flat columns of `status --csv` (the JSON record without explain; coverage as "5/12").
CSV_KEYS = tuple(k for k in CLI_KEYS if k not in ("explain", "partial_sum")) + (
    "partial_value",
    "partial_period",
    "partial_coverage",
)


def _coverage(n, total) -> str | None:
    return None if _missing(n) or not total else f"{int(n)}/{int(total)}"


def cli_records(df: pd.DataFrame) -> list[dict]:
    """The `status --json` records of a status table (CLI_KEYS): the same figures the Overview shows."""
    out = []
    for row in df.to_dict("records"):
        rec = {k: row.get(k) for k in CLI_KEYS}
        rec["region"] = row["region"] or None
        rec["coverage"] = _coverage(row["latest_regions"], row["regions_total"])
        rec["partial_sum"] = (
            None
            if _missing(row["partial_value"])
            else {
                "value": row["partial_value"],
                "period": row["partial_period"],
                "coverage": _coverage(row["partial_regions"], row["regions_total"]),
                "used": False,
            }
        )
        rec["status_group"] = STATUS_GROUP.get(row["status"], "none")
        out.append(rec)
    return out


def _clean(x):
    """JSON-safe: NaN -> null, numpy scalars -> Python."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, str) or x is None:
        return x
    return _num(x)


def _dump(obj) -> str:
    return json.dumps(_clean(obj), ensure_ascii=False, allow_nan=False, indent=1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from e


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", help="database URL or DuckDB file (default: MARSAD_DB_URL or data/marsad.duckdb)"
    )
    common.add_argument("--as-of", type=_date, help="compute as known on this date (YYYY-MM-DD)")
    common.add_argument("--method", choices=list(METHODS), default="trajectory")
    common.add_argument("--json", action="store_true", help="machine-readable JSON")
    common.add_argument("--lang", choices=list(LANGS), default="en")
    common.add_argument("--user", default=None, help="who reads (checked when sign-in is on)")
    p = argparse.ArgumentParser(prog="python -m kpis", description="Marsad KPI engine")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("status", parents=[common], help="status of every indicator")
    s.add_argument("--by-region", action="store_true", help="also one record per region")
    s.add_argument("--csv", action="store_true", help="the records as CSV (no explain)")
    e = sub.add_parser(
        "explain", parents=[common], help="inputs and formula behind one indicator's figures"
    )
    e.add_argument("code")
    e.add_argument("--region", help="ISO code of a region (MA-01..MA-12)")
    sub.add_parser("pillars", parents=[common], help="roll-up by pillar and programme")
    sub.add_parser(
        "milestones", parents=[common], help="events, milestones and targets: done, due, overdue"
    )
    r = sub.add_parser(
        "reporting",
        parents=[common],
        help="reporting calendar: due, received, overdue per producer",
    )
    r.add_argument("--producer", help="only this producer's figures")
    from .export.cli import add_parsers

    add_parsers(sub, common)
    return p


def _reporting(args, inputs, today, _) -> int:
    from .calendar import records, reporting

    table = reporting(inputs, today)
    if args.producer:
        table = table[table["producer"] == args.producer]
    recs = records(table)
    if args.json:
        print(_dump(recs))
        return 0
    label = {"upcoming": "not yet due", "unscheduled": "not chased"}
    headers = [_("Producer"), _("Indicator"), _("Period"), _("Due on"), _("Status"), _("Days late")]
    rows = [
        [
            r["producer"] or "—",
            r["code"],
            r["period"] or "—",
            r["due_date"] or "—",
            _(label.get(r["status"], r["status"])),
            str(r["days_overdue"] or ""),
        ]
        for r in sorted(recs, key=lambda r: (r["producer"], r["code"]))
    ]
    print(_table(headers, rows))
    return 0


def _label(labels: dict, code: str, _) -> str:
    """Translated label of a stable code (labels are marked N_ in kpis/methods.py)."""
    return _(labels[code])


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _fmt(x, lang, pct=False):
    if _missing(x):
        return "—"
    return fmt_percent(x, lang) if pct else fmt_number(x, lang)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _status(args, inputs, today, _) -> int:
    df = status_table(inputs, today=today, method=args.method, by_region=args.by_region)
    records = cli_records(df)
    if args.json:
        print(_dump(records))
        return 0
    if getattr(args, "csv", False):
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(CSV_KEYS), lineterminator="\n")
        w.writeheader()
        for r in _clean(records):
            flat = {k: r.get(k) for k in CSV_KEYS if k in r}
            flat["flags"] = ";".join(r["flags"])
            p = r["partial_sum"] or {}
            flat.update(
                partial_value=p.get("value"),
                partial_period=p.get("period"),
                partial_coverage=p.get("coverage"),
            )
            w.writerow(flat)
        return 0
    lang = args.lang
    headers = [
        _("Indicator"),
        _("Region"),
        _("Period"),
        _("Latest value"),
        _("Regions"),
        _("Baseline"),
        _("Target"),
        _("Progress"),
        _("Expected"),
        _("Status"),
        _("Projection"),
        _("Flags"),
    ]
    rows = []
    for r, rec in zip(df.to_dict("records"), records, strict=True):
        target = (
            "—"
            if _missing(r["target_year"])
            else f"{_fmt(r['target_value'], lang)} ({r['target_year']})"
        )
        latest = _fmt(r["latest_value"], lang)
        if rec["partial_sum"]:
            latest += " " + _(
                "(partial {value}, not used)", value=_fmt(rec["partial_sum"]["value"], lang)
            )
        cover = rec["coverage"] or (rec["partial_sum"] or {}).get("coverage") or ""
        rows.append(
            [
                r["indicator"],
                r["region"] or _("National"),
                fmt_period(r["latest_period"], lang),
                latest,
                cover,
                _fmt(r["baseline_value"], lang),
                target,
                _fmt(r["progress"], lang, pct=True),
                _fmt(r["expected_progress"], lang, pct=True),
                _label(STATUS_LABELS, r["status"], _),
                _fmt(r["projection"], lang),
                ", ".join(_label(FLAG_LABELS, f, _) for f in r["flags"]),
            ]
        )
    print(_("Method: {method}", method=_label(METHODS, args.method, _)))
    print(_("Evaluated on {date}", date=today.isoformat()))
    print(_table(headers, rows))
    national = [r for r in records if r["region"] is None]
    print(
        " · ".join(
            f"{_(STATUS_GROUP_LABELS[g])}: {sum(r['status_group'] == g for r in national)}"
            for g in STATUS_GROUP_ORDER
        )
    )
    return 0


def _provenance(point: dict, _) -> None:
    if point.get("from") == "catalog":
        print("  " + _("From the catalog; sources: {sources}", sources=point["source"]))
    elif point.get("batch_id") is not None:
        print(
            "  "
            + _(
                "Loaded in batch {batch} from {file}, row {row}",
                batch=point["batch_id"],
                file=point["file"] or "—",
                row=point["row_number"] or "—",
            )
        )
    elif point.get("derived"):
        print("  " + _("Derived from {n} regions", n=point["n_regions"]))


def _explain(args, inputs, today, _) -> int:
    codes = set(inputs.indicators["code"])
    if args.code not in codes:
        print(_("Unknown indicator {code}", code=args.code), file=sys.stderr)
        return 2
    try:
        d = indicator_detail(inputs, args.code, today=today, method=args.method, region=args.region)
    except ValueError:
        print(_("{code} is not reported by region", code=args.code), file=sys.stderr)
        return 2
    ex = d["explain"]
    if args.json:
        print(_dump(ex))
        return 0
    lang = args.lang
    b, latest, t = ex["baseline"], ex["latest"], ex["target"]
    print(
        f"{ex['indicator']} {ex['region'] or _('National')}: {_label(STATUS_LABELS, ex['status'], _)}"
    )
    print(_("Formula: {formula}", formula=_label(FORMULA_LABELS, ex["formula"], _)))
    if b:
        print(_("Baseline: {value} ({year})", value=_fmt(b["value"], lang), year=b["year"]))
        _provenance(b, _)
    if latest:
        print(
            _(
                "Latest: {value} ({period})",
                value=_fmt(latest["value"], lang),
                period=fmt_period(latest["period"], lang),
            )
        )
        _provenance(latest, _)
    if t:
        print(
            _(
                "Target: {value} ({year}), confidence {confidence}",
                value=_fmt(t["value"], lang),
                year=t["year"],
                confidence=t["confidence"],
            )
        )
    p = ex["progress"]
    print(
        _(
            "Progress {progress}, expected {expected}",
            progress=_fmt(p["value"], lang, pct=True),
            expected=_fmt(p["expected"], lang, pct=True),
        )
    )
    pr = ex["projection"]
    if pr["value"] is not None:
        print(
            _(
                "Projection {date}: {value} (band {low} to {high}, not a probability)",
                date=pr["date"],
                value=_fmt(pr["value"], lang),
                low=_fmt(pr["low"], lang),
                high=_fmt(pr["high"], lang),
            )
        )
    if ex["flags"]:
        print(_("Flags: {flags}", flags=", ".join(_label(FLAG_LABELS, f, _) for f in ex["flags"])))
    print(_dump(ex))
    return 0


def _pillars(args, inputs, today, _) -> int:
    roll = pillar_rollup(status_table(inputs, today=today, method=args.method))
    if args.json:
        print(_dump(roll.to_dict("records")))
        return 0
    headers = [_("Programme"), _("Pillar"), _("Indicators"), _("Score")] + [
        _label(STATUS_LABELS, s, _) for s in STATUS_LABELS
    ]
    rows = [
        [r["programme"], r["pillar"] or "*", str(r["indicators"]), _fmt(r["mean_score"], args.lang)]
        + [str(r[s]) for s in STATUS_LABELS]
        for r in roll.to_dict("records")
    ]
    print(_table(headers, rows))
    return 0


def _milestones(args, inputs, today, _) -> int:
    ms = milestones_table(inputs, today=today)
    if args.json:
        print(_dump(ms.to_dict("records")))
        return 0
    headers = [_("Indicator"), _("Type"), _("Due date"), _("Value"), _("Status"), _("Done on")]
    rows = [
        [
            r["indicator"],
            _label(MILESTONE_TYPE_LABELS, r["type"], _),
            r["due_date"],
            _fmt(r["value"], args.lang),
            _label(MILESTONE_STATUS_LABELS, r["status"], _),
            "—" if _missing(r["done_date"]) else r["done_date"],
        ]
        for r in ms.to_dict("records")
    ]
    print(_table(headers, rows))
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)  # a wrong command line exits 2 (argparse)
    _ = translator(args.lang)
    try:
        store, _catalog = open_cli_store(args.db, lang=args.lang)
        command_user(store, args.user or default_user(), "view", _)  # sign-in on: a known account
        inputs = load_inputs(store, args.as_of)
    except (CliFailure, AccessFailure) as e:
        print(e.message, file=sys.stderr)
        return e.code
    except Exception as e:  # the database failing while read: one sentence, no traceback
        failure = explain(e, resolve_url(args.db), _)
        if failure is None:
            raise
        print(failure.message, file=sys.stderr)
        return failure.code
    # As known on D: D is "today" for every date-dependent rule; by default today in Morocco.
    today = args.as_of or local_today()
    handler = {
        "status": _status,
        "explain": _explain,
        "pillars": _pillars,
        "milestones": _milestones,
        "reporting": _reporting,
    }
    if args.command.startswith("export-"):
        from .export.cli import run

        return run(args, inputs, today, _)
    return handler[args.command](args, inputs, today, _)


if __name__ == "__main__":
    raise SystemExit(main())
