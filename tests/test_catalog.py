"""Catalog validation: the real catalog loads; each kind of broken file is refused with file, row and field."""

import csv
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from loaders.catalog import CATALOG_DIR, CatalogError, load_catalog


def test_real_catalog_loads_with_expected_counts():
    c = load_catalog()
    assert len(c.pillars) == 6
    assert len(c.indicators) == 32
    assert len(c.regions) == 12
    assert (
        len(c.observations) == 29
    )  # 24 + IA.READINESS 2022-2024, DM.OSI_RANK 2024, DM.ESERVICES 2025-Q1
    assert len(c.index_editions) == 10
    jobs = c.indicator("DM.JOBS")
    assert (jobs.target_year, jobs.target_value) == (2030, 240000.0)
    # The 190,000 of 2026 belonged to a 270,000-by-2030 series: not a milestone of this target.
    assert jobs.milestones == ()
    assert "270,000" in jobs.notes
    milestones = {(i.code, m.year, m.value) for i in c.indicators for m in i.milestones}
    assert milestones == {
        ("DM.TALENTS", 2026, 20000.0),
        ("DM.5G", 2026, 45.0),
        ("DM.STARTUPS", 2026, 1000.0),
        ("DM.STARTUP_FUNDS", 2026, 2.0),
        ("DM.EXPORTS", 2026, 25.0),
    }
    assert c.indicator("IA.JOBS").name_en == "Direct and indirect AI-related jobs"
    # Every figure names where it was read.
    assert all(i.sources for i in c.indicators)
    assert all(o.source for _, o in c.observations)
    assert all(e.source for e in c.index_editions)
    assert c.indicator("DM.OSI_RANK").direction == "down"
    assert sum(r.population_2024 for r in c.regions) == 36_828_330


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, d)
    return d


def _edit_indicator(d: Path, code: str, **changes) -> int:
    """Change fields of one indicator row; return the row number a person sees (header = 1)."""
    path = d / "indicators.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys())
    for k in changes:
        if k not in header:
            header.append(k)
    line = None
    for i, r in enumerate(rows, start=2):
        if r["code"] == code:
            r.update(changes)
            line = i
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return line


def _problems(d: Path):
    with pytest.raises(CatalogError) as e:
        load_catalog(d)
    return [(p.file, p.row, p.column, p.code) for p in e.value.problems], e.value


def test_target_year_before_baseline_year_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "DM.TRAINED", target_year="2020")
    probs, err = _problems(d)
    assert probs == [("indicators.csv", row, "(row)", "catalog-field")]
    assert "target year 2020 is not after baseline year 2022" in str(err)


def test_bad_direction_and_missing_name_reported_together(tmp_path):
    d = _copy(tmp_path)
    r1 = _edit_indicator(d, "IA.JOBS", direction="sideways")
    r2 = _edit_indicator(d, "DM.GDP", name_ar="")
    probs, _ = _problems(d)
    assert ("indicators.csv", r1, "direction", "catalog-field") in probs
    assert ("indicators.csv", r2, "name_ar", "catalog-field") in probs
    assert len(probs) == 2


def test_unknown_column_is_refused(tmp_path):
    d = _copy(tmp_path)
    _edit_indicator(d, "IA.JOBS", owner="someone")
    probs, _ = _problems(d)
    assert ("indicators.csv", 1, "owner", "catalog-unknown-field") in probs


def test_unknown_pillar_and_observation_reference(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "IA.JOBS", pillar="XYZ")
    with (d / "observations_public.csv").open("a", encoding="utf-8") as f:
        f.write("IA.NOPE,2025,,3,example.org,,2025-06-30,\n")
    probs, _ = _problems(d)
    assert ("indicators.csv", row, "pillar", "catalog-reference") in probs
    assert ("observations_public.csv", 31, "indicator", "catalog-reference") in probs


def test_bad_milestone_format(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "DM.JOBS", milestones="2026=190000")
    probs, err = _problems(d)
    assert probs == [("indicators.csv", row, "milestones", "catalog-field")]
    assert "not YEAR:VALUE" in str(err)


def test_catalog_change_needs_no_code(tmp_path):
    """Officials revise a target in the CSV: the next load carries it, with a new digest."""
    d = _copy(tmp_path)
    before = load_catalog(d)
    _edit_indicator(d, "IA.JOBS", target_value="60000")
    after = load_catalog(d)
    assert after.indicator("IA.JOBS").target_value == 60000.0
    assert after.digest != before.digest


def test_a_published_value_listed_twice_is_refused(tmp_path):
    d = _copy(tmp_path)
    with (d / "observations_public.csv").open("a", encoding="utf-8") as f:
        f.write("DM.EGDI_RANK,2024,,91,example.org,,2024-09-17,\n")
    probs, err = _problems(d)
    assert probs == [("observations_public.csv", 31, "period", "catalog-field")]
    assert "DM.EGDI_RANK 2024 national is already on row 10" in str(err)


def test_every_indicator_unit_comes_from_units_csv():
    c = load_catalog()
    codes = {u.code for u in c.units}
    assert {i.unit for i in c.indicators} <= codes
    assert c.unit("IA.JAZARI").whole and c.unit("IA.JAZARI").min == 0
    assert (c.unit("%").min, c.unit("%").max) == (0, 100)
    assert (c.unit("rank").min, c.unit("rank").whole) == (1, True)
    assert (c.unit("index 0-1").min, c.unit("index 0-1").max) == (0, 1)


def test_unknown_unit_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "IA.JOBS", unit="emplois")
    probs, _ = _problems(d)
    assert ("indicators.csv", row, "unit", "catalog-reference") in probs


def test_target_outside_its_unit_range_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "DM.5G", target_value="170")  # 170 % coverage
    row2 = _edit_indicator(d, "DM.OSI_RANK", target_value="0")  # rank 0
    probs, err = _problems(d)
    assert ("indicators.csv", row, "target_value", "catalog-field") in probs
    assert ("indicators.csv", row2, "target_value", "catalog-field") in probs
    assert "above the unit's maximum" in str(err)


def test_unit_with_min_above_max_is_refused(tmp_path):
    d = _copy(tmp_path)
    path = d / "units.csv"
    text = path.read_text(encoding="utf-8").replace(
        "%,%,%,%,percent,0,100", "%,%,%,%,percent,100,0"
    )
    path.write_text(text, encoding="utf-8")
    probs, _ = _problems(d)
    assert ("units.csv", 2, "(row)", "catalog-field") in probs


def test_regional_comparison_only_for_regional_indicators(tmp_path):
    d = _copy(tmp_path)
    row = _edit_indicator(d, "IA.GDP", comparison="per-capita")
    probs, _ = _problems(d)
    assert ("indicators.csv", row, "(row)", "catalog-field") in probs


def _edit_row(d: Path, name: str, match: dict, **changes) -> int:
    """Change fields of the one row of `name` matching `match`; return its row number (header = 1)."""
    path = d / name
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    hits = [i for i, r in enumerate(rows, start=2) if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, hits
    rows[hits[0] - 2].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return hits[0]


# -- the reference facts ---------------------------------------------------------------------------

REFERENCE_FILES = (
    "pillars.csv",
    "indicators.csv",
    "observations_public.csv",
    "regions.csv",
    "index_editions.csv",
)


def _reference_dir() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
    return Path(os.environ.get("MARSAD_REFERENCE_DIR") or default)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_catalog_matches_the_reference_on_every_reference_column(name):
    """data/catalog/ carries every reference fact unchanged, row for row (row numbers are cited by
    the pages); this project's extra columns (comparison, national_from_regions, published, …) are
    allowed beside them. CI checks the clone out with ../shared/ beside it: a missing folder is a
    broken set-up, so it fails rather than skips (MARSAD_REFERENCE_DIR points elsewhere)."""
    ref_dir = _reference_dir()
    if not (ref_dir / name).is_file():
        pytest.fail(
            f"reference file {ref_dir / name} not found: check out ../shared/ beside the clone"
            " or set MARSAD_REFERENCE_DIR to the reference folder"
        )
    ref_header, ref_rows = _read(ref_dir / name)
    header, rows = _read(CATALOG_DIR / name)
    assert [c for c in ref_header if c not in header] == []
    assert len(rows) == len(ref_rows)
    for n, (mine, ref) in enumerate(zip(rows, ref_rows, strict=True), start=2):
        assert {c: mine[c] for c in ref_header} == ref, f"{name} row {n}"


# -- publication dates -----------------------------------------------------------------------------


def test_published_figures_carry_their_publication_dates():
    c = load_catalog()
    published = {(o.indicator, o.period, o.region): o.published for _, o in c.observations}
    assert published[("DM.EGDI_RANK", "2022", "")] == dt.date(2022, 9, 28)
    assert published[("DM.EGDI_RANK", "2024", "")] == dt.date(2024, 9, 17)
    assert published[("DM.EGDI_RANK", "2014", "")] == dt.date(2014, 6, 24)
    assert published[("IA.JAZARI", "2026-Q1", "MA-04")] == dt.date(2026, 1, 12)
    assert published[("DM.ESERVICES", "2025-Q1", "")] == dt.date(2025, 2, 14)
    # Only the month is known: the end of it, marked as a conservative date.
    egdi_2008 = next(
        o for _, o in c.observations if o.indicator == "DM.EGDI_RANK" and o.period == "2008"
    )
    assert egdi_2008.published == dt.date(2008, 1, 31)
    assert egdi_2008.published_note.startswith("conservative:")


def test_a_published_value_without_its_publication_date_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_row(
        d, "observations_public.csv", {"indicator": "DM.OSI_RANK", "period": "2024"}, published=""
    )
    probs, err = _problems(d)
    assert probs == [("observations_public.csv", row, "published", "catalog-field")]


def test_a_publication_date_after_today_or_before_its_period_is_refused(tmp_path):
    d = _copy(tmp_path)
    late = _edit_row(
        d,
        "observations_public.csv",
        {"indicator": "DM.OSI_RANK", "period": "2024"},
        published="2026-06-01",
    )
    early = _edit_row(
        d,
        "observations_public.csv",
        {"indicator": "DM.EGDI_RANK", "period": "2022"},
        published="2021-12-31",
    )
    with pytest.raises(CatalogError) as e:
        load_catalog(d, today=dt.date(2026, 5, 31))
    probs = [(p.file, p.row, p.column) for p in e.value.problems]
    assert probs == [
        ("observations_public.csv", early, "(row)"),
        ("observations_public.csv", late, "published"),
    ]
    assert "published 2026-06-01 is after today (2026-05-31)" in str(e.value)
    assert "published 2021-12-31 is before period 2022 starts (2022-01-01)" in str(e.value)


def test_a_publication_date_must_be_an_iso_date(tmp_path):
    d = _copy(tmp_path)
    row = _edit_row(
        d,
        "observations_public.csv",
        {"indicator": "DM.OSI_RANK", "period": "2024"},
        published="17/09/2024",
    )
    probs, err = _problems(d)
    assert probs == [("observations_public.csv", row, "published", "catalog-field")]
    assert "ISO date" in str(err)


# -- index editions --------------------------------------------------------------------------------


def test_index_editions_load_with_their_scale_and_series_breaks():
    c = load_catalog()
    oxford = [e for e in c.index_editions if e.indicator == "IA.READINESS"]
    assert [(e.edition, e.morocco_rank, e.countries_ranked) for e in oxford] == [
        (2019, 80, 194),
        (2022, 87, 181),
        (2023, 88, 193),
        (2024, 101, 188),
        (2025, 87, None),
    ]
    assert oxford[0].scale == (0.0, 10.0) and oxford[0].series_note
    assert oxford[3].percentile == pytest.approx(1 - 100 / 188)
    gii = [e for e in c.index_editions if e.index == "WIPO Global Innovation Index"]
    assert [(e.edition, e.morocco_rank, e.indicator) for e in gii] == [
        (2024, 66, ""),
        (2025, 57, ""),
    ]


def test_an_index_rank_beyond_the_countries_ranked_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_row(
        d,
        "index_editions.csv",
        {"index": "Tortoise Global AI Index", "edition": "2024"},
        morocco_rank="84",
    )
    probs, err = _problems(d)
    assert probs == [("index_editions.csv", row, "(row)", "catalog-field")]
    assert "rank 84 is beyond the 83 countries ranked" in str(err)


def test_an_index_score_outside_its_scale_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_row(
        d,
        "index_editions.csv",
        {"index": "Oxford Insights Government AI Readiness Index", "edition": "2019"},
        score_scale="0-1",
    )
    probs, err = _problems(d)
    assert probs == [("index_editions.csv", row, "(row)", "catalog-field")]
    assert "score 4.717 is outside the scale 0-1" in str(err)


def test_an_index_rank_that_disagrees_with_the_published_observation_is_refused(tmp_path):
    d = _copy(tmp_path)
    row = _edit_row(
        d,
        "index_editions.csv",
        {"index": "UN Online Services Index (OSI)", "edition": "2024"},
        morocco_rank="99",
    )
    probs, err = _problems(d)
    assert probs == [("index_editions.csv", row, "morocco_rank", "catalog-reference")]
    assert "rank 99 disagrees with DM.OSI_RANK 2024 = 100 in observations_public.csv row 29" in str(
        err
    )


def test_an_index_edition_listed_twice_or_tracked_by_a_non_rank_is_refused(tmp_path):
    d = _copy(tmp_path)
    with (d / "index_editions.csv").open("a", encoding="utf-8") as f:
        f.write("WIPO Global Innovation Index,2024,133,66,,0-100,,example.org,\n")
        f.write("Some Index,2024,100,5,,0-100,,example.org,DM.EGDI_SCORE\n")
        f.write("Other Index,2024,100,5,,0-100,,example.org,DM.NOPE\n")
    probs, _ = _problems(d)
    assert probs == [
        ("index_editions.csv", 12, "edition", "catalog-field"),
        ("index_editions.csv", 13, "indicator", "catalog-reference"),
        ("index_editions.csv", 14, "indicator", "catalog-reference"),
    ]


def test_a_catalog_without_index_editions_loads_with_none(tmp_path):
    """The editions are context for the rank indicators: a catalog (e.g. an older copy) may lack them."""
    d = _copy(tmp_path)
    (d / "index_editions.csv").unlink()
    c = load_catalog(d)
    assert c.index_editions == () and len(c.observations) == 29
