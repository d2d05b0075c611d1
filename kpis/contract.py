"""The typed contract of `engine.indicator_detail`: the detail and explain dicts the views, charts and the CLI read.

They stay plain JSON-serialisable dicts (`kpis explain --json` prints them); these TypedDicts name every
key, and tests/test_contract.py checks that the engine returns exactly these keys, so a renamed field fails
in a test rather than on a page."""

from __future__ import annotations

from typing import Any, TypedDict


class IndicatorInfo(TypedDict):
    code: str
    programme: str
    pillar: str
    name_fr: str
    name_en: str
    name_ar: str
    unit: str
    direction: str
    kind: str
    frequency: str
    by_region: bool
    baseline_year: float | None
    baseline_value: float | None
    target_year: float | None
    target_value: float | None
    confidence: str
    sources: str
    notes: str
    comparison: str
    national_from_regions: str
    producer: str
    due_days: float | None  # days after the period's end a figure is due (reporting calendar)


class Provenance(TypedDict):
    """Where one stored value came from (a point of the quarterly series)."""

    derived: bool
    demo: bool
    revised: bool
    partial: bool
    n_regions: int | None
    batch_id: int | None
    file: str | None
    sheet: str | None
    row_number: int | None
    source: str | None
    loaded_at: str | None
    user_name: str | None


class QuarterPoint(Provenance):
    period: str
    date: str
    t: float
    value: float | None


class YearPoint(TypedDict):
    year: int
    period: str
    date: str
    t: float
    value: float | None
    n_quarters: int
    incomplete: bool
    derived: bool
    demo: bool
    revised: bool
    partial: bool
    last_period: str


class Knot(TypedDict):
    t: float
    date: str
    year: int
    value: float
    kind: str  # baseline | milestone | target


class LinePoint(TypedDict):
    t: float
    date: str
    value: float | None


class ExpectedNow(TypedDict):
    date: str
    value: float | None
    progress: float | None


class Trajectory(TypedDict):
    knots: list[Knot]
    line: list[LinePoint]
    expected_now: ExpectedNow
    step: bool


class ProjectionPoint(LinePoint):
    low: float | None
    high: float | None


class Projection(TypedDict):
    model: str | None
    reason: str | None
    target_date: str
    value: float | None
    low: float | None
    high: float | None
    points: list[ProjectionPoint]
    band: str


class ExplainTarget(TypedDict):
    value: float | None
    year: int | None
    date: str
    confidence: str | None


class ExplainExpectedNow(ExpectedNow):
    gap: float | None
    gap_pct_of_expected: float | None


class ExplainProgress(TypedDict):
    formula: str
    value: float | None
    expected: float | None
    expected_value: float | None
    ratio_to_expected: float | None
    gap: float | None
    gap_pct_of_expected: float | None
    expected_now: ExplainExpectedNow
    achieved: bool


class ExplainGrowth(TypedDict):
    observed: float | None
    observed_basis: str  # cagr | linear
    observed_change_per_year: float | None
    required_from_latest: float | None
    required_basis: str
    required_change_per_year: float | None
    ratio: float | None
    ratio_basis: str
    direction_adjusted: float | None


class ExplainProjection(TypedDict):
    model: str | None
    reason: str | None
    date: str
    value: float | None
    low: float | None
    high: float | None
    points: int
    half_life_years: float
    min_points: int
    min_span_years: float
    log_min_level: float
    max_multiple: float
    band_k: float
    band: str


class Explain(TypedDict):
    indicator: str
    region: str | None
    method: str
    formula: str
    parameters: dict[str, Any]
    status: str
    flags: list[str]
    baseline: (
        dict[str, Any] | None
    )  # a catalog baseline or an observation point with its provenance
    latest: dict[str, Any] | None  # an observation point with its provenance
    target: ExplainTarget | None
    regional_target: str | None
    milestones: list[dict[str, Any]]
    milestone_used: dict[str, Any] | None
    progress: ExplainProgress
    wrong_way: dict[str, Any]
    growth: ExplainGrowth
    score: dict[str, Any]
    projection: ExplainProjection
    as_of: str | None
    today: str


class Detail(TypedDict):
    """Everything about one indicator (national or one region) at one date: `engine.indicator_detail`."""

    indicator: str
    region: str | None
    method: str
    today: str
    as_of: str | None
    info: IndicatorInfo
    quarterly: list[QuarterPoint]
    yearly: list[YearPoint]
    trajectory: Trajectory
    projection: Projection
    status: dict[str, Any]  # one row of engine.STATUS_COLUMNS, without explain
    explain: Explain
