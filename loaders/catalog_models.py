"""The catalog's row schemas: pillars, indicators, regions, public observations and index editions, one model each."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .catalog_fields import OptionalFloat, OptionalInt, SourceIds, Strict, Text, YesNo

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


class Pillar(Strict):
    programme: Literal["IA2030", "MD2030"]
    pillar: Text
    name_fr: Text
    name_en: Text
    name_ar: Text


class Milestone(Strict):
    year: int
    value: float


class Indicator(Strict):
    code: str
    programme: Literal["IA2030", "MD2030"]
    pillar: str
    name_fr: Text
    name_en: Text
    name_ar: Text
    unit: Text
    direction: Literal["up", "down"]
    kind: Literal["level", "flow", "cumulative", "milestone"]
    frequency: Literal["quarterly", "annual", "biennial", "event"]
    by_region: YesNo
    baseline_year: OptionalInt = None
    baseline_value: OptionalFloat = None
    milestones: tuple[Milestone, ...] = ()
    target_year: OptionalInt = None
    target_value: OptionalFloat = None
    confidence: Literal[CONFIDENCE]  # type: ignore[valid-type]
    sources: Text
    notes: str = ""
    # The notes in French and Arabic (this project's columns; English `notes` is the reference's).
    notes_fr: str = Field("", **SHOWN_ONLY)
    notes_ar: str = Field("", **SHOWN_ONLY)
    # One id of sources.csv per entry of `sources`, in the same order (the institution behind it).
    source_ids: SourceIds = Field((), **SHOWN_ONLY)
    # How the Regions page compares regions: per 100,000 inhabitants, as a share of the national
    # total, as the values themselves, or not at all (one-per-region counts such as institutes).
    comparison: Literal["per-capita", "share", "absolute", "none"] = "none"
    # A national value summed from regions counts only when every region reported ("all"), unless
    # regions without a value truly have none ("partial": e.g. institutes opened region by region).
    national_from_regions: Literal["all", "partial"] = "all"
    # Reporting calendar (kpis/calendar.py): who owes the figure, and how many days after the end of a
    # period it is due (blank: not chased, e.g. an international index or a one-off event).
    producer: str = ""
    due_days: OptionalInt = None

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


class Region(Strict):
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


class PublicObservation(Strict):
    indicator: str
    period: str
    region: str = ""
    value: float
    source: str
    note: str = ""
    # The note in French and Arabic (this project's columns; English `note` is the reference's).
    note_fr: str = Field("", **SHOWN_ONLY)
    note_ar: str = Field("", **SHOWN_ONLY)
    # The day the figure became public (this project's column): "as known on" a date shows it from
    # then. Where the source gives only a month, quarter or year, the end of it ("conservative: …"
    # in published_note), so an as-of view never shows a figure before it could have been known.
    published: dt.date
    published_note: str = ""
    source_ids: SourceIds = Field((), **SHOWN_ONLY)  # as Indicator.source_ids

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


class IndexEdition(Strict):
    """Morocco in one edition of an international index: rank among the countries ranked, score on its scale."""

    index: Text
    edition: int
    countries_ranked: int | None = None  # blank: the edition's count was not published
    morocco_rank: int
    morocco_score: float | None = None
    score_scale: str
    series_note: str = ""  # a method change: editions on either side do not compare
    # The series note in French and Arabic (this project's columns).
    series_note_fr: str = Field("", **SHOWN_ONLY)
    series_note_ar: str = Field("", **SHOWN_ONLY)
    source: Text
    # This project's column: the catalog indicator that tracks this index (blank: context only).
    indicator: str = ""

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
