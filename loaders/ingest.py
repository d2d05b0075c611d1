"""The upload pipeline: read files, check them together, diff against current values, commit one batch atomically."""

# Rules applied across all the files of one upload (the readers have already checked each cell):
# - the same (indicator, period, region) twice: equal values -> `duplicate-key` warning, kept once (the first in
#   file order); different values -> `conflicting-duplicate` error on every row involved, naming the other one;
# - a unit written in the file (unit column or "Valeur (%)") is compared with the catalog unit after
#   normalisation (case, accents, "%"/"pourcent"/"٪", "emplois"/"مناصب الشغل", "/an"...): only a unit that means
#   something else ("milliers", "%" for jobs) is a `unit-mismatch`, once per file, sheet, indicator and unit;
# - a regional value of a national-only indicator -> `region-not-allowed`; a milestone takes 0 or 1 (`bad-number`);
# - a period that has not started yet (after `now`) -> `future-period`: only observed values are loaded, never
#   forecasts or targets;
# - a quarter of an annual or biennial indicator is accepted (finer than the catalog frequency, not wrong: the
#   KPI engine rolls quarters up by kind), so `period-frequency` is not raised.
# Any error: nothing is written. The diff compares with the current real value (a DEMO value never counts):
# equal value -> unchanged (a new unit, source or comment alone is not a revision). Unchanged values are still
# written in the batch that reported them: the value then rests on every batch that reported it, so undoing
# any one of them leaves the others' value and provenance in place.

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from .catalog import CATALOG_DIR, Catalog, load_catalog
from .i18n import LANGS, fmt_number, translator
from .longform import LONG_SCHEMA, LongResult
from .problems import (
    MAX_LISTED,
    SUMMARY_CODES,
    FileMissing,
    Problem,
    Problems,
    ReaderFailed,
    UnreadableFile,
)
from .store import Store, scratch, utcnow
from .submit import after_ingest, audit_row, initial_status
from .units import (
    JUMP_KINDS,
    MAX_MAGNITUDE,
    UNITS_FILE,
    Unit,
    indicator_units,
    jump_factor,
    read_units,
    unit_key,
    unit_words,
)

# The queries fetch at most the collector's cap of rows per code (loaders.problems.MAX_LISTED).
MAX_PER_CODE = MAX_LISTED

# Points inside the open write transaction where `checkpoint` is called: just before the observations are
# inserted, and just before COMMIT. The kill-mid-load test installs a hook there (tests/fault.py).
FAULT_POINTS = ("before-insert", "before-commit")


def _no_checkpoint(point: str) -> None:
    """The production hook: nothing."""


checkpoint = _no_checkpoint

CHANGES_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("region", pa.string()),
        ("old_value", pa.float64()),
        ("new_value", pa.float64()),
        ("change", pa.string()),  # new | revised | unchanged | checked (no error, rejected preview)
        ("file", pa.string()),
        ("sheet", pa.string()),
        ("row_number", pa.int32()),
        ("old_batch_id", pa.int32()),  # batch holding the value being revised (kept there)
    ]
)


@dataclass
class IngestResult:
    """Outcome of one upload (one call = one batch). `changes` is the preview of what is (or would be) written."""

    status: str  # committed | unchanged | rejected | dry-run
    batch_id: int | None
    rows: int  # distinct values read, after leaving out rows with errors and repeated duplicates
    inserted: int
    revised: int
    unchanged: int
    problems: list[Problem]
    changes: pa.Table
    message: str = ""  # one sentence for people, in the requested language
    files: list[str] = field(default_factory=list)
    same_as_batch: int | None = None  # "already loaded in batch N" when the content hash matches
    # Digest of the current values of the uploaded keys the diff was computed against. Passing it back as
    # `expected_state` makes the commit refuse (status "stale", nothing written) if they changed since.
    state: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def changed(self, kind: str) -> pa.Table:
        """The preview rows of one kind: "new", "revised" or "unchanged"."""
        import pyarrow.compute as pc

        return self.changes.filter(pc.equal(self.changes["change"], kind))

    def as_json(self) -> dict:
        """The object `python -m loaders ingest --json` prints."""
        return {
            "status": self.status,
            "batch_id": self.batch_id,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "problems": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "code": p.code,  # the stable id; the title and message are for people
                    "title": p.title,
                    "message": p.message,
                    "severity": p.severity,
                }
                for p in self.problems
            ],
            "message": self.message,
            "files": self.files,
            "state": self.state,
        }


# -- units ------------------------------------------------------------------------------------------

# Words for "a count of things": they fit any count unit (jobs, people…) but not %, MAD, ranks.
COUNT_WORDS = ("number", "count", "nombre", "nb", "effectif", "units", "unites", "عدد", "العدد")
_COUNT_KEYS = {unit_key(w) for w in COUNT_WORDS}


@lru_cache(maxsize=1)
def _default_units() -> tuple[Unit, ...]:
    """The catalog's unit vocabulary (data/catalog/units.csv), for callers without a Catalog."""
    return tuple(Unit(**row) for _i, row in read_units(CATALOG_DIR / UNITS_FILE))


def unit_label(unit: str, lang: str, units: tuple[Unit, ...] | None = None) -> str:
    """The catalog unit as the template shows it in a language (its label in units.csv)."""
    by_code = {u.code: u for u in (units or _default_units())}
    return by_code[unit].label(lang) if unit in by_code else unit


def units_match(
    written: str | None, catalog_unit: str, units: tuple[Unit, ...] | None = None
) -> bool:
    """True unless the unit written in the file means something else than the catalog unit."""
    w = unit_key(written)
    if not w:
        return True
    word_to_unit, count_units = unit_words(units or _default_units())
    expected = unit_key(catalog_unit)
    expected = word_to_unit.get(expected, expected)
    if w in _COUNT_KEYS:
        return expected in count_units
    return word_to_unit.get(w, w) == expected


# -- helpers --------------------------------------------------------------------------------------------


def store_catalog(store: Store) -> Catalog:
    """The catalog the store was built on (the store keeps its catalog directory in `meta`)."""
    return load_catalog(store.meta_value("catalog_dir") or CATALOG_DIR)


def _empty_changes() -> pa.Table:
    return CHANGES_SCHEMA.empty_table()


class _Located:
    """Turns (file, sheet, row) into the words a person reads, in one language."""

    def __init__(self, catalog: Catalog, lang: str):
        self._ = translator(lang)
        self.lang, self.catalog = lang, catalog
        self._others: dict[str, _Located] = {lang: self}
        name_attr = f"name_{lang}" if lang in ("ar", "fr", "en") else "name_en"
        self.regions = {r.iso: getattr(r, name_attr) for r in catalog.regions}

    def where(self, file: str, sheet: str | None, row: int | None) -> str:
        _ = self._
        if sheet:
            return _("{file}, sheet {sheet}, row {row}", file=file, sheet=sheet, row=row)
        return _("{file}, row {row}", file=file, row=row)

    def region(self, iso: str | None) -> str:
        if not iso:
            return self._("National")
        return self.regions.get(iso, iso)

    def key(self, indicator: str, period: str, region: str) -> str:
        return f"{indicator} · {period} · {self.region(region)}"

    def number(self, v) -> str:
        return fmt_number(v, self.lang)

    def local(self, fn) -> dict[str, str]:
        """`fn(located)` in every language: a problem's message renders in any of them."""
        for lang in LANGS:
            self._others.setdefault(lang, _Located(self.catalog, lang))
        return {lang: fn(self._others[lang]) for lang in LANGS}

    def every(self, method: str, *args) -> dict[str, str]:
        """`located.method(*args)` in every language."""
        return self.local(lambda lo: getattr(lo, method)(*args))


def _sorted(problems: list[Problem], files: list[str]) -> list[Problem]:
    """File order, then sheet, row and column as a person reads them; counts of unlisted ones last."""
    order = {f: i for i, f in enumerate(files)}

    def key(p: Problem):
        col = p.column or ""
        return (
            p.code in SUMMARY_CODES,
            order.get(p.file, len(order)),
            p.sheet or "",
            -1 if p.row is None else p.row,
            len(col),
            col,
        )

    return sorted(problems, key=key)


# -- cross-row checks (in DuckDB, over all files at once) --------------------------------------------------

_ROW_RULES = """
    SELECT u.*, CASE
        WHEN u.indicator IS NULL OR c.code IS NULL THEN 'unknown-indicator'
        WHEN u.period IS NULL OR NOT regexp_full_match(u.period, '[0-9]{4}(-Q[1-4])?') THEN 'bad-period'
        WHEN u.value IS NULL OR isnan(u.value) THEN 'missing-value'
        WHEN u.region <> '' AND r.iso IS NULL THEN 'unknown-region'
        WHEN u.region <> '' AND NOT c.by_region THEN 'region-not-allowed'
        WHEN c.kind = 'milestone' AND u.value NOT IN (0, 1) THEN 'bad-number'
        WHEN NOT isfinite(u.value) OR abs(u.value) > $max_magnitude
          OR u.value < c.umin OR u.value > c.umax THEN 'out-of-range'
        WHEN c.whole AND u.value <> floor(u.value) THEN 'not-whole'
        WHEN left(u.period, 4) > $year
          OR (left(u.period, 4) = $year AND length(u.period) = 7 AND right(u.period, 1) > $quarter)
          THEN 'future-period'
    END AS reason
    FROM up u LEFT JOIN cat c ON c.code = u.indicator LEFT JOIN reg r ON r.iso = u.region
"""


# The rows of a rejected preview (dry run) that have no error of their own: shown beside the problems, and the
# pre-filled rows of the corrected template. A file with an error not tied to a row gives none.
_GOOD_ROWS = f"""
    SELECT u.indicator, u.period, u.region, NULL::DOUBLE AS old_value, u.value AS new_value,
           'checked' AS change, u.file, u.sheet, u.row_number, NULL::INTEGER AS old_batch_id
    FROM ({_ROW_RULES}) u
    WHERE u.reason IS NULL
      AND NOT EXISTS (SELECT 1 FROM bad b WHERE b.file = u.file
                      AND (b.row_number IS NULL OR (b.sheet IS NOT DISTINCT FROM u.sheet
                                                    AND b.row_number = u.row_number)))
    ORDER BY u.fidx, u.sheet, u.row_number, u.col
"""


def _good_rows(con, now: dt.datetime, problems: list[Problem]) -> pa.Table:
    wide = SUMMARY_CODES | {"no-data"}  # problems of the whole file, not of a row
    bad = [p for p in problems if p.is_error and p.code not in wide]
    con.register(
        "bad",
        pa.table(
            {
                "file": pa.array([p.file for p in bad], pa.string()),
                "sheet": pa.array([p.sheet for p in bad], pa.string()),
                "row_number": pa.array([p.row for p in bad], pa.int32()),
            }
        ),
    )
    return con.sql(_GOOD_ROWS, params=_rule_sql_params(now)).to_arrow_table().cast(CHANGES_SCHEMA)


def _rule_sql_params(now: dt.datetime) -> dict:
    return {
        "year": f"{now.year:04d}",
        "quarter": str((now.month - 1) // 3 + 1),
        "max_magnitude": MAX_MAGNITUDE,
    }


def _scan(con, now: dt.datetime) -> tuple[int, int, int, int]:
    """One pass over the upload: rows, distinct key hashes, content hash, rows breaking a row rule.

    Equal keys always hash equal, so a hash collision can only send us to the exact duplicate check,
    never hide a duplicate.
    """
    return con.execute(
        f"""SELECT count(*), count(DISTINCT hash(indicator, period, region)),
                   bit_xor(hash(indicator, period, region, value)), count(*) FILTER (WHERE reason IS NOT NULL)
            FROM ({_ROW_RULES})""",
        _rule_sql_params(now),
    ).fetchall()[0]


def _check_rows(
    con, loc: _Located, probs: Problems, now: dt.datetime, catalog: Catalog, key_columns: dict
) -> int:
    """Rules on single values the catalog decides; returns how many rows have such an error."""
    params = _rule_sql_params(now)
    found = con.execute(
        f"""SELECT * FROM (
                SELECT *, row_number() OVER (PARTITION BY reason ORDER BY fidx, sheet, row_number, col) AS k,
                       count(*) OVER (PARTITION BY reason) AS total
                FROM ({_ROW_RULES}) WHERE reason IS NOT NULL)
            WHERE k <= {MAX_PER_CODE} ORDER BY reason, k""",
        params,
    ).fetchall()
    names = [d[0] for d in con.description]
    totals: dict[str, tuple[int, str, str | None]] = {}
    for rec in found:
        r = dict(zip(names, rec, strict=True))
        code = r["reason"]
        probs.add(
            code=code,
            file=r["file"],
            sheet=r["sheet"],
            row=r["row_number"],
            column=_rule_column(r, code, key_columns.get((r["file"], r["sheet"]), {})),
            **_rule_params(loc, catalog, code, r),
        )
        totals[code] = (r["total"], r["file"], r["sheet"])
    bad_rows = 0
    for code, (total, file, sheet) in totals.items():
        probs.count_more(code, total - min(total, MAX_PER_CODE), file=file, sheet=sheet)
        bad_rows += total
    return bad_rows


def _rule_column(r: dict, code: str, letters: dict) -> str | None:
    """The cell a person must change: the period's cell for a period problem, the region's for a region
    problem, the indicator's for an unknown one; the value's cell otherwise, and where the reader
    recorded no such column (a wide table's period is its value column's header)."""
    role = {
        "bad-period": "period",
        "future-period": "period",
        "unknown-region": "region",
        "region-not-allowed": "region",
        "unknown-indicator": "indicator",
    }.get(code)
    return letters.get(role) or r["col"]


def _rule_params(loc: _Located, catalog: Catalog, code: str, r: dict) -> dict:
    """The parameters of a row-rule problem (see _ROW_RULES)."""
    ind = r["indicator"]
    if code in ("unknown-indicator", "unknown-region", "bad-period"):
        field = {"unknown-indicator": "indicator", "unknown-region": "region"}.get(code, "period")
        return {"variant": "stored", "value": r[field]}
    if code == "missing-value":
        return {"variant": "stored"}
    if code == "region-not-allowed":
        return {"indicator": ind, "region": loc.local(lambda lo: lo.region(r["region"]))}
    if code == "bad-number":
        return {"variant": "milestone", "indicator": ind, "value": r["value"]}
    if code == "out-of-range":
        return _out_of_range(loc, catalog, ind, r["value"])
    if code == "not-whole":
        return {
            "indicator": ind,
            "unit": loc.local(lambda lo: catalog.unit(ind).label(lo.lang)),
            "value": loc.local(lambda lo: _all_digits(lo, r["value"])),
        }
    return {"period": r["period"]}  # future-period


def _out_of_range(loc: _Located, catalog: Catalog, indicator: str, value: float) -> dict:
    """Why a value cannot be stored, naming the range of its unit (units.csv)."""
    if value is None or not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return {
            "variant": "unusable",
            "value": "∞"
            if value is not None and math.isinf(value)
            else ("NaN" if value is None or math.isnan(value) else f"{value:g}"),
            "limit": f"{MAX_MAGNITUDE:g}",
        }
    unit = catalog.unit(indicator)
    return {
        "value": value,
        "indicator": indicator,
        "unit": loc.local(lambda lo: unit.label(lo.lang)),
        "range": loc.local(lambda lo: range_text(unit, lo)),
    }


def _all_digits(loc: _Located, value: float) -> str:
    """A number with every decimal it has (up to 6): 1583.8 must not show as 1,584 when the
    problem is its decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return fmt_number(value, loc.lang, decimals)


def range_text(unit: Unit, loc: _Located) -> str:
    """The range of a unit in the reader's language: '0 – 100', '≥ 0', '1 – 250'."""
    lo = None if unit.min is None else loc.number(unit.min)
    hi = None if unit.max is None else loc.number(unit.max)
    if lo is not None and hi is not None:
        return f"{lo} – {hi}"
    if lo is not None:
        return f"≥ {lo}"
    if hi is not None:
        return f"≤ {hi}"
    return "—"


def _check_duplicates(con, loc: _Located, probs: Problems) -> tuple[int, int, bool]:
    """Same (indicator, period, region) more than once in the upload.

    Returns (rows in conflict, extra copies of equal values, any duplicate at all).
    """
    rows = con.execute(
        f"""WITH d AS (SELECT indicator, period, region FROM up GROUP BY ALL HAVING count(*) > 1),
            g AS (
                SELECT u.indicator, u.period, u.region, count(DISTINCT u.value) > 1 AS conflict, count(*) AS n,
                       list(struct_pack(file := u.file, sheet := u.sheet, row := u.row_number, col := u.col,
                                        value := u.value) ORDER BY u.fidx, u.sheet, u.row_number, u.col) AS occ,
                       min(u.fidx) AS f0, min(u.row_number) AS r0
                FROM up u SEMI JOIN d ON d.indicator = u.indicator AND d.period = u.period AND d.region = u.region
                GROUP BY ALL)
            SELECT indicator, period, region, conflict, n, occ,
                   row_number() OVER (PARTITION BY conflict ORDER BY f0, r0, indicator, period, region) AS k,
                   sum(n) OVER (PARTITION BY conflict) AS rows_total,
                   count(*) OVER (PARTITION BY conflict) AS groups_total
            FROM g QUALIFY k <= {MAX_PER_CODE} ORDER BY conflict DESC, k"""
    ).fetchall()
    if not rows:
        return 0, 0, False
    conflict_rows = extra_copies = 0
    listed = {True: 0, False: 0}
    file_c = file_d = rows[0][5][0]["file"]
    for indicator, period, region, conflict, _n, occ, _k, rows_total, groups_total in rows:
        key = loc.every("key", indicator, period, region)
        if conflict:
            conflict_rows, file_c = int(rows_total), occ[0]["file"]
            listed[True] += len(occ)
            for o in occ:
                other = next(x for x in occ if x["value"] != o["value"])
                probs.add(
                    code="conflicting-duplicate",
                    file=o["file"],
                    sheet=o["sheet"],
                    row=o["row"],
                    column=o["col"],
                    key=key,
                    value=o["value"],
                    other_value=other["value"],
                    other=loc.every("where", other["file"], other["sheet"], other["row"]),
                )
        else:
            extra_copies, file_d = int(rows_total - groups_total), occ[0]["file"]
            first = occ[0]
            listed[False] += len(occ) - 1
            for o in occ[1:]:
                probs.add(
                    code="duplicate-key",
                    file=o["file"],
                    sheet=o["sheet"],
                    row=o["row"],
                    column=o["col"],
                    key=key,
                    other=loc.every("where", first["file"], first["sheet"], first["row"]),
                )
    # The query stopped at MAX_PER_CODE groups: the rows of the others are counted, not listed.
    probs.count_more("conflicting-duplicate", conflict_rows - listed[True], file=file_c)
    probs.count_more("duplicate-key", extra_copies - listed[False], file=file_d)
    return conflict_rows, extra_copies, True


def _check_units(con, loc: _Located, probs: Problems, catalog: Catalog) -> int:
    """A unit written in the file that means something else than the catalog unit (normalised first)."""
    units = {i.code: i.unit for i in catalog.indicators}
    pairs = con.execute(
        "SELECT DISTINCT indicator, unit FROM up WHERE unit IS NOT NULL AND trim(unit) <> ''"
    ).fetchall()
    bad = [
        (ind, u)
        for ind, u in pairs
        if ind in units and not units_match(u, units[ind], catalog.units or None)
    ]
    if not bad:
        return 0
    con.register(
        "bad_units", pa.table({"indicator": [b[0] for b in bad], "unit": [b[1] for b in bad]})
    )
    found = con.execute(
        """SELECT u.indicator, u.unit, u.file, u.sheet, min(u.row_number) AS row, count(*) AS n, min(u.fidx) AS f
           FROM up u SEMI JOIN bad_units b ON b.indicator = u.indicator AND b.unit = u.unit
           GROUP BY ALL ORDER BY f, sheet, row"""
    ).fetchall()
    con.unregister("bad_units")
    total_rows = 0
    for ind, unit, file, sheet, row, n, _f in found:
        total_rows += n
        probs.add(
            code="unit-mismatch",
            file=file,
            sheet=sheet,
            row=row,
            unit=unit,
            indicator=ind,
            expected=units[ind],
            count=n,
        )
    return total_rows


_STORE_VALUES_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("region", pa.string()),
        ("value", pa.float64()),
    ]
)
# Each uploaded value beside the value of the period before it (and, when that one is in the store,
# after it) for the same indicator and region and the same kind of period (year or quarter).
_JUMPS = """
    WITH s AS (
        SELECT u.indicator, u.period, u.region, u.value, true AS up, u.file, u.sheet, u.row_number,
               u.col, u.fidx
        FROM up u JOIN cat c ON c.code = u.indicator
        WHERE c.ukind IN (SELECT unnest($kinds)) AND isfinite(u.value)
        UNION ALL
        SELECT v.indicator, v.period, v.region, v.value, false, NULL, NULL, NULL, NULL, NULL
        FROM stored v JOIN cat c ON c.code = v.indicator
        WHERE c.ukind IN (SELECT unnest($kinds))
          AND NOT EXISTS (SELECT 1 FROM up u WHERE u.indicator = v.indicator AND u.period = v.period
                                              AND u.region = v.region)),
    w AS (
        SELECT *,
               lag(value) OVER k AS prev, lag(period) OVER k AS prev_period,
               lead(value) OVER k AS next, lead(period) OVER k AS next_period, lead(up) OVER k AS next_up
        FROM s WINDOW k AS (PARTITION BY indicator, region, length(period) ORDER BY period))
    SELECT indicator, period, region, value, file, sheet, row_number, col,
           CASE WHEN prev <> 0 AND value <> 0 AND greatest(abs(value / prev), abs(prev / value)) > $factor
                THEN prev END AS prev, prev_period,
           CASE WHEN NOT next_up AND next <> 0 AND value <> 0
                     AND greatest(abs(value / next), abs(next / value)) > $factor
                THEN next END AS next, next_period,
           count(*) OVER () AS total
    FROM w
    WHERE up AND ((prev <> 0 AND value <> 0 AND greatest(abs(value / prev), abs(prev / value)) > $factor)
               OR (NOT next_up AND next <> 0 AND value <> 0
                   AND greatest(abs(value / next), abs(next / value)) > $factor))
    ORDER BY fidx, sheet, row_number, col
    LIMIT $limit
"""


def _stored_values(store: Store, indicators: list[str]) -> pa.Table:
    """Current real values of these indicators in the store, every period (for the jump check)."""
    if not indicators:
        return _STORE_VALUES_SCHEMA.empty_table()
    found = store.current(
        include_demo=False, indicators=indicators, columns=_STORE_VALUES_SCHEMA.names
    )
    return found.cast(_STORE_VALUES_SCHEMA)


def _check_jumps(store: Store, con, loc: _Located, probs: Problems) -> None:
    """A value more than jump_factor() times the previous period's (or a stored next period's) value
    of the same indicator and region: a `sudden-jump` warning, the mark of a unit slip."""
    factor = jump_factor()
    indicators = [r[0] for r in con.execute("SELECT DISTINCT indicator FROM up").fetchall()]
    con.register("stored", _stored_values(store, indicators))
    try:
        found = con.execute(
            _JUMPS,
            {"kinds": list(JUMP_KINDS), "factor": factor, "limit": MAX_PER_CODE},
        ).fetchall()
    finally:
        con.unregister("stored")
    if not found:
        return
    for (
        ind,
        period,
        region,
        value,
        file,
        sheet,
        row,
        col,
        prev,
        prev_p,
        nxt,
        next_p,
        _total,
    ) in found:
        other, other_period = (prev, prev_p) if prev is not None else (nxt, next_p)
        probs.add(
            code="sudden-jump",
            file=file,
            sheet=sheet,
            row=row,
            column=col,
            key=loc.every("key", ind, period, region),
            value=value,
            other=other,
            period=other_period,
            factor=f"{factor:g}",
        )
    probs.count_more("sudden-jump", int(found[0][-1]) - len(found), file=found[0][4])


def _checks_connection(longs: list[LongResult], catalog: Catalog):
    """A private in-memory DuckDB: `up` = every file's rows (zero-copy Arrow scans), `cat`/`reg` = catalog."""
    con = scratch()
    parts = []
    for i, lr in enumerate(longs):
        con.register(f"up_{i}", lr.rows.select(LONG_SCHEMA.names).cast(LONG_SCHEMA))
        parts.append(f"""SELECT indicator, period, coalesce(region, '') AS region, value, unit, source, comment,
                                file, sheet, row_number, "column" AS col, {i} AS fidx FROM up_{i}""")
    if not parts:
        con.register("up_none", LONG_SCHEMA.empty_table())
        parts.append("""SELECT indicator, period, region, value, unit, source, comment, file, sheet, row_number,
                               "column" AS col, 0 AS fidx FROM up_none""")
    con.execute("CREATE VIEW up AS " + " UNION ALL ".join(parts))
    # Built by DuckDB from lists: pyarrow's list conversion would import pandas (0.2 s at CLI start).
    by_indicator = indicator_units(catalog)
    units = [by_indicator[i.code] for i in catalog.indicators]
    con.execute(
        """CREATE TABLE cat AS SELECT unnest($code) AS code, unnest($by_region) AS by_region,
               unnest($kind) AS kind, unnest($umin)::DOUBLE AS umin, unnest($umax)::DOUBLE AS umax,
               unnest($whole) AS whole, unnest($ukind) AS ukind""",
        {
            "code": [i.code for i in catalog.indicators],
            "by_region": [i.by_region for i in catalog.indicators],
            "kind": [i.kind for i in catalog.indicators],
            "umin": [u.min for u in units],
            "umax": [u.max for u in units],
            "whole": [u.whole for u in units],
            "ukind": [u.kind for u in units],
        },
    )
    con.execute(
        "CREATE TABLE reg AS SELECT unnest($iso) AS iso", {"iso": [r.iso for r in catalog.regions]}
    )
    return con


# Every uploaded value beside the current one: new, revised, or unchanged (same value: not written).
_DIFF = """
    SELECT u.indicator, u.period, u.region, c.old_value, u.value AS new_value,
           CASE WHEN c.old_value IS NULL THEN 'new'
                WHEN c.old_value = u.value THEN 'unchanged' ELSE 'revised' END AS change,
           u.file, u.sheet, u.row_number, c.old_batch_id, u.unit, u.source, u.comment, u.fidx, u.col
    FROM clean u LEFT JOIN cur c
      ON c.indicator = u.indicator AND c.period = u.period AND c.region = u.region
"""
_TO_WRITE = """
    SELECT $batch_id::INTEGER AS batch_id, indicator, period, region, new_value AS value, unit, comment,
           source, file, sheet, row_number, false AS demo
    FROM diff
"""
INSERT_CHUNK_ROWS = 1_000_000


def _chunks(reader: pa.RecordBatchReader, rows: int):
    """Tables of about `rows` rows from a stream of record batches."""
    pending, n = [], 0
    for rb in reader:
        pending.append(rb)
        n += rb.num_rows
        if n >= rows:
            yield pa.Table.from_batches(pending)
            pending, n = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


def _state_token(con) -> str:
    """Digest of the current values the diff is computed against (`cur`): any change to them changes it."""
    n, xor = con.execute(
        "SELECT count(*), bit_xor(hash(indicator, period, region, old_value)) FROM cur"
    ).fetchone()
    return f"{n}:{(xor or 0):016x}"


# -- entry points -----------------------------------------------------------------------------------------


def read_files(
    paths: list[Path], catalog: Catalog, *, lang: str = "en", display_names: list[str] | None = None
) -> list[LongResult]:
    """Read every file with the format readers; an unreadable file raises UnreadableFile (nothing else)."""
    from .reshape import read_long

    _ = translator(lang)
    names = list(display_names) if display_names else [Path(p).name for p in paths]
    out = []
    for path, name in zip(paths, names, strict=True):
        path = Path(path)
        if not path.is_file():
            raise FileMissing(name, lang=lang)
        try:
            out.append(read_long(path, catalog, lang=lang, display_name=name))
        except UnreadableFile:
            raise
        except Exception as e:  # a reader bug must still not leave a person with a traceback
            raise ReaderFailed(name, lang=lang, error=type(e).__name__) from e
        # Reading a large file leaves freed buffers cached in Arrow's allocator: give them back to the
        # system now, before the checks and the insert need memory (halves the peak of a 5M-row load).
        pa.default_memory_pool().release_unused()
    return out


def ingest(
    store: Store,
    paths: list[Path],
    *,
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    display_names: list[str] | None = None,
    now: dt.datetime | None = None,
    catalog: Catalog | None = None,
    preview: bool = True,
    expected_state: str | None = None,
) -> IngestResult:
    """Load files as one batch: all checked together, nothing written if any error (raises UnreadableFile)."""
    catalog = catalog or store_catalog(store)
    names = list(display_names) if display_names else [Path(p).name for p in paths]
    longs = read_files(paths, catalog, lang=lang, display_names=names)
    return ingest_long(
        store,
        longs,
        files=names,
        user=user,
        dry_run=dry_run,
        lang=lang,
        now=now,
        catalog=catalog,
        preview=preview,
        expected_state=expected_state,
    )


def ingest_long(
    store: Store,
    longs: list[LongResult],
    *,
    files: list[str],
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    now: dt.datetime | None = None,
    catalog: Catalog | None = None,
    preview: bool = True,
    expected_state: str | None = None,
) -> IngestResult:
    """The pipeline after reading: cross-row checks, diff against current values, one atomic batch.

    `preview=False` keeps only the revised rows in `result.changes` (what the CLI prints), which spares a
    sorted copy of a large upload. `expected_state` is the `state` of the preview a person approved: if the
    current values of the uploaded keys differ now (another upload or an undo landed in between), nothing is
    written and the result, status "stale", is the new preview.
    """
    catalog = catalog or store_catalog(store)
    _ = translator(lang)
    now = now or utcnow()
    loc = _Located(catalog, lang)
    probs = Problems(lang=lang)
    for lr in longs:
        probs.extend(lr.problems)

    n_read = sum(lr.rows.num_rows for lr in longs)
    con = _checks_connection(longs, catalog)
    try:
        n_up, n_distinct, xor, bad_rows = _scan(con, now)
        if bad_rows:
            key_columns = {k: v for lr in longs for k, v in lr.key_columns.items()}
            bad_rows = _check_rows(con, loc, probs, now, catalog, key_columns)
        conflict_rows = extra_copies = 0
        any_dup = n_distinct != n_up
        if any_dup:
            conflict_rows, extra_copies, any_dup = _check_duplicates(con, loc, probs)
        _check_units(con, loc, probs, catalog)
        _check_jumps(store, con, loc, probs)
        problems = probs.done()
        n_errors = sum(p.is_error for p in problems)
        rows = n_read - bad_rows - conflict_rows - extra_copies
        if not n_errors and n_read == 0:
            problems.append(
                Problem(file=", ".join(files), code="no-data", variant="upload", lang=lang)
            )
            n_errors = 1
        if n_errors:
            return IngestResult(
                "rejected",
                None,
                max(rows, 0),
                0,
                0,
                0,
                _sorted(problems, files),
                _good_rows(con, now, problems) if preview and dry_run else _empty_changes(),
                _("Nothing was written: {count} problems must be fixed first", count=n_errors),
                list(files),
            )
        problems = _sorted(problems, files)

        if any_dup:  # equal copies: keep the first (file order, then row)
            con.execute("""CREATE TEMP TABLE clean AS SELECT * FROM up
                           QUALIFY row_number() OVER (PARTITION BY indicator, period, region
                                                      ORDER BY fidx, sheet, row_number, col) = 1""")
            xor = con.execute(
                "SELECT bit_xor(hash(indicator, period, region, value)) FROM clean"
            ).fetchall()[0][0]
        else:
            con.execute("CREATE VIEW clean AS SELECT * FROM up")
        content_hash = f"{rows}:{(xor or 0):016x}"

        with store.transaction(write=not dry_run) as conn:
            current = store.current_for_keys(conn, [lr.rows for lr in longs])
            con.register("cur", current)
            state = _state_token(con)
            con.execute("CREATE VIEW diff AS " + _DIFF)  # fixed SQL text, no values
            counts = dict(con.execute("SELECT change, count(*) FROM diff GROUP BY ALL").fetchall())
            inserted, revised, unchanged = (
                int(counts.get(k, 0)) for k in ("new", "revised", "unchanged")
            )
            only = "" if preview else "WHERE change = 'revised'"
            changes = (
                con.sql(
                    f"SELECT {', '.join(CHANGES_SCHEMA.names)} FROM diff {only}"
                    " ORDER BY fidx, sheet, row_number, col"
                )
                .to_arrow_table()
                .cast(CHANGES_SCHEMA)
            )

            stale = expected_state is not None and expected_state != state
            if dry_run or stale:
                msg = (
                    _(
                        "The data changed since your preview (another upload or an undo): nothing was"
                        " written. Check the new preview: {inserted} new, {revised} revised, {unchanged}"
                        " unchanged",
                        inserted=inserted,
                        revised=revised,
                        unchanged=unchanged,
                    )
                    if stale
                    else _(
                        "Preview only, nothing written: {inserted} new, {revised} revised, {unchanged} unchanged",
                        inserted=inserted,
                        revised=revised,
                        unchanged=unchanged,
                    )
                )
                return IngestResult(
                    "stale" if stale else "dry-run",
                    None,
                    rows,
                    inserted,
                    revised,
                    unchanged,
                    problems,
                    changes,
                    msg,
                    list(files),
                    state=state,
                )
            same = store.same_content_batch(conn, content_hash) if inserted + revised == 0 else None
            batch_status = initial_status(
                store, conn
            )  # "submitted" when review before publication is on

            batch_id = store.new_batch(
                conn,
                user=user,
                origin="upload",
                files="; ".join(files),
                demo=False,
                created_at=now,
                content_hash=content_hash,
                status=batch_status,
            )
            after_ingest(store, conn, batch_id, user, batch_status, problems, now)
            checkpoint("before-insert")
            # New and revised values, shaped for the observation table, streamed in chunks so a large upload
            # never exists twice in memory.
            reader = con.sql(_TO_WRITE, params={"batch_id": batch_id}).to_arrow_reader(
                INSERT_CHUNK_ROWS
            )
            for chunk in _chunks(reader, INSERT_CHUNK_ROWS):
                store.bulk_insert_observations(conn, chunk)
            del reader, chunk
            # The checks' DuckDB and its cached buffers are not needed any more: free them before COMMIT,
            # which needs memory of its own (the primary-key index).
            con.close()
            pa.default_memory_pool().release_unused()
            store.finish_batch(
                conn, batch_id, rows=rows, inserted=inserted, revised=revised, unchanged=unchanged
            )
            audit_row(
                store,
                conn,
                user=user,
                action="upload",
                subject=batch_id,
                after={"files": list(files)},
            )
            checkpoint("before-commit")
    finally:
        con.close()
    if inserted + revised == 0:
        # Recorded all the same: these values now rest on this batch too, so undoing the batch that first
        # loaded them keeps them (as if that batch had never been loaded).
        msg = (
            _(
                "Nothing new: this content was already loaded in batch {same}; recorded as batch"
                " {batch_id}, {unchanged} unchanged",
                same=same,
                batch_id=batch_id,
                unchanged=unchanged,
            )
            if same
            else _(
                "Nothing new: every value is already the current one; recorded as batch {batch_id},"
                " {unchanged} unchanged",
                batch_id=batch_id,
                unchanged=unchanged,
            )
        )
        status = "unchanged"
    else:
        msg = _(
            "Batch {batch_id} loaded: {inserted} new, {revised} revised, {unchanged} unchanged",
            batch_id=batch_id,
            inserted=inserted,
            revised=revised,
            unchanged=unchanged,
        )
        status = "committed"
    if batch_status == "submitted":
        msg += ". " + _("Submitted for review: published once a validator approves it.")
    return IngestResult(
        status,
        batch_id,
        rows,
        inserted,
        revised,
        unchanged,
        problems,
        changes,
        msg,
        list(files),
        same,
        state,
    )


def ingest_uploads(
    store: Store,
    uploads: list[tuple[str, bytes]],
    *,
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    now: dt.datetime | None = None,
    expected_state: str | None = None,
) -> IngestResult:
    """`ingest` for files received as (name, bytes), e.g. from the Upload page; never raises for a bad file.

    Each file goes to a temporary copy (keeping its extension, which tells the reader the format); problems
    and provenance carry the uploaded names. An unreadable file gives a "rejected" result whose one problem
    has the code `unreadable-file`.
    """
    import tempfile

    names = [name for name, _data in uploads]
    with tempfile.TemporaryDirectory(prefix="marsad-upload-") as tmp:
        paths = []
        for i, (name, data) in enumerate(uploads):
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(data)
            paths.append(path)
        try:
            return ingest(
                store,
                paths,
                user=user,
                dry_run=dry_run,
                lang=lang,
                display_names=names,
                now=now,
                expected_state=expected_state,
            )
        except UnreadableFile as e:
            return IngestResult(
                "rejected", None, 0, 0, 0, 0, [e.problem()], _empty_changes(), e.title, names
            )


def problems_csv(problems: list[Problem]) -> bytes:
    """The problems as a CSV file for people (UTF-8 with BOM so Excel shows Arabic); formula-like cells escaped."""
    import csv
    import io

    from .csvtext import formula_safe as cell

    buf = io.StringIO()
    w = csv.writer(buf)
    # The code stays as the stable id; the title says it in the reader's language.
    w.writerow(["file", "sheet", "row", "column", "severity", "code", "title", "message"])
    for p in problems:
        w.writerow(
            [
                cell(p.file),
                cell(p.sheet),
                p.row if p.row is not None else "",
                cell(p.column),
                p.severity,
                p.code,
                cell(p.title),
                cell(p.message),
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
