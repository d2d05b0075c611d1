"""Versioned targets: a change keeps the original, is validated by the catalog schema, recorded and undoable;
progress computed by hand against the original and the current target; the dashboard reads the current one."""

import datetime as dt

import pytest

from kpis import targets as kt
from kpis.inputs import load_inputs
from loaders import review, targets
from loaders.ingest import ingest_long
from loaders.review import ReviewError
from loaders.store import open_store
from loaders.targets import TargetError
from tests.test_ingest import long_rows

T1 = dt.datetime(2026, 6, 1, 9, 0)  # UTC
T2 = dt.datetime(2026, 9, 1, 9, 0)


@pytest.fixture
def store(db_url, monkeypatch):
    monkeypatch.delenv("MARSAD_REVIEW", raising=False)
    s = open_store(db_url)
    # FTTH: baseline 1.5 million households (2022), target 5.6 (2030) in the catalog; 3.55 reported for Q2 2026.
    ingest_long(
        s,
        [long_rows([("DM.FTTH", "2026-Q2", None, 3.55, 2)])],
        files=["anrt.csv"],
        user="amina",
        now=T1,
    )
    return s


def _change(
    store, value, *, now=T2, user="admin1", role="admin", year=2030, kind="target", code="DM.FTTH"
):
    return targets.change(
        store,
        store.ensure(),
        code,
        kind=kind,
        year=year,
        value=value,
        user=user,
        role=role,
        source="Décision ANRT 2026-14",
        reason="Plan national haut débit, phase 2",
        now=now,
    )


def test_a_target_change_keeps_the_original_and_progress_reads_against_either(store):
    rid = _change(store, 9.7)
    inputs = load_inputs(store)
    hist = kt.load_target_history(store).set_index("code")
    row = hist.loc["DM.FTTH"]
    assert (row["original_year"], row["original_value"]) == (2030, 5.6)
    assert (row["current_year"], row["current_value"]) == (2030, 9.7)
    assert (row["changed_at"], row["changed_by"], row["source"]) == (
        T2,
        "admin1",
        "Décision ANRT 2026-14",
    )
    # The dashboard reads the current target.
    ind = inputs.indicators.set_index("code")
    assert ind.loc["DM.FTTH", "target_value"] == 9.7
    today = dt.date(2026, 10, 1)
    history = kt.load_target_history(store)
    # (3.55 - 1.5) / (5.6 - 1.5) = 2.05 / 4.1 = 0.5 ; (3.55 - 1.5) / (9.7 - 1.5) = 2.05 / 8.2 = 0.25
    original = kt.progress(inputs, history, target="original", today=today)
    current = kt.progress(inputs, history, target="current", today=today)
    assert original["DM.FTTH"] == pytest.approx(0.5)
    assert current["DM.FTTH"] == pytest.approx(0.25)
    # An unchanged indicator reads the same either way: DM.5G 0 → 70, nothing reported → NaN both.
    assert (
        kt.with_target(inputs, history, "original")
        .indicators.set_index("code")
        .loc["DM.5G", "target_value"]
        == 70
    )
    # As known before the change, the dashboard had the original target.
    before = load_inputs(store, as_of="2026-08-31").indicators.set_index("code")
    assert before.loc["DM.FTTH", "target_value"] == 5.6
    # Undone: back to the original, with both rows in the trail.
    targets.undo(store, rid, user="admin2", role="admin")
    assert load_inputs(store).indicators.set_index("code").loc["DM.FTTH", "target_value"] == 5.6
    assert list(review.events(store, "indicator:DM.FTTH")["action"]) == [
        "target_change",
        "target_undo",
    ]
    revs = targets.revisions(store, "DM.FTTH")
    assert len(revs) == 1 and revs["undone_by"].iloc[0] == "admin2"


def test_only_admins_change_targets_and_a_source_is_required(store):
    with pytest.raises(ReviewError) as e:
        _change(store, 9.7, role="validator")
    assert e.value.code == "forbidden"
    with pytest.raises(TargetError) as e:
        targets.change(
            store,
            store.ensure(),
            "DM.FTTH",
            kind="target",
            year=2030,
            value=9.7,
            user="a",
            role="admin",
            source="  ",
        )
    assert e.value.code == "source-required"
    assert targets.revisions(store).empty


def test_changes_are_validated_by_the_catalog_schema(store):
    # The target year must come after the baseline year (2022), like in indicators.csv.
    with pytest.raises(TargetError) as e:
        _change(store, 9.7, year=2021)
    assert "target year 2021 is not after baseline year 2022" in e.value.message
    # A percentage above 100 is outside its unit.
    with pytest.raises(TargetError) as e:
        _change(store, 120, code="DM.5G")
    assert "outside the unit's range (%)" in e.value.message
    # A milestone must be before the target year.
    with pytest.raises(TargetError) as e:
        _change(store, 60, code="DM.5G", kind="milestone", year=2031)
    assert "milestone 2031 is not before the target year" in e.value.message
    assert targets.revisions(store).empty


def test_milestones_are_added_changed_and_removed(store):
    _change(store, 55, code="DM.5G", kind="milestone", year=2028)
    _change(store, 50, code="DM.5G", kind="milestone", year=2026)
    ms = load_inputs(store).milestones
    got = ms[ms["indicator"] == "DM.5G"][["year", "value"]].values.tolist()
    assert got == [[2026, 50.0], [2028, 55.0]]
    _change(store, None, code="DM.5G", kind="milestone", year=2026)
    ms = load_inputs(store).milestones
    assert ms[ms["indicator"] == "DM.5G"][["year", "value"]].values.tolist() == [[2028, 55.0]]
