"""The cross-row checks of an upload, in DuckDB over all its files at once: the row rules the catalog
decides, duplicates, units written in the file, and sudden jumps against the previous period."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .catalog import Catalog
from .ingest_result import CHANGES_SCHEMA
from .located import Located, rule_column, rule_params, units_match
from .longform import LONG_SCHEMA, LongResult
from .problems import MAX_LISTED, SUMMARY_CODES, Problem, Problems
from .store import Store, scratch
from .units import JUMP_KINDS, MAX_MAGNITUDE, indicator_units, jump_factor

# The queries fetch at most the collector's cap of rows per code (loaders.problems.MAX_LISTED).
MAX_PER_CODE = MAX_LISTED


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


def good_rows(con, now: dt.datetime, problems: list[Problem]) -> pa.Table:
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


def scan(con, now: dt.datetime) -> tuple[int, int, int, int]:
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


def check_rows(
    con, loc: Located, probs: Problems, now: dt.datetime, catalog: Catalog, key_columns: dict
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
            column=rule_column(r, code, key_columns.get((r["file"], r["sheet"]), {})),
            **rule_params(loc, catalog, code, r),
        )
        totals[code] = (r["total"], r["file"], r["sheet"])
    bad_rows = 0
    for code, (total, file, sheet) in totals.items():
        probs.count_more(code, total - min(total, MAX_PER_CODE), file=file, sheet=sheet)
        bad_rows += total
    return bad_rows


def check_duplicates(con, loc: Located, probs: Problems) -> tuple[int, int, bool]:
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


def check_units(con, loc: Located, probs: Problems, catalog: Catalog) -> int:
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
    -- Two values of a series differ by more than the factor only if its largest and smallest nonzero
    -- values do (division rounds monotonically), so only those series need sorting by period.
    sus AS (
        SELECT indicator, region, length(period) AS plen FROM s WHERE value <> 0 GROUP BY ALL
        HAVING max(abs(value)) / min(abs(value)) > $factor),
    w AS (
        SELECT s.*,
               lag(value) OVER k AS prev, lag(period) OVER k AS prev_period,
               lead(value) OVER k AS next, lead(period) OVER k AS next_period, lead(up) OVER k AS next_up
        FROM s SEMI JOIN sus ON sus.indicator IS NOT DISTINCT FROM s.indicator
                            AND sus.region IS NOT DISTINCT FROM s.region
                            AND sus.plen IS NOT DISTINCT FROM length(s.period)
        WINDOW k AS (PARTITION BY indicator, region, length(period) ORDER BY period))
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


def check_jumps(store: Store, con, loc: Located, probs: Problems) -> None:
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


def checks_connection(longs: list[LongResult], catalog: Catalog):
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
