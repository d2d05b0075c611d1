"""Catalog validation: the real catalog loads; each kind of broken file is refused with file, row and field."""

import csv
import shutil
from pathlib import Path

import pytest

from loaders.catalog import CATALOG_DIR, CatalogError, load_catalog


def test_real_catalog_loads_with_expected_counts():
    c = load_catalog()
    assert len(c.pillars) == 6
    assert len(c.indicators) == 32
    assert len(c.regions) == 12
    assert len(c.observations) == 24
    jobs = c.indicator("DM.JOBS")
    assert (jobs.target_year, jobs.target_value) == (2030, 240000.0)
    assert [(m.year, m.value) for m in jobs.milestones] == [(2026, 190000.0)]
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
        f.write("IA.NOPE,2025,,3,example.org,\n")
    probs, _ = _problems(d)
    assert ("indicators.csv", row, "pillar", "catalog-reference") in probs
    assert ("observations_public.csv", 26, "indicator", "catalog-reference") in probs


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
        f.write("DM.EGDI_RANK,2024,,91,example.org,\n")
    probs, err = _problems(d)
    assert probs == [("observations_public.csv", 26, "period", "catalog-field")]
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
