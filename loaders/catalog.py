"""The roadmap catalog (pillars, indicators, milestones, regions, public observations) read from CSV through a strict schema."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .problems import Problem
from .units import UNITS_FILE, Unit

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
FILES = ("pillars.csv", "indicators.csv", "regions.csv", "observations_public.csv", UNITS_FILE)

PERIOD_RE = re.compile(r"^\d{4}(-Q[1-4])?$")
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
    # How the Regions page compares regions: per 100,000 inhabitants, as a share of the national
    # total, as the values themselves, or not at all (one-per-region counts such as institutes).
    comparison: Literal["per-capita", "share", "absolute", "none"] = "none"
    # A national value summed from regions counts only when every region reported ("all"), unless
    # regions without a value truly have none ("partial": e.g. institutes opened region by region).
    national_from_regions: Literal["all", "partial"] = "all"

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
        if isinstance(v, str):
            if v.lower() in ("yes", "true", "1"):
                return True
            if v.lower() in ("no", "false", "0"):
                return False
            raise ValueError("must be yes or no")
        return v

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


class PublicObservation(_Strict):
    indicator: str
    period: str
    region: str = ""
    value: float
    source: str
    note: str = ""

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


@dataclass(frozen=True)
class Catalog:
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    regions: tuple[Region, ...]
    observations: tuple[tuple[int, PublicObservation], ...]  # (file row, observation)
    digest: str
    directory: Path
    units: tuple[Unit, ...] = ()

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
                Problem(path.name, None, 1, col, "catalog-unknown-field", f"unknown column '{col}'")
            )
    out = []
    for i, raw in enumerate(rows, start=2):
        data = {k: v for k, v in raw.items() if k in allowed and v is not None}
        # Optional text fields may be blank; everything else blank means missing.
        data = {k: v for k, v in data.items() if v.strip() or k in ("notes", "note", "region")}
        try:
            out.append((i, model.model_validate(data)))
        except ValidationError as e:
            for err in e.errors():
                field = ".".join(str(x) for x in err["loc"]) or "(row)"
                msg = err["msg"].removeprefix("Value error, ")
                if err["type"] == "missing":
                    msg = "missing value"
                problems.append(Problem(path.name, None, i, field, "catalog-field", msg))
    return out


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalog:
    """Read and cross-check the four catalog files; raise CatalogError listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    missing = [f for f in FILES if not (directory / f).exists()]
    if missing:
        raise CatalogError(
            [Problem(f, None, None, None, "catalog-field", "file is missing") for f in missing]
        )
    pillars = _validate(Pillar, directory / "pillars.csv", problems)
    indicators = _validate(Indicator, directory / "indicators.csv", problems)
    regions = _validate(Region, directory / "regions.csv", problems)
    observations = _validate(PublicObservation, directory / "observations_public.csv", problems)
    units = _validate(Unit, directory / UNITS_FILE, problems)
    unit_by_code = {u.code: u for _, u in units}
    _check_units(indicators, observations, unit_by_code, problems)

    pillar_keys = {(p.programme, p.pillar) for _, p in pillars}
    seen: set[str] = set()
    for row, ind in indicators:
        if (ind.programme, ind.pillar) not in pillar_keys:
            problems.append(
                Problem(
                    "indicators.csv",
                    None,
                    row,
                    "pillar",
                    "catalog-reference",
                    f"pillar {ind.programme}/{ind.pillar} is not in pillars.csv",
                )
            )
        if ind.code in seen:
            problems.append(
                Problem(
                    "indicators.csv",
                    None,
                    row,
                    "code",
                    "catalog-field",
                    f"duplicate code {ind.code}",
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
                    "observations_public.csv",
                    None,
                    row,
                    "period",
                    "catalog-field",
                    f"{obs.indicator} {obs.period} {obs.region or 'national'} is already on row {first_row[key]}",
                )
            )
        first_row.setdefault(key, row)
        ind = by_code.get(obs.indicator)
        if ind is None and obs.indicator in listed_codes:
            continue
        if ind is None:
            problems.append(
                Problem(
                    "observations_public.csv",
                    None,
                    row,
                    "indicator",
                    "catalog-reference",
                    f"indicator {obs.indicator} is not in indicators.csv",
                )
            )
        elif obs.region and not ind.by_region:
            problems.append(
                Problem(
                    "observations_public.csv",
                    None,
                    row,
                    "region",
                    "catalog-reference",
                    f"{obs.indicator} is not reported by region",
                )
            )
        if obs.region and obs.region not in isos:
            problems.append(
                Problem(
                    "observations_public.csv",
                    None,
                    row,
                    "region",
                    "catalog-reference",
                    f"region {obs.region} is not in regions.csv",
                )
            )
    if problems:
        raise CatalogError(problems)

    digest = hashlib.sha256()
    for f in FILES:
        digest.update((directory / f).read_bytes())
    return Catalog(
        pillars=tuple(p for _, p in pillars),
        indicators=tuple(i for _, i in indicators),
        regions=tuple(r for _, r in regions),
        observations=tuple(observations),
        digest=digest.hexdigest()[:16],
        directory=directory,
        units=tuple(u for _, u in units),
    )


_WHY = {
    "non-finite": "is not a finite number",
    "below-min": "is below the unit's minimum",
    "above-max": "is above the unit's maximum",
    "not-whole": "is not a whole number",
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
                    "indicators.csv",
                    None,
                    row,
                    "unit",
                    "catalog-reference",
                    f"unit '{ind.unit}' is not in {UNITS_FILE}",
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
                        "indicators.csv", None, row, field, "catalog-field", f"{v:g} {_WHY[why]}"
                    )
                )
    for row, obs in observations:
        unit = by_code.get(obs.indicator)
        why = unit.violation(obs.value) if unit else None
        if why:
            problems.append(
                Problem(
                    "observations_public.csv",
                    None,
                    row,
                    "value",
                    "catalog-field",
                    f"{obs.value:g} {_WHY[why]} ({unit.code})",
                )
            )
