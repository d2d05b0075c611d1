"""Ingest pipeline: one batch per upload, all-or-nothing, cross-file checks, diff, idempotence, kill-mid-load."""

import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import sqlalchemy as sa

from loaders.catalog import CATALOG_DIR
from loaders.ingest import FAULT_POINTS, MAX_PER_CODE, ingest, ingest_long, unit_key, units_match
from loaders.longform import LONG_SCHEMA, LongResult
from loaders.seed import add_demo
from loaders.store import Store, batch, md, open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
NOW = dt.datetime(2026, 5, 4, 9, 30)


def long_rows(rows, file="report.csv", sheet=None, unit=None, source="HCP"):
    """rows: (indicator, period, region, value, row_number[, column[, unit]])."""
    recs = []
    for r in rows:
        ind, period, region, value, row = r[:5]
        recs.append(
            {
                "indicator": ind,
                "period": period,
                "region": region,
                "value": value,
                "unit": r[6] if len(r) > 6 else unit,
                "source": source,
                "comment": None,
                "file": file,
                "sheet": sheet,
                "row_number": row,
                "column": r[5] if len(r) > 5 else "D",
            }
        )
    return LongResult(pa.Table.from_pylist(recs, schema=LONG_SCHEMA))


def snapshot(store: Store) -> dict:
    """Every row of every table, sorted: equal snapshots = same database content."""
    out = {}
    with store.begin() as conn:
        for name, t in md.tables.items():
            rows = conn.execute(sa.select(t)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def batches(store):
    with store.begin() as conn:
        return conn.execute(sa.select(batch).order_by(batch.c.batch_id)).mappings().all()


def current(store, indicator, period, region=""):
    df = store.current_observations()
    hit = df[(df.indicator == indicator) & (df.period == period) & (df.region == region)]
    return None if hit.empty else (hit.iloc[0].value, int(hit.iloc[0].batch_id))


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "m.duckdb"))


def test_new_values_are_committed_as_one_batch_with_provenance(db_url):
    store = open_store(db_url)
    up = long_rows(
        [
            ("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2, "D", "emplois"),
            ("IA.JOBS", "2026-Q1", "MA-01", 300.0, 3, "D", "emplois"),
            ("DM.EXPORTS", "2025", "", 18.5, 4, "D", "Mds MAD"),
        ]
    )
    r = ingest_long(store, [up], files=["report.csv"], user="amina", now=NOW)
    assert (r.status, r.batch_id, r.rows, r.inserted, r.revised, r.unchanged) == (
        "committed",
        25,
        3,
        3,
        0,
        0,
    )
    assert r.problems == []
    assert "Batch 25 loaded: 3 new, 0 revised, 0 unchanged" == r.message
    assert r.changes.column_names == [
        "indicator",
        "period",
        "region",
        "old_value",
        "new_value",
        "change",
        "file",
        "sheet",
        "row_number",
        "old_batch_id",
    ]
    assert r.changes.to_pylist()[2] == {
        "indicator": "DM.EXPORTS",
        "period": "2025",
        "region": "",
        "old_value": None,
        "new_value": 18.5,
        "change": "new",
        "file": "report.csv",
        "sheet": None,
        "row_number": 4,
        "old_batch_id": None,
    }
    b = batches(store)[-1]
    assert (b["batch_id"], b["user_name"], b["origin"], b["files"], b["created_at"]) == (
        25,
        "amina",
        "upload",
        "report.csv",
        NOW,
    )
    assert (b["rows"], b["inserted"], b["revised"], b["unchanged"], b["demo"]) == (
        3,
        3,
        0,
        0,
        False,
    )
    df = store.current_observations()
    row = df[(df.indicator == "IA.JOBS") & (df.region == "MA-06")].iloc[0]
    assert (row.value, row.unit, row.source, row.file, row.row_number, row.batch_id) == (
        1200.0,
        "emplois",
        "HCP",
        "report.csv",
        2,
        25,
    )


def test_same_content_twice_is_unchanged_and_recorded_so_undoing_the_first_keeps_it(db_url):
    store = open_store(db_url)
    rows = [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2), ("IA.JOBS", "2026-Q1", "MA-01", 300.0, 3)]
    first = ingest_long(store, [long_rows(rows)], files=["report.csv"], user="amina", now=NOW)
    again = ingest_long(
        store,
        [long_rows(list(reversed(rows)), file="copy.csv")],
        files=["copy.csv"],
        user="omar",
        now=NOW + dt.timedelta(days=1),
    )
    assert (again.status, again.batch_id, again.inserted, again.revised, again.unchanged) == (
        "unchanged",
        26,
        0,
        0,
        2,
    )
    assert again.same_as_batch == first.batch_id == 25
    assert again.message == (
        "Nothing new: this content was already loaded in batch 25; recorded as batch 26, 2 unchanged"
    )
    assert [b["batch_id"] for b in batches(store)] == list(range(1, 27))


def test_values_equal_to_the_published_ones_are_unchanged_and_attributed_to_the_batch(store):
    # The reference batch already holds the EGDI rank 90 for 2024: unchanged, yet the batch that reported it
    # again holds it too (undoing either leaves the other's).
    r = ingest_long(
        store,
        [
            long_rows(
                [
                    ("DM.EGDI_RANK", "2024", "", 90.0, 2),
                    ("DM.EGDI_RANK", "2022", "", 101.0, 3),
                    ("IA.READINESS", "2021", "", 101.0, 4),
                ]
            )
        ],
        files=["ranks.csv"],
        user="u",
        now=NOW,
    )
    assert (r.status, r.inserted, r.revised, r.unchanged) == ("committed", 1, 0, 2)
    assert [c["change"] for c in r.changes.to_pylist()] == ["unchanged", "unchanged", "new"]
    assert r.changes.to_pylist()[0]["old_batch_id"] == 14
    with store.begin() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM observation WHERE batch_id = 25")).scalar()
    assert n == 3


def test_revision_keeps_the_old_value_in_its_batch(db_url):
    store = open_store(db_url)
    ingest_long(
        store,
        [long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)])],
        files=["a.csv"],
        user="u",
        now=NOW,
    )
    r = ingest_long(
        store,
        [long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 7)], file="b.xlsx", sheet="T1")],
        files=["b.xlsx"],
        user="u",
        now=NOW + dt.timedelta(hours=1),
    )
    assert (r.status, r.batch_id, r.inserted, r.revised) == ("committed", 26, 0, 1)
    ch = r.changes.to_pylist()[0]
    assert (
        ch["old_value"],
        ch["new_value"],
        ch["change"],
        ch["old_batch_id"],
        ch["sheet"],
        ch["row_number"],
    ) == (1200.0, 1250.0, "revised", 25, "T1", 7)
    assert current(store, "IA.JOBS", "2026-Q1", "MA-06") == (1250.0, 26)
    with store.begin() as conn:
        versions = conn.execute(
            sa.text(
                "SELECT batch_id, value FROM observation WHERE indicator = 'IA.JOBS' AND region = 'MA-06' ORDER BY 1"
            )
        ).all()
    assert [tuple(v) for v in versions] == [(25, 1200.0), (26, 1250.0)]


def test_a_file_with_one_bad_row_writes_nothing(store):
    before = snapshot(store)
    up = long_rows(
        [
            ("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2),
            ("IA.JOBS", "2026-Q1", "MA-01", 300.0, 3),
            ("IA.LAW_X0", "2026-Q1", "", 2.0, 4, "E"),  # a milestone is 0 or 1
        ]
    )
    r = ingest_long(store, [up], files=["report.csv"], user="u", now=NOW)
    assert (r.status, r.batch_id, r.inserted) == ("rejected", None, 0)
    assert [(p.code, p.file, p.row, p.column, p.severity) for p in r.problems] == [
        ("bad-number", "report.csv", 4, "E", "error")
    ]
    assert (
        r.problems[0].message
        == "IA.LAW_X0 is a milestone: its value is 0 (not done) or 1 (done), not 2"
    )
    assert r.message == "Nothing was written: 1 problems must be fixed first"
    assert r.rows == 2 and r.changes.num_rows == 0
    assert snapshot(store) == before


def test_reader_errors_block_the_upload_too(store):
    from loaders.problems import Problem

    up = long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)])
    up.problems.append(
        Problem(file="report.csv", row=3, column="B", code="bad-period", value="2026-Q5")
    )
    before = snapshot(store)
    r = ingest_long(store, [up], files=["report.csv"], user="u", now=NOW)
    assert r.status == "rejected" and [p.code for p in r.problems] == ["bad-period"]
    assert snapshot(store) == before


def test_conflicting_duplicates_across_files_name_each_other(store):
    a = long_rows(
        [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2), ("DM.5G", "2026-Q1", "MA-01", 40.0, 3)],
        file="casa.csv",
    )
    b = long_rows(
        [
            ("DM.5G", "2026-Q1", "MA-04", 41.0, 5, "C"),
            ("IA.JOBS", "2026-Q1", "MA-06", 1300.0, 6, "C"),
        ],
        file="national.xlsx",
        sheet="Emplois",
    )
    before = snapshot(store)
    r = ingest_long(store, [a, b], files=["casa.csv", "national.xlsx"], user="u", now=NOW)
    assert r.status == "rejected"
    assert [(p.code, p.file, p.sheet, p.row, p.column) for p in r.problems] == [
        ("conflicting-duplicate", "casa.csv", None, 2, "D"),
        ("conflicting-duplicate", "national.xlsx", "Emplois", 6, "C"),
    ]
    assert r.problems[0].message == (
        "IA.JOBS · 2026-Q1 · Casablanca-Settat is given more than once with different values: "
        "1,200 here, 1,300 in national.xlsx, sheet Emplois, row 6"
    )
    assert r.problems[1].message.endswith("1,300 here, 1,200 in casa.csv, row 2")
    assert snapshot(store) == before


def test_equal_duplicates_are_kept_once_with_a_warning(store):
    a = long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)], file="a.csv")
    b = long_rows(
        [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 9), ("IA.JOBS", "2026-Q1", "MA-01", 5.0, 10)],
        file="b.csv",
    )
    r = ingest_long(store, [a, b], files=["a.csv", "b.csv"], user="u", now=NOW)
    assert (r.status, r.rows, r.inserted) == ("committed", 2, 2)
    assert [(p.code, p.file, p.row, p.severity) for p in r.problems] == [
        ("duplicate-key", "b.csv", 9, "warning")
    ]
    assert r.problems[0].message == (
        "IA.JOBS · 2026-Q1 · Casablanca-Settat is given again with the same value as in a.csv, row 2: kept once"
    )
    # the first occurrence is the one stored
    df = store.current_observations()
    assert df[(df.region == "MA-06") & (df.indicator == "IA.JOBS")].iloc[0].file == "a.csv"


@pytest.mark.parametrize(
    ("written", "catalog_unit"),
    [
        ("jobs", "jobs"),
        ("Emplois", "jobs"),
        ("  EMPLOIS ", "jobs"),
        ("مناصب الشغل", "jobs"),
        ("Nombre", "jobs"),
        ("%", "%"),
        ("pourcent", "%"),
        ("Percent", "%"),
        ("٪", "%"),
        ("(%)", "%"),
        ("Mds MAD", "bn MAD"),
        ("milliards de dirhams", "bn MAD"),
        ("bn MAD", "bn MAD/yr"),
        ("milliards de dirhams par an", "bn MAD/yr"),
        ("personnes", "people/yr"),
        ("أشخاص سنويا", "people/yr"),
        ("rang", "rank"),
        ("الترتيب", "rank"),
        ("0/1", "milestone"),
        ("MW", "MW"),
        ("mégawatts", "MW"),
        ("millions de ménages", "million households"),
        ("مليون أسرة", "million households"),
        ("", "jobs"),
    ],
)
def test_units_written_differently_still_match(written, catalog_unit):
    assert units_match(written, catalog_unit)


@pytest.mark.parametrize(
    ("written", "catalog_unit"),
    [
        ("%", "jobs"),
        ("milliers d'emplois", "jobs"),
        ("millions MAD", "bn MAD"),
        ("jobs", "%"),
        ("Nombre", "%"),
        ("rang", "index 0-1"),
        ("people", "jobs"),
    ],
)
def test_real_unit_mismatches_are_caught(written, catalog_unit):
    assert not units_match(written, catalog_unit)


def test_unit_key_folds_case_accents_spaces_and_arabic_variants():
    assert unit_key("  Mégawatts ") == "megawatts"
    assert unit_key("مليون أسرة") == unit_key("مليون اسره")
    assert unit_key("people / yr") == "people"


def test_unit_mismatch_is_one_error_per_file_unit_and_indicator(store):
    up = long_rows(
        [("IA.JOBS", "2026-Q1", f"MA-{i:02d}", 2.0, i + 1, "D", "milliers") for i in range(1, 4)]
        + [("DM.5G", "2026-Q1", "MA-01", 40.0, 5, "D", "%")]
    )
    r = ingest_long(store, [up], files=["jobs.csv"], user="u", now=NOW)
    assert r.status == "rejected"
    assert [(p.code, p.row, p.column) for p in r.problems] == [("unit-mismatch", 2, None)]
    assert r.problems[0].message == (
        "Unit milliers does not match the catalog unit of IA.JOBS (jobs); rows concerned: 3"
    )


def test_catalog_rules_region_not_allowed_milestones_and_future_periods(store):
    up = long_rows(
        [
            ("DM.EXPORTS", "2025", "MA-06", 3.0, 2),  # national only
            ("IA.LAW_X0", "2026-Q1", "", 1.0, 3),  # milestone done: fine
            ("IA.FRAMEWORK", "2026-Q1", "", 0.5, 4),  # milestone: 0 or 1 only
            ("IA.JOBS", "2026-Q3", "MA-01", 10.0, 5),  # NOW is in 2026-Q2: 2026-Q3 has not started
            ("IA.JOBS", "2027", "", 10.0, 6),
            ("IA.JOBS", "2026-Q2", "MA-01", 10.0, 7),  # the current quarter is fine
            ("XX.NOPE", "2026-Q1", "", 1.0, 8),
            ("IA.JOBS", "2026-Q1", "MA-13", 1.0, 9),
        ]
    )
    r = ingest_long(store, [up], files=["mixed.csv"], user="u", now=NOW, lang="en")
    assert [(p.code, p.row) for p in r.problems] == [
        ("region-not-allowed", 2),
        ("bad-number", 4),
        ("future-period", 5),
        ("future-period", 6),
        ("unknown-indicator", 8),
        ("unknown-region", 9),
    ]
    assert r.problems[0].message == (
        "DM.EXPORTS is reported for Morocco as a whole: a value for the region Casablanca-Settat is not allowed"
    )
    assert r.problems[2].message.startswith("Period 2026-Q3 has not started yet")
    assert r.rows == 2


def test_quarters_of_annual_and_biennial_indicators_are_accepted(store):
    # A quarter of an annual flow (exports) or of a biennial index is finer than the catalog frequency,
    # not wrong: the KPI engine rolls quarters up to years by the indicator's kind.
    up = long_rows(
        [
            ("DM.EXPORTS", "2025-Q3", "", 4.6, 2),
            ("DM.EGDI_SCORE", "2026-Q1", "", 0.7, 3),
            ("IA.JOBS", "2025", "MA-03", 800.0, 4),
        ]
    )
    r = ingest_long(store, [up], files=["q.csv"], user="u", now=NOW)
    assert (r.status, r.inserted, r.problems) == ("committed", 3, [])


def test_messages_follow_the_language(store):
    up = long_rows([("DM.EXPORTS", "2025", "MA-06", 3.0, 2)])
    fr = ingest_long(store, [up], files=["x.csv"], user="u", now=NOW, lang="fr")
    ar = ingest_long(store, [up], files=["x.csv"], user="u", now=NOW, lang="ar")
    assert fr.problems[0].message == (
        "DM.EXPORTS est suivi pour l'ensemble du Maroc : une valeur pour la région "
        "Casablanca-Settat n'est pas admise"
    )
    assert "الدار البيضاء-سطات" in ar.problems[0].message
    assert fr.message == "Rien n'a été écrit : 1 problèmes sont à corriger d'abord"


def test_problems_of_one_kind_are_capped(store):
    up = long_rows(
        [("IA.LAW_X0", f"{2000 + i // 4}-Q{i % 4 + 1}", "", 7.0, i + 2) for i in range(60)]
    )
    r = ingest_long(store, [up], files=["many.csv"], user="u", now=NOW)
    codes = [p.code for p in r.problems]
    assert codes.count("bad-number") == MAX_PER_CODE
    assert codes[-1] == "too-many-problems"
    # the kind is named by its title in the reader's language, never by the English code
    summary = r.problems[-1]
    assert summary.message == "10 more problems of the kind 'Not a number' are not listed"
    assert (
        summary.message("fr") == "10 autres problèmes du type « Pas un nombre » ne sont pas listés"
    )
    assert summary.message("ar") == "10 مشكلة أخرى من نوع «ليس عددا» غير مدرجة"


def test_dry_run_previews_and_writes_nothing(store):
    ingest_long(
        store,
        [long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 2)])],
        files=["a.csv"],
        user="u",
        now=NOW,
    )
    before = snapshot(store)
    up = long_rows(
        [
            ("IA.JOBS", "2026-Q1", "MA-06", 1250.0, 2),
            ("IA.JOBS", "2026-Q1", "MA-05", 80.0, 3),
            ("DM.EGDI_RANK", "2024", "", 90.0, 4),
        ]
    )
    r = ingest_long(store, [up], files=["b.csv"], user="u", now=NOW, dry_run=True)
    assert (r.status, r.batch_id, r.inserted, r.revised, r.unchanged) == ("dry-run", None, 1, 1, 1)
    assert [(c["change"], c["old_value"], c["new_value"]) for c in r.changes.to_pylist()] == [
        ("revised", 1200.0, 1250.0),
        ("new", None, 80.0),
        ("unchanged", 90.0, 90.0),
    ]
    assert snapshot(store) == before


def test_a_demo_value_never_counts_as_already_loaded(store):
    from loaders.catalog import load_catalog

    add_demo(store, load_catalog(), today=dt.date(2026, 11, 22))
    demo = store.current_observations()
    demo_value = demo[
        (demo.indicator == "IA.JOBS") & (demo.period == "2026-Q1") & (demo.region == "MA-06")
    ]
    value = float(demo_value.iloc[0].value)
    r = ingest_long(
        store,
        [long_rows([("IA.JOBS", "2026-Q1", "MA-06", value, 2)], file="real.csv")],
        files=["real.csv"],
        user="u",
        now=NOW,
    )
    assert (r.status, r.inserted, r.unchanged) == ("committed", 1, 0)
    row = store.current_observations().query(
        "indicator == 'IA.JOBS' and period == '2026-Q1' and region == 'MA-06'"
    )
    assert not row.iloc[0].demo and row.iloc[0].file == "real.csv"


def test_empty_upload_is_rejected_as_no_data(store):
    r = ingest_long(store, [long_rows([])], files=["empty.csv"], user="u", now=NOW)
    assert (r.status, [p.code for p in r.problems]) == ("rejected", ["no-data"])


def test_ingest_reads_the_files_and_reports_a_missing_one(store, tmp_path):
    from loaders.problems import UnreadableFile

    with pytest.raises(UnreadableFile) as e:
        ingest(store, [tmp_path / "nope.csv"], user="u", now=NOW)
    assert e.value.file == "nope.csv"


# -- a crash or a kill mid-load leaves the database exactly as before ---------------------------------------


def _synthetic_catalog(directory: Path, indicators: int) -> Path:
    directory.mkdir()
    for name in ("pillars.csv", "regions.csv", "units.csv"):
        (directory / name).write_bytes((CATALOG_DIR / name).read_bytes())
    lines = [
        "code,programme,pillar,name_fr,name_en,name_ar,unit,direction,kind,frequency,by_region,baseline_year,"
        "baseline_value,milestones,target_year,target_value,confidence,sources,notes"
    ]
    lines += [
        f"BX.I{i:04d},IA2030,IMP,Ind {i},Ind {i},مؤشر {i},jobs,up,level,quarterly,yes,,,,2030,1000,"
        "assumption,test,"
        for i in range(indicators)
    ]
    (directory / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "observations_public.csv").write_text(
        "indicator,period,region,value,source,note\n", encoding="utf-8"
    )
    return directory


@pytest.fixture
def big_store(tmp_path):
    """A store on a synthetic catalog, one committed batch, and a 150,000-row long CSV to load into it."""
    rows = 150_000
    cat = _synthetic_catalog(tmp_path / "cat", rows // 364 + 1)
    db = str(tmp_path / "kill.duckdb")
    store = open_store(db, catalog_dir=cat)
    # something already committed, which must survive every kill untouched
    ingest_long(
        store,
        [long_rows([("BX.I0000", "2018-Q1", "", 7.0, 2)], file="first.csv")],
        files=["first.csv"],
        user="u",
        now=NOW,
    )
    csv_path = tmp_path / "big.csv"
    duckdb.connect().sql(
        """SELECT 'BX.I' || lpad(CAST(i // 364 AS VARCHAR), 4, '0') AS indicator,
                  CAST(2019 + (i % 364) // 13 // 4 AS VARCHAR) || '-Q' || CAST((i % 364) // 13 % 4 + 1 AS VARCHAR)
                      AS period,
                  CASE WHEN i % 13 = 0 THEN '' ELSE 'MA-' || lpad(CAST(i % 13 AS VARCHAR), 2, '0') END AS region,
                  i AS value
           FROM range($rows) t(i)""",
        params={"rows": rows},
    ).write_csv(str(csv_path), header=True)
    return store, db, rows, csv_path


def _spawn(db: str, csv_path: Path, pause_at: str | None = None) -> subprocess.Popen:
    # tests.fault: the same CLI with a pause installed at one checkpoint of the ingest transaction.
    cli = ["tests.fault", pause_at] if pause_at else ["loaders"]
    return subprocess.Popen(
        [sys.executable, "-m", *cli, "ingest", str(csv_path), "--db", db, "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_while_the_transaction_is_open_leaves_the_database_as_before(big_store, point):
    # before-insert: the batch row is written, no observation yet; before-commit: every row is inserted.
    store, db, rows, csv_path = big_store
    before = snapshot(store)
    child = _spawn(db, csv_path, point)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while f"MARSAD_FAULT_PAUSE {point}" not in line:
            assert time.monotonic() < deadline, "the child never reached the pause"
            line = child.stderr.readline()
            assert line or child.poll() is None, "the child died before the pause"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert snapshot(Store(store.url)) == before


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.4, 2.0])
def test_kill_at_any_moment_leaves_before_or_all_never_part(big_store, delay):
    store, db, rows, csv_path = big_store
    before = snapshot(store)
    child = _spawn(db, csv_path)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate()
    after = Store(store.url)
    with after.begin() as conn:
        n = conn.execute(
            sa.text("SELECT count(*) FROM observation WHERE file = 'big.csv'")
        ).scalar()
    if child.returncode == 0:  # finished before the kill: then everything is there
        assert json.loads(out)["inserted"] == n == rows
    else:
        assert n in (0, rows)
        if n == 0:
            assert snapshot(after) == before


def test_uploads_keep_their_names_and_an_unreadable_one_is_a_problem(store):
    from loaders.ingest import ingest_uploads

    good = (FIXTURES / "good_long_three_values.csv").read_bytes()
    r = ingest_uploads(store, [("rapport T1.csv", good)], user="u", dry_run=True, now=NOW)
    assert (r.status, r.inserted) == ("dry-run", 3)
    assert set(r.changes["file"].to_pylist()) == {"rapport T1.csv"}
    bad = ingest_uploads(store, [("rapport.xlsx", b"PK\x03\x04 not a workbook")], user="u", now=NOW)
    assert (bad.status, [(p.file, p.code) for p in bad.problems]) == (
        "rejected",
        [("rapport.xlsx", "unreadable-file")],
    )


def test_problems_csv_escapes_formula_like_cells():
    from loaders.ingest import problems_csv
    from loaders.problems import Problem

    data = problems_csv(
        [Problem(file="=evil.csv", row=3, column="B", code="bad-number", value="=1+1")]
    )
    text = data.decode("utf-8-sig").splitlines()
    assert text[0] == "file,sheet,row,column,severity,code,title,message"
    assert text[1] == "'=evil.csv,,3,B,error,bad-number,Not a number,'=1+1' is not a number"


def test_problems_csv_gives_the_title_and_message_in_the_reader_language():
    from loaders.ingest import problems_csv
    from loaders.problems import Problem

    p = Problem(file="a.csv", row=4, column="D", code="bad-number", value="n.d", lang="fr")
    text = problems_csv([p]).decode("utf-8-sig").splitlines()
    assert text[1] == "a.csv,,4,D,error,bad-number,Pas un nombre,« n.d » n'est pas un nombre"


# ---------------------------------------------------------------------------------------------
# Plausibility: unit ranges, whole numbers, non-finite and huge numbers, sudden jumps


def test_values_outside_their_units_range_are_errors_at_their_cell(store, tmp_path):
    path = tmp_path / "implausible_values_replace_published.csv"
    path.write_text(
        "indicator,period,region,value\n"
        "IA.JOBS,2026-Q1,MA-06,-120\n"  # negative jobs
        "DM.EGDI_RANK,2024,,-3\n"  # a rank of -3
        "DM.5G,2026-Q1,MA-01,250\n"  # a coverage of 250 %
        "DM.STARTUPS,2026-Q1,MA-06,12.5\n"  # half a startup
        "DM.5G,2026-Q1,MA-02,99.5\n",  # fine
        encoding="utf-8",
    )
    before = snapshot(store)
    r = ingest(store, [path], user="u", now=NOW)
    assert r.status == "rejected" and snapshot(store) == before
    assert [(p.code, p.row, p.column) for p in r.problems] == [
        ("out-of-range", 2, "D"),
        ("out-of-range", 3, "D"),
        ("out-of-range", 4, "D"),
        ("not-whole", 5, "D"),
    ]
    messages = [p.message for p in r.problems]
    assert messages[0] == "-120 is outside the range of IA.JOBS in jobs: ≥ 0"
    assert messages[1] == "-3 is outside the range of DM.EGDI_RANK in rank: 1 – 250"
    assert messages[2] == "250 is outside the range of DM.5G in %: 0 – 100"
    assert messages[3] == "DM.STARTUPS counts whole startups: 12.5 is not a whole number"


def test_a_huge_number_in_a_csv_is_an_error_not_a_commit(store, tmp_path):
    path = tmp_path / "huge_number_crashes_pages.csv"
    path.write_text(
        "indicator,period,region,value\nIA.JOBS,2026-Q1,MA-06,1000000000000000000000000000000\n",
        encoding="utf-8",
    )
    before = snapshot(store)
    r = ingest(store, [path], user="u", now=NOW)
    assert r.status == "rejected" and snapshot(store) == before
    assert [(p.code, p.row, p.column) for p in r.problems] == [("out-of-range", 2, "D")]
    assert "1e+30" in r.problems[0].message


def test_an_infinite_excel_cell_is_an_error_not_infinity_stored(store, tmp_path):
    import shutil
    import zipfile

    import xlsxwriter

    made = tmp_path / "made.xlsx"
    wb = xlsxwriter.Workbook(made)
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["indicator", "period", "region", "value"])
    ws.write_row(1, 0, ["IA.JOBS", "2026-Q1", "MA-06", 123.25])
    wb.close()
    path = tmp_path / "infinity_1e309_stored.xlsx"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>123.25</v>", b"<v>1e309</v>")  # what Excel keeps for it
            dst.writestr(item, data)
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
    before = snapshot(store)
    r = ingest(store, [path], user="u", now=NOW)
    assert r.status == "rejected" and snapshot(store) == before
    assert [(p.code, p.sheet, p.row, p.column) for p in r.problems] == [
        ("out-of-range", "Data", 2, "D")
    ]
    assert "∞" in r.problems[0].message


def test_a_value_ten_times_the_previous_period_is_flagged(db_url, monkeypatch):
    store = open_store(db_url)
    first = long_rows([("DM.FTTH", "2025-Q4", "MA-06", 1.25, 2)], file="q4.csv")
    assert ingest_long(store, [first], files=["q4.csv"], user="u", now=NOW).status == "committed"
    # million households typed as thousands (store: 1.25 before), and a 12x jump inside the file
    up = long_rows(
        [
            ("DM.FTTH", "2026-Q1", "MA-06", 1300.0, 2),
            ("DM.FTTH", "2025-Q4", "MA-01", 0.5, 3),
            ("DM.FTTH", "2026-Q1", "MA-01", 6.0, 4),
            ("DM.FTTH", "2026-Q1", "MA-02", 2.0, 5),  # no previous period: nothing to compare
        ],
        file="units_slip_thousands.csv",
    )
    r = ingest_long(
        store, [up], files=["units_slip_thousands.csv"], user="u", now=NOW, dry_run=True
    )
    assert r.status == "dry-run"
    assert [(p.code, p.severity, p.row, p.column) for p in r.problems] == [
        ("sudden-jump", "warning", 2, "D"),
        ("sudden-jump", "warning", 4, "D"),
    ]
    assert "1.25" in r.problems[0].message and "2025-Q4" in r.problems[0].message
    # a larger factor, from the environment, accepts the 12x jump, then both
    monkeypatch.setenv("MARSAD_JUMP_FACTOR", "20")
    r = ingest_long(
        store, [up], files=["units_slip_thousands.csv"], user="u", now=NOW, dry_run=True
    )
    assert [p.code for p in r.problems] == ["sudden-jump"]  # 1.25 -> 1300 is still > 20x
    monkeypatch.setenv("MARSAD_JUMP_FACTOR", "2000")
    r = ingest_long(
        store, [up], files=["units_slip_thousands.csv"], user="u", now=NOW, dry_run=True
    )
    assert r.problems == []


def test_a_revised_earlier_period_is_compared_with_the_stored_next_one(store):
    later = long_rows([("DM.FTTH", "2026-Q1", "MA-06", 1.2, 2)], file="q1.csv")
    assert ingest_long(store, [later], files=["q1.csv"], user="u", now=NOW).status == "committed"
    up = long_rows([("DM.FTTH", "2025-Q4", "MA-06", 1150.0, 2)], file="q4_in_thousands.csv")
    r = ingest_long(store, [up], files=["q4_in_thousands.csv"], user="u", now=NOW)
    assert r.status == "committed"  # a warning, not an error
    assert [(p.code, p.row) for p in r.problems] == [("sudden-jump", 2)]
    assert "2026-Q1" in r.problems[0].message


def test_a_count_with_decimals_shows_its_decimals_in_the_message(store):
    up = long_rows([("IA.JOBS", "2026-Q1", "MA-06", 1583.8, 2)], file="jobs_with_decimals.csv")
    r = ingest_long(store, [up], files=["jobs_with_decimals.csv"], user="u", now=NOW, lang="fr")
    assert [(p.code, p.row) for p in r.problems] == [("not-whole", 2)]
    assert r.problems[0].message == (
        "IA.JOBS se compte en emplois entiers : 1\u202f583,8 n'est pas un nombre entier"
    )


def test_a_period_or_region_problem_points_at_the_period_or_region_cell(store):
    """Columns indicator, region, period, value: a future period is in C (not the value's D), a
    region given for a national-only indicator is in B."""
    r = ingest(store, [FIXTURES / "future_period_pointed_at_value_column.csv"], user="u", now=NOW)
    assert r.status == "rejected"
    assert [(p.code, p.row, p.column) for p in r.problems] == [
        ("future-period", 3, "C"),
        ("region-not-allowed", 4, "B"),
    ]
    fr = ingest(
        store, [FIXTURES / "future_period_pointed_at_value_column.csv"], user="u", now=NOW,
        lang="fr",
    )  # fmt: skip
    assert [p.title for p in fr.problems] == ["Période future", "Région non admise"]
    assert [(x["code"], x["title"]) for x in fr.as_json()["problems"]] == [
        ("future-period", "Période future"),
        ("region-not-allowed", "Région non admise"),
    ]
    assert fr.problems[1].message("ar") == (
        "\u2068DM.EXPORTS\u2069 يُتتبَّع على مستوى المغرب ككل: لا تُقبل قيمة خاصة بجهة الدار البيضاء-سطات"
    )
