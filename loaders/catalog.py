"""The roadmap catalog (pillars, indicators, milestones, regions, public observations, index editions) read from CSV through a strict schema."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .catalog_sources import SOURCES_FILE, Source, check_sources, source_ids
from .i18n import N_
from .problems import Problem
from .units import UNITS_FILE, Unit, yes_no

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
INDEX_EDITIONS_FILE = "index_editions.csv"
FILES = ("pillars.csv", "indicators.csv", "regions.csv", "observations_public.csv", UNITS_FILE)
# Context only (no indicator needs it): a catalog without it has no index editions.
OPTIONAL_FILES = (INDEX_EDITIONS_FILE, SOURCES_FILE)
# Catalog columns that are shown, not stored: the store's tables keep the reference columns only.
SHOWN_ONLY = {"exclude": True}


PERIOD_RE = re.compile(r"^\d{4}(-Q[1-4])?$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SCALE_RE = re.compile(r"^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$")
CONFIDENCE = (
    "official-launch",
    "official-agreement",
    "official-index",
    "statement",
    "press",
    "assumption",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Pillar(_Strict):
    programme: Literal["IA2030", "MD2030"]
    pillar: str
    name_fr: str
    name_en: str
    name_ar: str

    @field_validator("pillar", "name_fr", "name_en", "name_ar")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("must not be empty")
        return v


class Milestone(_Strict):
    year: int
    value: float


class Indicator(_Strict):
    code: str
    programme: Literal["IA2030", "MD2030"]
    pillar: str
    name_fr: str
    name_en: str
    name_ar: str
    unit: str
    direction: Literal["up", "down"]
    kind: Literal["level", "flow", "cumulative", "milestone"]
    frequency: Literal["quarterly", "annual", "biennial", "event"]
    by_region: bool
    baseline_year: int | None = None
    baseline_value: float | None = None
    milestones: tuple[Milestone, ...] = ()
    target_year: int | None = None
    target_value: float | None = None
    confidence: Literal[CONFIDENCE]  # type: ignore[valid-type]
    sources: str
    notes: str = ""
    # The notes in French and Arabic (this project's columns; English `notes` is the reference's).
    notes_fr: str = Field("", **SHOWN_ONLY)
    notes_ar: str = Field("", **SHOWN_ONLY)
    # One id of sources.csv per entry of `sources`, in the same order (the institution behind it).
    source_ids: tuple[str, ...] = Field((), **SHOWN_ONLY)
    # How the Regions page compares regions: per 100,000 inhabitants, as a share of the national
    # total, as the values themselves, or not at all (one-per-region counts such as institutes).
    comparison: Literal["per-capita", "share", "absolute", "none"] = "none"
    # A national value summed from regions counts only when every region reported ("all"), unless
    # regions without a value truly have none ("partial": e.g. institutes opened region by region).
    national_from_regions: Literal["all", "partial"] = "all"
    # Reporting calendar (kpis/calendar.py): who owes the figure, and how many days after the end of a
    # period it is due (blank: not chased, e.g. an international index or a one-off event).
    producer: str = ""
    due_days: int | None = None

    @field_validator("due_days", mode="before")
    @classmethod
    def _due_blank(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @model_validator(mode="after")
    def _calendar(self):
        if self.due_days is not None and not 0 <= self.due_days <= 366:
            raise ValueError("due_days must be between 0 and 366 days after the end of the period")
        if self.due_days is not None and self.frequency == "event":
            raise ValueError("an event indicator has no periods: leave due_days blank")
        if self.due_days is not None and not self.producer:
            raise ValueError("a figure with a due date needs its producer")
        return self

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z][A-Z0-9]*\.[A-Z0-9_]+", v):
            raise ValueError("code must look like 'IA.JOBS' (capitals, a dot, capitals/digits/_)")
        return v

    @field_validator("name_fr", "name_en", "name_ar", "unit", "sources")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("must not be empty")
        return v

    @field_validator("by_region", mode="before")
    @classmethod
    def _yes_no(cls, v):
        return yes_no(v)

    @field_validator("source_ids", mode="before")
    @classmethod
    def _source_ids(cls, v):
        return source_ids(v)

    @field_validator(
        "baseline_year", "baseline_value", "target_year", "target_value", mode="before"
    )
    @classmethod
    def _blank_none(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("milestones", mode="before")
    @classmethod
    def _milestones(cls, v):
        if isinstance(v, str):
            out = []
            for part in filter(None, (p.strip() for p in v.split(";"))):
                m = re.fullmatch(r"(\d{4})\s*:\s*(-?[\d.]+)", part)
                if not m:
                    raise ValueError(f"milestone '{part}' is not YEAR:VALUE")
                out.append({"year": int(m[1]), "value": float(m[2])})
            return out
        return v

    @model_validator(mode="after")
    def _coherent(self):
        if (self.baseline_year is None) != (self.baseline_value is None):
            raise ValueError("baseline_year and baseline_value go together")
        if (self.target_year is None) != (self.target_value is None):
            raise ValueError("target_year and target_value go together")
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            raise ValueError(
                f"target year {self.target_year} is not after baseline year {self.baseline_year}"
            )
        years = [m.year for m in self.milestones]
        if years != sorted(set(years)):
            raise ValueError("milestone years must be increasing and distinct")
        for y in years:
            if self.baseline_year and y <= self.baseline_year:
                raise ValueError(f"milestone {y} is not after the baseline year")
            if self.target_year and y >= self.target_year:
                raise ValueError(f"milestone {y} is not before the target year")
        if self.kind == "milestone" and self.by_region:
            raise ValueError("a milestone indicator cannot be reported by region")
        if self.comparison != "none" and not self.by_region:
            raise ValueError("only an indicator reported by region has a regional comparison")
        return self


class Region(_Strict):
    iso: str
    hcp_code: str
    name_fr: str
    name_en: str
    name_ar: str
    capital: str
    population_2024: int

    @field_validator("iso")
    @classmethod
    def _iso(cls, v: str) -> str:
        if not re.fullmatch(r"MA-\d{2}", v):
            raise ValueError("iso must look like MA-01")
        return v


def period_start(period: str) -> dt.date:
    """First day of a catalog period ('2024' or '2024-Q3')."""
    year = int(period[:4])
    quarter = int(period[-1]) if "-Q" in period else 1
    return dt.date(year, 3 * quarter - 2, 1)


class PublicObservation(_Strict):
    indicator: str
    period: str
    region: str = ""
    value: float
    source: str
    note: str = ""
    # The day the figure became public (this project's column): "as known on" a date shows it from
    # then. Where the source gives only a month, quarter or year, the end of it ("conservative: …"
    # in published_note), so an as-of view never shows a figure before it could have been known.
    published: dt.date
    published_note: str = ""
    source_ids: tuple[str, ...] = Field((), **SHOWN_ONLY)  # as Indicator.source_ids

    @field_validator("source_ids", mode="before")
    @classmethod
    def _source_ids(cls, v):
        return source_ids(v)

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if not PERIOD_RE.fullmatch(v):
            raise ValueError("period must be YYYY or YYYY-Qn")
        return v

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        if not v:
            raise ValueError("a published value needs its source")
        return v

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, v):
        if isinstance(v, str):
            if not ISO_DATE_RE.fullmatch(v.strip()):
                raise ValueError("published must be an ISO date YYYY-MM-DD")
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError as e:
                raise ValueError(f"published: {e}") from None
        return v

    @model_validator(mode="after")
    def _published_in_period(self):
        start = period_start(self.period)
        if self.published < start:
            raise ValueError(
                f"published {self.published.isoformat()} is before period {self.period} starts"
                f" ({start.isoformat()})"
            )
        return self


class IndexEdition(_Strict):
    """Morocco in one edition of an international index: rank among the countries ranked, score on its scale."""

    index: str
    edition: int
    countries_ranked: int | None = None  # blank: the edition's count was not published
    morocco_rank: int
    morocco_score: float | None = None
    score_scale: str
    series_note: str = ""  # a method change: editions on either side do not compare
    source: str
    # This project's column: the catalog indicator that tracks this index (blank: context only).
    indicator: str = ""

    @field_validator("index", "source")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("must not be empty")
        return v

    @field_validator("edition")
    @classmethod
    def _edition(cls, v: int) -> int:
        if not 1990 <= v <= 2100:
            raise ValueError("edition must be a year")
        return v

    @field_validator("countries_ranked", "morocco_rank")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError("must be 1 or more")
        return v

    @field_validator("score_scale")
    @classmethod
    def _scale(cls, v: str) -> str:
        m = SCALE_RE.fullmatch(v)
        if not m or float(m[1]) >= float(m[2]):
            raise ValueError("score_scale must be LOW-HIGH, e.g. 0-100")
        return v

    @property
    def scale(self) -> tuple[float, float]:
        lo, hi = SCALE_RE.fullmatch(self.score_scale).groups()
        return float(lo), float(hi)

    @property
    def percentile(self) -> float | None:
        """Share of the ranked countries at or below Morocco (1.0 = first), when the count is known."""
        if self.countries_ranked is None:
            return None
        return 1 - (self.morocco_rank - 1) / self.countries_ranked

    @model_validator(mode="after")
    def _coherent(self):
        if self.countries_ranked is not None and self.morocco_rank > self.countries_ranked:
            raise ValueError(
                f"rank {self.morocco_rank} is beyond the {self.countries_ranked} countries ranked"
            )
        if self.morocco_score is not None:
            lo, hi = self.scale
            if not lo <= self.morocco_score <= hi:
                raise ValueError(
                    f"score {self.morocco_score:g} is outside the scale {self.score_scale}"
                )
        return self


@dataclass(frozen=True)
class Catalog:
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    regions: tuple[Region, ...]
    observations: tuple[tuple[int, PublicObservation], ...]  # (file row, observation)
    digest: str
    directory: Path
    units: tuple[Unit, ...] = ()
    index_editions: tuple[IndexEdition, ...] = ()
    sources: tuple[Source, ...] = ()

    def indicator(self, code: str) -> Indicator:
        return self._by_code[code]

    def unit(self, code: str) -> Unit:
        """The unit of an indicator code (or a unit code itself)."""
        units = {u.code: u for u in self.units}
        return units[code] if code in units else units[self.indicator(code).unit]

    @property
    def _by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}


class CatalogError(Exception):
    """The catalog files are wrong; `problems` says where (file, row, field) and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{p.file} row {p.row}, {p.column}: {p.message}" for p in problems[:20]]
        super().__init__("The catalog is invalid:\n" + "\n".join(lines))


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _validate(model, path: Path, problems: list[Problem]) -> list[tuple[int, BaseModel]]:
    header, rows = _read_rows(path)
    allowed = set(model.model_fields)
    for col in header:
        if col not in allowed:
            problems.append(
                Problem(file=path.name, row=1, column=col, code="catalog-unknown-field", name=col)
            )
    out = []
    for i, raw in enumerate(rows, start=2):
        data = {k: v for k, v in raw.items() if k in allowed and v is not None}
        # Optional text fields may be blank; everything else blank means missing.
        blank_ok = ("notes", "note", "region", "notes_fr", "notes_ar", "source_ids", "url")
        data = {k: v for k, v in data.items() if v.strip() or k in blank_ok}
        try:
            out.append((i, model.model_validate(data)))
        except ValidationError as e:
            for err in e.errors():
                field = ".".join(str(x) for x in err["loc"]) or "(row)"
                where = {"file": path.name, "row": i, "column": field, "code": "catalog-field"}
                if err["type"] == "missing":
                    problems.append(Problem(**where, variant="missing"))
                else:
                    detail = err["msg"].removeprefix("Value error, ")
                    problems.append(Problem(**where, detail=detail))
    return out


def load_catalog(directory: Path | str = CATALOG_DIR, *, today: dt.date | None = None) -> Catalog:
    """Read and cross-check the catalog files; raise CatalogError listing every problem.

    `today` (default: the current date) bounds publication dates: a figure cannot be published later.
    """
    directory = Path(directory)
    today = today or dt.date.today()
    problems: list[Problem] = []
    missing = [f for f in FILES if not (directory / f).exists()]
    if missing:
        raise CatalogError([Problem(file=f, code="catalog-field", variant="file") for f in missing])
    pillars = _validate(Pillar, directory / "pillars.csv", problems)
    indicators = _validate(Indicator, directory / "indicators.csv", problems)
    regions = _validate(Region, directory / "regions.csv", problems)
    observations = _validate(PublicObservation, directory / "observations_public.csv", problems)
    units = _validate(Unit, directory / UNITS_FILE, problems)
    editions = (
        _validate(IndexEdition, directory / INDEX_EDITIONS_FILE, problems)
        if (directory / INDEX_EDITIONS_FILE).exists()
        else []
    )
    sources = (
        _validate(Source, directory / SOURCES_FILE, problems)
        if (directory / SOURCES_FILE).exists()
        else []
    )
    unit_by_code = {u.code: u for _, u in units}
    _check_units(indicators, observations, unit_by_code, problems)
    check_sources(indicators, observations, sources, problems)

    pillar_keys = {(p.programme, p.pillar) for _, p in pillars}
    seen: set[str] = set()
    for row, ind in indicators:
        if (ind.programme, ind.pillar) not in pillar_keys:
            problems.append(
                Problem(
                    file="indicators.csv",
                    row=row,
                    column="pillar",
                    code="catalog-reference",
                    variant="pillar",
                    pillar=f"{ind.programme}/{ind.pillar}",
                )
            )
        if ind.code in seen:
            problems.append(
                Problem(
                    file="indicators.csv",
                    row=row,
                    column="code",
                    code="catalog-field",
                    variant="duplicate",
                    value=ind.code,
                )
            )
        seen.add(ind.code)
    by_code = {i.code: i for _, i in indicators}
    # A row refused above already has its problem; references to it are not a second one.
    listed_codes = {r.get("code", "").strip() for r in _read_rows(directory / "indicators.csv")[1]}
    isos = {r.iso for _, r in regions}
    first_row: dict[tuple[str, str, str], int] = {}
    for row, obs in observations:
        key = (obs.indicator, obs.period, obs.region)
        if key in first_row:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="period",
                    code="catalog-field",
                    variant="repeated",
                    what=f"{obs.indicator} {obs.period} {obs.region or 'national'}",
                    first=first_row[key],
                )
            )
        first_row.setdefault(key, row)
        ind = by_code.get(obs.indicator)
        if ind is None and obs.indicator in listed_codes:
            continue
        if ind is None:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="indicator",
                    code="catalog-reference",
                    variant="indicator",
                    indicator=obs.indicator,
                )
            )
        elif obs.region and not ind.by_region:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="region",
                    code="catalog-reference",
                    variant="national",
                    indicator=obs.indicator,
                )
            )
        if obs.region and obs.region not in isos:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="region",
                    code="catalog-reference",
                    variant="region",
                    region=obs.region,
                )
            )
    for row, obs in observations:
        if obs.published > today:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="published",
                    code="catalog-field",
                    variant="published",
                    date=obs.published.isoformat(),
                    today=today.isoformat(),
                )
            )
    _check_editions(editions, observations, by_code, listed_codes, today, problems)
    if problems:
        raise CatalogError(problems)

    digest = hashlib.sha256()
    for f in FILES + OPTIONAL_FILES:
        if (directory / f).exists():
            digest.update((directory / f).read_bytes())
    return Catalog(
        pillars=tuple(p for _, p in pillars),
        indicators=tuple(i for _, i in indicators),
        regions=tuple(r for _, r in regions),
        observations=tuple(observations),
        digest=digest.hexdigest()[:16],
        directory=directory,
        units=tuple(u for _, u in units),
        index_editions=tuple(e for _, e in editions),
        sources=tuple(s for _, s in sources),
    )


def _check_editions(editions, observations, by_code, listed_codes, today, problems) -> None:
    """One row per index and edition, no edition from the future, the tracking indicator exists and
    is a rank, and an edition that is also a published observation gives the same rank."""
    file = INDEX_EDITIONS_FILE
    published = {(o.indicator, o.period): (row, o) for row, o in observations if not o.region}
    first: dict[tuple[str, int], int] = {}

    def bad(row: int, field: str, code: str, variant: str = "", **params) -> None:
        problems.append(
            Problem(file=file, row=row, column=field, code=code, variant=variant, **params)
        )

    for row, e in editions:
        key = (e.index, e.edition)
        if key in first:
            bad(row, "edition", "catalog-field", "repeated", what=f"{e.index} {e.edition}",
                first=first[key])  # fmt: skip
        first.setdefault(key, row)
        if e.edition > today.year:
            bad(row, "edition", "catalog-field", "edition", edition=e.edition)
        if not e.indicator:
            continue
        ind = by_code.get(e.indicator)
        if ind is None:
            if e.indicator not in listed_codes:
                bad(row, "indicator", "catalog-reference", "indicator", indicator=e.indicator)
            continue
        if ind.unit != "rank":
            bad(row, "indicator", "catalog-reference", "rank", indicator=e.indicator, unit=ind.unit)
            continue
        obs_row, obs = published.get((e.indicator, str(e.edition)), (None, None))
        if obs is not None and obs.value != e.morocco_rank:
            bad(
                row,
                "morocco_rank",
                "catalog-reference",
                detail=f"rank {e.morocco_rank} disagrees with {e.indicator} {e.edition} = "
                f"{obs.value:g} in observations_public.csv row {obs_row}",
            )


_WHY = {
    "non-finite": N_("is not a finite number"),
    "below-min": N_("is below the unit's minimum"),
    "above-max": N_("is above the unit's maximum"),
    "not-whole": N_("is not a whole number"),
}


def _check_units(indicators, observations, units: dict[str, Unit], problems: list[Problem]) -> None:
    """Every indicator's unit is in units.csv, and its baseline, milestones, target and published
    values are inside that unit's range (the same rule the readers apply to uploads)."""
    by_code = {}
    for row, ind in indicators:
        unit = units.get(ind.unit)
        if unit is None:
            problems.append(
                Problem(
                    file="indicators.csv",
                    row=row,
                    column="unit",
                    code="catalog-reference",
                    variant="unit",
                    unit=ind.unit,
                    units_file=UNITS_FILE,
                )
            )
            continue
        by_code[ind.code] = unit
        values = [("baseline_value", ind.baseline_value), ("target_value", ind.target_value)]
        values += [("milestones", m.value) for m in ind.milestones]
        for field, v in values:
            why = None if v is None else unit.violation(v)
            if why:
                problems.append(
                    Problem(
                        file="indicators.csv",
                        row=row,
                        column=field,
                        code="catalog-field",
                        variant="range",
                        value=f"{v:g}",
                        why=_WHY[why],
                    )
                )
    for row, obs in observations:
        unit = by_code.get(obs.indicator)
        why = unit.violation(obs.value) if unit else None
        if why:
            problems.append(
                Problem(
                    file="observations_public.csv",
                    row=row,
                    column="value",
                    code="catalog-field",
                    variant="range-unit",
                    value=f"{obs.value:g}",
                    why=_WHY[why],
                    unit=unit.code,
                )
            )
