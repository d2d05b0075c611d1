"""Seed: published reference figures load as of their publication dates, re-seeding adds nothing twice, DEMO values stay inside their units."""

import datetime as dt
import shutil

import pyarrow as pa
import pytest
import sqlalchemy as sa

from loaders.batches import history
from loaders.catalog import CATALOG_DIR, load_catalog
from loaders.seed import demo_rows
from loaders.store import OBS_ARROW_SCHEMA, Store, meta, open_store, resolve_url


def _value(store, indicator, period, as_of=None, region=""):
    df = store.current_observations(as_of)
    hit = df[(df.indicator == indicator) & (df.period == period) & (df.region == region)]
    return None if hit.empty else float(hit.value.iloc[0])


def test_as_of_a_past_date_shows_the_figures_published_by_then(db_url):
    store = open_store(db_url)
    assert _value(store, "DM.EGDI_RANK", "2022", dt.date(2023, 1, 1)) == 101
    assert _value(store, "DM.EGDI_RANK", "2024", dt.date(2023, 1, 1)) is None
    assert _value(store, "IA.READINESS", "2022", dt.date(2023, 1, 1)) == 87  # published 5 Dec 2022
    assert _value(store, "IA.READINESS", "2023", dt.date(2023, 1, 1)) is None
    before = store.current_observations(dt.date(2023, 1, 1))
    assert len(before) == 10  # EGDI 2008-2022 (8), OSI 2022, AI readiness 2022
    assert len(store.current_observations(dt.date.today())) == 29
    assert len(store.current_observations()) == 29


def test_history_of_a_fresh_database_lists_the_published_batches_with_their_dates(db_url):
    store = open_store(db_url)
    h = history(store)
    public = h[h.origin == "public"]
    assert len(public) == 24  # one batch per publication date
    assert public.rows.sum() == 29
    when = {row.created_at.to_pydatetime(): row.rows for row in public.itertuples()}
    # Loaded at the start of the publication day in Morocco, stored as UTC.
    assert when[dt.datetime(2022, 9, 27, 23, 0)] == 2  # 28 Sep 2022 (UTC+1): EGDI and OSI ranks
    assert when[dt.datetime(2024, 9, 16, 23, 0)] == 3  # 17 Sep 2024: EGDI rank, score, OSI rank
    assert when[dt.datetime(2008, 1, 31, 0, 0)] == 1  # Morocco was on UTC in winter 2008
    assert when[dt.datetime(2026, 3, 10, 0, 0)] == 1  # 10 Mar 2026, Ramadan: Morocco on UTC
    # Oldest publication first, so batch order and date order agree.
    assert list(public.sort_values("batch_id").created_at) == sorted(public.created_at)
    open_store(db_url)  # opening again loads nothing twice
    assert len(history(store)) == 24


def _old_code_database(url, catalog):
    """A store as the previous seed left it: the 24 first figures in one batch loaded on 20 Nov 2026."""
    store = open_store(url, seed_public=False)
    old = [(n, o) for n, o in catalog.observations if n <= 25]
    with store.begin() as conn:
        b = store.new_batch(
            conn,
            user="marsad (reference data)",
            origin="public",
            files="data/catalog/observations_public.csv",
            demo=False,
            created_at=dt.datetime(2026, 11, 20, 8, 0),
        )
        rows = [
            {
                "batch_id": b,
                "indicator": o.indicator,
                "period": o.period,
                "region": o.region,
                "value": o.value,
                "unit": None,
                "comment": o.note or None,
                "source": o.source,
                "file": "observations_public.csv",
                "sheet": None,
                "row_number": n,
                "demo": False,
            }
            for n, o in old
        ]
        store.bulk_insert_observations(conn, pa.Table.from_pylist(rows, schema=OBS_ARROW_SCHEMA))
        conn.execute(sa.delete(meta).where(meta.c.key == "public_seeded"))
        conn.execute(sa.insert(meta).values(key="public_seeded", value="0123456789abcdef"))
    return store


def _upload(store, indicator, period, value, when=None):
    with store.begin() as conn:
        b = store.new_batch(
            conn, user="analyst", origin="upload", files="fix.csv", demo=False, created_at=when
        )
        store.bulk_insert_observations(
            conn,
            pa.Table.from_pylist(
                [
                    {
                        "batch_id": b,
                        "indicator": indicator,
                        "period": period,
                        "region": "",
                        "value": value,
                        "unit": "rank",
                        "comment": None,
                        "source": "analyst",
                        "file": "fix.csv",
                        "sheet": None,
                        "row_number": 2,
                        "demo": False,
                    }
                ],
                schema=OBS_ARROW_SCHEMA,
            ),
        )
    return b


def test_reseeding_a_database_of_the_old_seed_redates_its_figures_without_duplicates(db_url):
    store = _old_code_database(db_url, load_catalog())
    assert len(store.current_observations()) == 24
    assert _value(store, "DM.EGDI_RANK", "2022", dt.date(2023, 1, 1)) is None  # the old defect
    Store(store.url).ensure()
    obs = store.current_observations()
    assert len(obs) == 29
    assert (obs.versions == 1).all()  # nothing loaded twice
    # The 24 old figures moved to the batches of their publication dates; the 5 new ones joined them.
    assert _value(store, "DM.EGDI_RANK", "2022", dt.date(2023, 1, 1)) == 101
    assert _value(store, "DM.ESERVICES", "2025-Q1", dt.date(2025, 3, 1)) == 650
    h = history(store)
    assert len(h) == 24 and (h.origin == "public").all()  # the emptied old batch is gone
    assert 1 not in set(obs.batch_id)
    Store(store.url).ensure()
    assert len(history(store)) == 24


def test_reseeding_leaves_a_figure_revised_by_an_upload_in_its_old_batch(db_url):
    store = _old_code_database(db_url, load_catalog())
    _upload(store, "DM.EGDI_RANK", "2022", 100.0, dt.datetime(2026, 11, 25, 9, 0))
    Store(store.url).ensure()
    assert _value(store, "DM.EGDI_RANK", "2022") == 100  # the upload stays current
    obs = store.current_observations()
    assert obs.set_index(["indicator", "period"]).loc[("DM.EGDI_RANK", "2022"), "versions"] == 2
    h = history(store)
    old = h[h.batch_id == 1].iloc[0]
    assert (old.origin, old.rows) == ("public", 1)  # only the revised key stayed behind
    assert len(h) == 1 + 1 + 24


def test_a_catalog_correction_is_loaded_once_and_an_uploaded_revision_is_kept(tmp_path):
    d = tmp_path / "cat"
    shutil.copytree(CATALOG_DIR, d)
    url = str(tmp_path / "m.duckdb")
    store = open_store(url, catalog_dir=d)
    _upload(store, "DM.EGDI_RANK", "2022", 100.0)  # an analyst revised the 2022 EGDI rank
    path = d / "observations_public.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "DM.EXPORTS,2023,,17.9,", "DM.EXPORTS,2023,,17.8,"
        ),
        encoding="utf-8",
    )
    Store(resolve_url(url)).ensure()
    assert _value(store, "DM.EGDI_RANK", "2022") == 100  # the upload is still the current value
    assert _value(store, "DM.EXPORTS", "2023") == 17.8
    obs = store.current_observations()
    assert obs.set_index(["indicator", "period"]).loc[("DM.EXPORTS", "2023"), "versions"] == 2
    # The correction carries its publication date too: as known at the launch of 25 Sep 2024.
    assert _value(store, "DM.EXPORTS", "2023", dt.date(2024, 9, 25)) == 17.8


# -- DEMO data ------------------------------------------------------------------------------------

DAYS = [
    dt.date(2024, 2, 1),  # no quarter of the DEMO range is complete yet
    dt.date(2024, 4, 1),
    dt.date(2026, 11, 22),
    dt.date(2031, 1, 15),  # past most target years
    dt.date(2040, 6, 30),
]


@pytest.mark.parametrize("today", DAYS)
def test_every_demo_value_is_inside_its_unit_and_near_its_indicator_scale(today):
    c = load_catalog()
    rows = demo_rows(c, today)
    outside = [
        (r["indicator"], r["period"], r["region"], r["value"])
        for r in rows
        if c.unit(r["indicator"]).violation(r["value"]) is not None
    ]
    assert outside == []
    for ind in c.indicators:
        known = [v for v in (ind.target_value, ind.baseline_value) if v is not None]
        known += [o.value for _, o in c.observations if o.indicator == ind.code]
        values = [r["value"] for r in rows if r["indicator"] == ind.code]
        assert known, ind.code
        assert max(values, default=0) <= 3 * max(known), ind.code


def test_demo_ranks_are_whole_and_percentages_at_most_100():
    rows = demo_rows(load_catalog(), dt.date(2026, 11, 22))
    ranks = [r["value"] for r in rows if r["indicator"] in ("DM.EGDI_RANK", "IA.READINESS")]
    assert ranks and all(v == int(v) and v >= 1 for v in ranks)
    five_g = [r["value"] for r in rows if r["indicator"] == "DM.5G"]
    assert five_g and max(five_g) <= 100
    score = [r["value"] for r in rows if r["indicator"] == "DM.EGDI_SCORE"]
    assert score and all(0 <= v <= 1 for v in score)


def test_demo_regional_series_cover_all_12_regions_every_period():
    c = load_catalog()
    rows = demo_rows(c, dt.date(2026, 11, 22))
    isos = {r.iso for r in c.regions}
    for ind in c.indicators:
        if not ind.by_region or ind.national_from_regions != "all":
            continue
        by_period: dict[str, set] = {}
        for r in rows:
            if r["indicator"] == ind.code:
                by_period.setdefault(r["period"], set()).add(r["region"])
        assert by_period, ind.code
        assert all(regions == isos for regions in by_period.values()), ind.code
