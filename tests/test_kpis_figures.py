"""Every figure right across pages and the CLI: one computation for the Overview and `kpis status`,
partial regional sums shown with their coverage and never used, one baseline and one set of status
groups everywhere, and a stored value that cannot be a number never taking a page down."""

import datetime as dt
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from kpis.__main__ import main as kpis_main
from kpis.views import status_label, value_text
from loaders.catalog import load_catalog
from loaders.i18n import translator
from loaders.store import OBS_ARROW_SCHEMA, open_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
CATALOG = load_catalog()
NAME_EN = {i.code: i.name_en for i in CATALOG.indicators}
UNIT = {i.code: i.unit for i in CATALOG.indicators}

# Five of twelve regions report AI-related jobs for 2026-Q1: 93,995 in all. That sum is not the
# national figure (seven regions are missing) and must not become its baseline or its status.
PARTIAL_JOBS = [
    ("MA-01", 21_000),
    ("MA-04", 30_500),
    ("MA-06", 25_000),
    ("MA-07", 9_995),
    ("MA-09", 7_500),
]


def _write(db: str, rows: list[tuple[str, str, str, float]], *, demo=False) -> None:
    """Observations written straight into the store, bypassing ingest (as an older store may hold)."""
    store = open_store(db)
    with store.begin() as conn:
        b = store.new_batch(
            conn,
            user="analyst",
            origin="upload",
            files="direct.csv",
            demo=demo,
            created_at=dt.datetime(2026, 4, 20),
        )
        recs = [
            {
                "batch_id": b,
                "indicator": ind,
                "period": period,
                "region": region,
                "value": value,
                "unit": None,
                "comment": None,
                "source": "direct write",
                "file": "direct.csv",
                "sheet": None,
                "row_number": n,
                "demo": demo,
            }
            for n, (ind, period, region, value) in enumerate(rows, start=2)
        ]
        store.bulk_insert_observations(conn, pa.Table.from_pylist(recs, schema=OBS_ARROW_SCHEMA))
    store.engine.dispose()


def _cli(db: str, *args) -> list[dict]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert kpis_main(["status", "--json", "--db", db, *args]) == 0
    return json.loads(buf.getvalue())


def _app(db, lang, page, monkeypatch, *extra, **params):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db), *extra])
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if page == "pages/overview.py":
        at.run()
    else:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _overview_rows(at, lang: str = "en") -> dict[str, dict]:
    """Per indicator (its name): the grid's cells, and the details table's (baseline, period, source)."""
    rows = {}
    indicator = translator(lang)("Indicator")
    for t in [*at.dataframe, *at.table]:
        for r in t.value.to_dict("records"):
            name = str(r[indicator]).translate(ISOLATES)
            rows.setdefault(name, {}).update(
                {
                    k: v if isinstance(v, (list, float, int)) else str(v).translate(ISOLATES)
                    for k, v in r.items()
                }
            )
    return rows


def _scenario(kind: str, tmp_path) -> tuple[str, tuple]:
    db = str(tmp_path / f"{kind}.duckdb")
    open_store(db).engine.dispose()
    if kind == "partial":
        _write(db, [("IA.JOBS", "2026-Q1", r, v) for r, v in PARTIAL_JOBS])
    return db, ("--demo",) if kind == "demo" else ()


@pytest.mark.parametrize("kind", ["fresh", "demo", "partial"])
def test_overview_and_cli_show_the_same_figures(tmp_path, monkeypatch, kind):
    db, extra = _scenario(kind, tmp_path)
    at = _app(db, "en", "pages/overview.py", monkeypatch, *extra)
    records = [r for r in _cli(db) if r["region"] is None]
    rows = _overview_rows(at)
    assert len(rows) == len(records) == 32
    for r in records:
        row = rows[NAME_EN[r["indicator"]]]
        unit = UNIT[r["indicator"]]
        assert row["Status"] == status_label(r["status"], "en"), r["indicator"]
        # The grid's progress bar: the share of the way to the target, 0 to 100.
        shown = row["Progress"]
        if r["progress"] is None:
            assert shown is None or shown != shown or shown in ("None", "nan"), r["indicator"]
        else:
            expected = round(100 * float(np.clip(r["progress"], 0, 1)), 1)
            assert shown == pytest.approx(expected), r["indicator"]
        if r["baseline_value"] is None or unit == "milestone":
            assert row["Baseline"] == "—", r["indicator"]
        else:
            assert row["Baseline"].startswith(value_text(r["baseline_value"], unit, "en"))
        if r["latest_value"] is not None:
            milestone = unit == "milestone"
            assert row["Latest value"].startswith(
                value_text(r["latest_value"], unit, "en", milestone=milestone)
            ), r["indicator"]
        if r["coverage"]:
            n, total = r["coverage"].split("/")
            assert f"{n} of {total} regions" in row["Latest value"], r["indicator"]
        if r["partial_sum"]:
            n, total = r["partial_sum"]["coverage"].split("/")
            assert f"{n} of {total} regions" in row["Latest value"]
    # The headline counts are the CLI's status groups.
    metrics = {m.label: m.value for m in at.metric}
    tr = translator("en")
    from kpis.methods import STATUS_GROUP_LABELS

    for group, label in STATUS_GROUP_LABELS.items():
        assert metrics[tr(label)] == str(sum(r["status_group"] == group for r in records))


def test_a_partial_regional_sum_is_shown_with_its_coverage_and_never_used(tmp_path, monkeypatch):
    db, _ = _scenario("partial", tmp_path)
    jobs = next(r for r in _cli(db) if r["indicator"] == "IA.JOBS" and r["region"] is None)
    # Shown, with how many regions it covers; no latest value, baseline, progress or status from it.
    assert jobs["partial_sum"] == {
        "value": 93_995,
        "period": "2026-Q1",
        "coverage": "5/12",
        "used": False,
    }
    assert jobs["latest_value"] is None and jobs["baseline_value"] is None
    assert jobs["progress"] is None and jobs["status"] == "no-data"
    assert "partial-coverage" in jobs["flags"]
    row = _overview_rows(_app(db, "fr", "pages/overview.py", monkeypatch), "fr")[
        load_catalog().indicator("IA.JOBS").name_fr
    ]
    assert (
        "de 5 régions sur 12" in row["Dernière valeur"] and "93\u202f995" in row["Dernière valeur"]
    )
    progress = row["Avancement"]
    assert row["Référence"] == "—" and progress in (None, "None") or progress != progress
    ar = _app(db, "ar", "pages/indicator.py", monkeypatch, code="IA.JOBS")
    card = {m.label: m for m in ar.metric}[translator("ar")("Latest value")]
    # Coverage in words ("5 regions out of 12"), not a fraction that right to left could read 12/5.
    assert "5 جهات من أصل 12" in " ".join(c.value for c in ar.caption)
    assert card.value.translate(ISOLATES) == "93.995"
    # The CSV export says it too.
    buf = io.StringIO()
    with redirect_stdout(buf):
        kpis_main(["status", "--csv", "--db", db])
    line = next(x for x in buf.getvalue().splitlines() if x.startswith("IA.JOBS,"))
    assert line.endswith(",93995.0,2026-Q1,5/12")


def test_one_baseline_and_one_set_of_status_groups_everywhere(tmp_path, monkeypatch):
    db = str(tmp_path / "m.duckdb")
    open_store(db).engine.dispose()
    recs = {r["indicator"]: r for r in _cli(db) if r["region"] is None}
    # JAZARI has no published baseline: the first observation (1 institute, 2025-Q2) is the one
    # baseline, on the Overview as on its page and in the CLI (the Overview used to show "—").
    assert recs["IA.JAZARI"]["baseline_value"] == 1
    assert recs["IA.JAZARI"]["baseline_from"] == "first-observation"
    rows = _overview_rows(_app(db, "en", "pages/overview.py", monkeypatch))
    assert rows[NAME_EN["IA.JAZARI"]]["Baseline"] == "1 institutes (first observation, Q2 2025)"
    page = _app(db, "en", "pages/indicator.py", monkeypatch, code="IA.JAZARI")
    base = {m.label: m for m in page.metric}["Baseline"]
    assert base.value == "1" and "first observation, Q2 2025" in (base.help or "") + " ".join(
        c.value for c in page.caption
    )
    # EGDI rank improves but has no target: counted apart, never as "on track or achieved".
    assert recs["DM.EGDI_RANK"]["status"] == "improving"
    assert recs["DM.EGDI_RANK"]["status_group"] == "trend"
    over = _app(db, "en", "pages/overview.py", monkeypatch)
    metrics = {m.label: m.value for m in over.metric}
    assert metrics["On track or achieved"] == "1"  # JAZARI only
    # EGDI rank and e-services improving, AI readiness rank stable: none has a target.
    assert metrics["Without a target"] == "3"
    assert "Improving" in page_text(_app(db, "en", "pages/methodology.py", monkeypatch))


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for t in [*at.table, *at.dataframe]:
        parts += [str(v) for v in t.value.to_numpy().ravel()]
    return " ".join(parts)


BAD = [
    ("IA.JOBS", "2026-Q1", "", 1e30),
    ("DM.JOBS", "2026-Q1", "", float("inf")),
    ("IA.GRADS", "2026-Q1", "", float("-inf")),
    ("DM.STARTUPS", "2026-Q1", "", float("nan")),
    ("DM.5G", "2026-Q1", "", 1e300),
    ("DM.TRAINED", "2025", "", -400),
    ("DM.JOBS", "2026-Q1", "MA-01", 1e30),
]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_unusable_stored_values_never_take_a_page_down(tmp_path, monkeypatch, lang):
    db = str(tmp_path / "bad.duckdb")
    open_store(db).engine.dispose()
    _write(db, BAD)
    _ = translator(lang)
    recs = {r["indicator"]: r for r in _cli(db) if r["region"] is None}
    for code in ("IA.JOBS", "DM.JOBS", "IA.GRADS", "DM.STARTUPS", "DM.5G", "DM.TRAINED"):
        assert "invalid-value" in recs[code]["flags"], code
    assert recs["IA.JOBS"]["latest_value"] is None  # left out, not shown as 1e30 jobs
    assert recs["DM.TRAINED"]["latest_value"] == 14_000  # the published 2022 value still counts
    over = _app(db, lang, "pages/overview.py", monkeypatch)
    text = page_text(over)
    assert "∞" not in text and "1E30" not in text
    assert _("a stored value is unusable and was left out") in text
    for code in ("IA.JOBS", "DM.JOBS", "DM.5G"):
        at = _app(db, lang, "pages/indicator.py", monkeypatch, code=code)
        t = page_text(at) + " ".join(m.value for m in at.metric)
        assert "∞" not in t and _("unusable value") in t, code
    _app(db, lang, "pages/regions.py", monkeypatch, code="DM.JOBS")
    _app(db, lang, "pages/methodology.py", monkeypatch)


def test_unusable_values_on_postgresql_too(db_url):
    if db_url.startswith("duckdb"):
        pytest.skip("covered by the DuckDB page test above")
    open_store(db_url).engine.dispose()
    _write(db_url, BAD)
    recs = {r["indicator"]: r for r in _cli(db_url) if r["region"] is None}
    assert "invalid-value" in recs["DM.5G"]["flags"] and recs["IA.JOBS"]["latest_value"] is None
