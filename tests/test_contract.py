"""The detail/explain contract of kpis.engine.indicator_detail: exactly the keys kpis.contract declares."""

import datetime as dt
import typing

import pytest

from kpis import contract
from kpis.engine import STATUS_COLUMNS, indicator_detail
from kpis.inputs import inputs_from_records


def _typed(tp):
    """The TypedDict inside an annotation (X, X | None, list[X]), or None for plain values."""
    for arg in (tp, *typing.get_args(tp)):
        if typing.is_typeddict(arg):
            return arg
        for inner in typing.get_args(arg):
            if typing.is_typeddict(inner):
                return inner
    return None


def _check(value, td, where: str, seen: list[str]) -> None:
    hints = typing.get_type_hints(td)
    assert set(value) == set(hints), f"{where}: keys {sorted(set(value) ^ set(hints))} differ"
    seen.append(where)
    for key, tp in hints.items():
        inner = _typed(tp)
        item = value[key]
        if inner is None or item is None:
            continue
        for i, element in enumerate(item if isinstance(item, list) else [item]):
            _check(element, inner, f"{where}.{key}[{i}]", seen)


def _inputs():
    indicators = [
        {
            "code": "X",
            "unit": "jobs",
            "baseline_year": 2024,
            "baseline_value": 100,
            "target_year": 2030,
            "target_value": 200,
            "sources": "example.org/x",
        }
    ]
    obs = [
        {"indicator": "X", "period": f"{y}-Q4", "value": v, "file": "r.csv", "row_number": 3}
        for y, v in ((2023, 90), (2024, 100), (2025, 120))
    ]
    return inputs_from_records(
        indicators, obs, milestones=[{"indicator": "X", "year": 2027, "value": 150}]
    )


@pytest.mark.parametrize("method", ["trajectory", "growth-ratio"])
def test_indicator_detail_has_exactly_the_declared_keys(method):
    d = indicator_detail(_inputs(), "X", today=dt.date(2026, 1, 15), method=method)
    seen: list[str] = []
    _check(d, contract.Detail, "detail", seen)
    # The nested parts were reached, not skipped as None: a rename anywhere in them fails here.
    for part in (
        "detail.info[0]",
        "detail.quarterly[0]",
        "detail.yearly[0]",
        "detail.trajectory[0]",
        "detail.trajectory[0].knots[0]",
        "detail.trajectory[0].line[0]",
        "detail.projection[0]",
        "detail.explain[0]",
        "detail.explain[0].target[0]",
        "detail.explain[0].progress[0]",
        "detail.explain[0].growth[0]",
        "detail.explain[0].projection[0]",
    ):
        assert part in seen, part
    assert set(d["status"]) == set(STATUS_COLUMNS) - {"explain"}


def test_a_renamed_field_is_caught():
    d = indicator_detail(_inputs(), "X", today=dt.date(2026, 1, 15))
    d["explain"]["growth"]["observed_rate"] = d["explain"]["growth"].pop("observed")
    with pytest.raises(AssertionError, match="observed"):
        _check(d, contract.Detail, "detail", [])
