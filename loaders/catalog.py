"""The roadmap catalog (pillars, indicators, milestones, regions, public observations, index editions) read from CSV through a strict schema.

The row schemas are in `catalog_models`, the cells every file shares in `catalog_fields`, the checks across
files in `catalog_checks`; this module reads the files and is where callers import all of it from.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .catalog_checks import _WHY as _WHY  # re-exported: tests read the range reasons here
from .catalog_checks import (
    INDEX_EDITIONS_FILE,
    INDICATORS_FILE,
    OBSERVATIONS_FILE,
    check_editions,
    check_indicators,
    check_observations,
    check_units,
)
from .catalog_models import (
    CONFIDENCE,
    ISO_DATE_RE,
    PERIOD_RE,
    SCALE_RE,
    SHOWN_ONLY,
    IndexEdition,
    Indicator,
    Milestone,
    Pillar,
    PublicObservation,
    Region,
    period_start,
)
from .catalog_sources import SOURCES_FILE, Source, check_sources
from .problems import Problem
from .units import UNITS_FILE, Unit

__all__ = [
    "CATALOG_DIR",
    "CONFIDENCE",
    "FILES",
    "INDEX_EDITIONS_FILE",
    "ISO_DATE_RE",
    "OPTIONAL_FILES",
    "PERIOD_RE",
    "SCALE_RE",
    "SHOWN_ONLY",
    "Catalog",
    "CatalogError",
    "IndexEdition",
    "Indicator",
    "Milestone",
    "Pillar",
    "PublicObservation",
    "Region",
    "load_catalog",
    "period_start",
]

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
FILES = ("pillars.csv", INDICATORS_FILE, "regions.csv", OBSERVATIONS_FILE, UNITS_FILE)
# Context only (no indicator needs it): a catalog without it has no index editions.
OPTIONAL_FILES = (INDEX_EDITIONS_FILE, SOURCES_FILE)
# Each file's row schema, in the order the files are read (and their problems listed).
MODELS = {
    "pillars.csv": Pillar,
    INDICATORS_FILE: Indicator,
    "regions.csv": Region,
    OBSERVATIONS_FILE: PublicObservation,
    UNITS_FILE: Unit,
    INDEX_EDITIONS_FILE: IndexEdition,
    SOURCES_FILE: Source,
}


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
    missing = [f for f in FILES if not (directory / f).exists()]
    if missing:
        raise CatalogError([Problem(file=f, code="catalog-field", variant="file") for f in missing])
    problems: list[Problem] = []
    rows = {
        name: _validate(model, directory / name, problems) if (directory / name).exists() else []
        for name, model in MODELS.items()
    }
    indicators, observations = rows[INDICATORS_FILE], rows[OBSERVATIONS_FILE]
    check_units(indicators, observations, {u.code: u for _, u in rows[UNITS_FILE]}, problems)
    check_sources(indicators, observations, rows[SOURCES_FILE], problems)
    check_indicators(rows["pillars.csv"], indicators, problems)
    by_code = {i.code: i for _, i in indicators}
    # A row refused above already has its problem; references to it are not a second one.
    listed_codes = {r.get("code", "").strip() for r in _read_rows(directory / INDICATORS_FILE)[1]}
    isos = {r.iso for _, r in rows["regions.csv"]}
    check_observations(observations, by_code, listed_codes, isos, today, problems)
    check_editions(rows[INDEX_EDITIONS_FILE], observations, by_code, listed_codes, today, problems)
    if problems:
        raise CatalogError(problems)
    return Catalog(
        pillars=_models(rows["pillars.csv"]),
        indicators=_models(indicators),
        regions=_models(rows["regions.csv"]),
        observations=tuple(observations),
        digest=_digest(directory),
        directory=directory,
        units=_models(rows[UNITS_FILE]),
        index_editions=_models(rows[INDEX_EDITIONS_FILE]),
        sources=_models(rows[SOURCES_FILE]),
    )


def _models(rows: list[tuple[int, BaseModel]]) -> tuple:
    return tuple(m for _, m in rows)


def _digest(directory: Path) -> str:
    """Changes whenever a catalog file does (the store reloads the catalog then)."""
    digest = hashlib.sha256()
    for f in FILES + OPTIONAL_FILES:
        if (directory / f).exists():
            digest.update((directory / f).read_bytes())
    return digest.hexdigest()[:16]
