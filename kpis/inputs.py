"""The engine's only I/O: current observations (as of a date) and the catalog tables, read in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from loaders.store import Store, as_of_date
from loaders.targets import apply_to_frames, revisions
from loaders.texts import apply_to_frames as apply_texts
from loaders.texts import revisions as text_revisions

OBS_FIELDS = (
    "indicator",
    "period",
    "region",
    "value",
    "demo",
    "revised",
    "versions",
    "batch_id",
    "file",
    "sheet",
    "row_number",
    "source",
    "comment",
    "loaded_at",
    "user_name",
    "origin",
)
INDICATOR_FIELDS = (
    "code",
    "programme",
    "pillar",
    "name_fr",
    "name_en",
    "name_ar",
    "unit",
    "direction",
    "kind",
    "frequency",
    "by_region",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "confidence",
    "sources",
    "notes",
    "comparison",
    "national_from_regions",
    "producer",
    "due_days",
)


@dataclass(frozen=True)
class KpiInputs:
    """Everything a computation reads. Pure data: the same inputs always give the same figures."""

    observations: pd.DataFrame  # OBS_FIELDS; region '' = national; one current row per key
    indicators: pd.DataFrame  # INDICATOR_FIELDS, catalog order; years/values NaN when absent
    milestones: pd.DataFrame  # indicator, year, value
    regions: pd.DataFrame  # iso, name_fr/en/ar, population_2024
    pillars: pd.DataFrame  # programme, pillar, name_fr/en/ar
    as_of: dt.date | None = None

    def only(self, codes) -> KpiInputs:
        """The same inputs restricted to some indicators (an indicator page needs no other)."""
        codes = set([codes] if isinstance(codes, str) else codes)
        return replace(
            self,
            observations=self.observations[self.observations["indicator"].isin(codes)],
            indicators=self.indicators[self.indicators["code"].isin(codes)],
            milestones=self.milestones[self.milestones["indicator"].isin(codes)],
        )

    def invalid(self) -> np.ndarray:
        """Per observation: True when its value is unusable (not finite, outside its unit's range, or
        beyond methods.IMPLAUSIBLE_MAGNITUDE). Ingest refuses such values; an older store or a
        direct write may still hold them, and one of them must not take a page down."""
        return invalid_values(self.observations, self.indicators)

    def usable(self) -> KpiInputs:
        """The same inputs without the unusable observations."""
        bad = self.invalid()
        if not bad.any():
            return self
        return replace(self, observations=self.observations[~bad].reset_index(drop=True))

    def indicator(self, code: str) -> dict:
        rows = self.indicators[self.indicators["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown indicator {code}")
        return rows.iloc[0].to_dict()


def invalid_values(observations: pd.DataFrame, indicators: pd.DataFrame) -> np.ndarray:
    """See KpiInputs.invalid: one bool per observation row."""
    from .methods import IMPLAUSIBLE_MAGNITUDE
    from .units import bounds

    value = pd.to_numeric(observations["value"], errors="coerce").to_numpy(float)
    unit = observations["indicator"].map(
        dict(zip(indicators["code"], indicators["unit"], strict=True))
    )
    lo_hi = {u: bounds(u) for u in unit.dropna().unique()}
    lo = unit.map(lambda u: lo_hi.get(u, (np.nan, np.nan))[0]).to_numpy(float)
    hi = unit.map(lambda u: lo_hi.get(u, (np.nan, np.nan))[1]).to_numpy(float)
    with np.errstate(invalid="ignore"):
        return (
            ~np.isfinite(value)
            | (np.abs(value) > IMPLAUSIBLE_MAGNITUDE)
            | (value < np.where(np.isnan(lo), -np.inf, lo))
            | (value > np.where(np.isnan(hi), np.inf, hi))
        )


def _shipped_indicators() -> dict:
    from loaders.catalog import load_catalog

    try:
        return {i.code: i for i in load_catalog().indicators}
    except Exception:  # noqa: BLE001 - a broken shipped catalog must not stop a computation
        return {}


def _reporting_rules(ind: pd.DataFrame, shipped: dict) -> None:
    """Fill `producer` and `due_days` (the reporting calendar's rule, which freshness counts from) where
    the source lacks the columns: the shipped catalog's for a catalog code, else none."""
    if "producer" not in ind.columns:
        ind["producer"] = [getattr(shipped.get(c), "producer", "") or "" for c in ind["code"]]
    if "due_days" not in ind.columns:
        ind["due_days"] = [getattr(shipped.get(c), "due_days", None) for c in ind["code"]]
    ind["due_days"] = pd.to_numeric(ind["due_days"], errors="coerce").astype(float)


def _regional_rules(ind: pd.DataFrame, shipped: dict) -> None:
    """Fill `comparison` and `national_from_regions` where the source lacks them (the store keeps
    the catalog's core columns only): the shipped catalog's value for a catalog code, else the rule
    of the unit (percentages, ranks and indices compared as they are, others per inhabitant) and
    "all" (a national sum counts only when every region reported)."""
    from .units import is_intensive

    for col in ("comparison", "national_from_regions"):
        if col not in ind.columns:
            ind[col] = None
    comp, nfr = [], []
    for code, unit, by_region, c, n in zip(
        ind["code"],
        ind["unit"],
        ind["by_region"],
        ind["comparison"],
        ind["national_from_regions"],
        strict=True,
    ):
        cat = shipped.get(code)
        if not isinstance(c, str) or not c:
            if cat is not None and cat.unit == unit:
                c = cat.comparison
            elif not by_region:
                c = "none"
            else:
                c = "absolute" if is_intensive(unit) else "per-capita"
        if not isinstance(n, str) or not n:
            n = cat.national_from_regions if cat is not None else "all"
        comp.append(c)
        nfr.append(n)
    ind["comparison"] = comp
    ind["national_from_regions"] = nfr


def make_inputs(
    observations, indicators, milestones, regions, pillars=None, as_of=None
) -> KpiInputs:
    """Normalise frames from any source (the store, a catalog, a test) into KpiInputs."""
    obs = pd.DataFrame(observations).copy()
    n = len(obs)
    defaults = {
        "region": "",
        "demo": False,
        "versions": 1,
        "batch_id": np.nan,
        "file": None,
        "sheet": None,
        "row_number": np.nan,
        "source": None,
        "comment": None,
        "loaded_at": pd.NaT,
        "user_name": None,
        "origin": None,
    }
    for col, default in defaults.items():
        if col not in obs.columns:
            obs[col] = [default] * n if n else pd.Series([], dtype=object)
    obs["region"] = obs["region"].fillna("").astype(str)
    obs["indicator"] = obs["indicator"].astype(str)
    obs["period"] = obs["period"].astype(str)
    obs["value"] = obs["value"].astype(float)
    obs["demo"] = obs["demo"].fillna(False).astype(bool)
    obs["versions"] = obs["versions"].fillna(1).astype(int)
    if "revised" not in obs.columns:
        obs["revised"] = obs["versions"] > 1
    obs["revised"] = obs["revised"].fillna(False).astype(bool)
    obs = obs[list(OBS_FIELDS)].reset_index(drop=True)

    ind = pd.DataFrame(indicators).copy()
    for col in ("baseline_year", "baseline_value", "target_year", "target_value"):
        ind[col] = pd.to_numeric(ind[col], errors="coerce").astype(float)
    ind["by_region"] = ind["by_region"].astype(bool)
    for col in ("notes", "sources"):
        ind[col] = ind[col].fillna("")
    shipped = _shipped_indicators()
    _regional_rules(ind, shipped)
    _reporting_rules(ind, shipped)
    ind = ind[list(INDICATOR_FIELDS)].reset_index(drop=True)

    ms = pd.DataFrame(milestones, columns=["indicator", "year", "value"]).copy()
    ms["year"] = ms["year"].astype(int)
    ms["value"] = ms["value"].astype(float)
    ms = ms.sort_values(["indicator", "year"]).reset_index(drop=True)

    reg = pd.DataFrame(regions).copy().sort_values("iso").reset_index(drop=True)
    reg["population_2024"] = reg["population_2024"].astype(float)
    pil = (
        pd.DataFrame(pillars)
        if pillars is not None
        else pd.DataFrame(columns=["programme", "pillar", "name_fr", "name_en", "name_ar"])
    )
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return KpiInputs(obs, ind, ms, reg, pil.reset_index(drop=True), as_of)


def inputs_from_catalog(catalog, observations=None, as_of=None) -> KpiInputs:
    """KpiInputs from a loaded Catalog (no database): for tests, the benchmark and previews."""
    inds = [i.model_dump(exclude={"milestones"}) for i in catalog.indicators]
    ms = [
        {"indicator": i.code, "year": m.year, "value": m.value}
        for i in catalog.indicators
        for m in i.milestones
    ]
    obs = (
        observations
        if observations is not None
        else pd.DataFrame(columns=["indicator", "period", "region", "value"])
    )
    return make_inputs(
        obs,
        pd.DataFrame(inds),
        pd.DataFrame(ms, columns=["indicator", "year", "value"]),
        pd.DataFrame([r.model_dump() for r in catalog.regions]),
        pd.DataFrame([p.model_dump() for p in catalog.pillars]),
        as_of,
    )


INDICATOR_DEFAULTS = {
    "programme": "IA2030",
    "pillar": "IMP",
    "unit": "count",
    "direction": "up",
    "kind": "level",
    "frequency": "annual",
    "by_region": False,
    "baseline_year": None,
    "baseline_value": None,
    "target_year": None,
    "target_value": None,
    "confidence": "press",
    "sources": "test",
    "notes": "",
    "comparison": None,
    "national_from_regions": None,
}


def inputs_from_records(
    indicators: list[dict],
    observations: list[dict] | None = None,
    *,
    milestones: list[dict] | None = None,
    regions: list[dict] | None = None,
    as_of=None,
) -> KpiInputs:
    """KpiInputs from plain records with defaults for what a case does not need (tests, examples).

    indicators: {"code": ..., any INDICATOR_FIELDS}; observations: {"indicator", "period", "value",
    optional "region", "demo", "versions", "file", "row_number", ...}; milestones: {"indicator", "year",
    "value"}; regions: {"iso", "population_2024", optional names}.
    """
    inds = []
    for rec in indicators:
        full = {**INDICATOR_DEFAULTS, **rec}
        for lang in ("fr", "en", "ar"):
            full.setdefault(f"name_{lang}", rec["code"])
        inds.append(full)
    regs = [
        {
            "name_fr": r["iso"],
            "name_en": r["iso"],
            "name_ar": r["iso"],
            "hcp_code": r["iso"][-2:],
            "capital": "",
            **r,
        }
        for r in (regions or [])
    ]
    reg_frame = pd.DataFrame(
        regs,
        columns=["iso", "hcp_code", "name_fr", "name_en", "name_ar", "capital", "population_2024"],
    )
    obs = pd.DataFrame(
        observations or [], columns=None if observations else ["indicator", "period", "value"]
    )
    return make_inputs(
        obs,
        pd.DataFrame(inds),
        pd.DataFrame(milestones or [], columns=["indicator", "year", "value"]),
        reg_frame,
        None,
        as_of,
    )


def load_inputs(store: Store, as_of: dt.date | dt.datetime | str | None = None) -> KpiInputs:
    """Read what the engine needs, as known on `as_of` (None = now), in one transaction."""
    with store.transaction() as conn:
        # `real_versions`: a revision is judged among real rows (a DEMO value is not a revision).
        obs = store.current(conn, as_of=as_of, real_versions=True, frame=True)
        ind, ms, reg, pil = (
            store.table(conn, name, frame=True)
            for name in ("indicator", "milestone", "region", "pillar")
        )
        # Targets and milestones as changed by admins (loaders/targets.py) up to the date.
        ind, ms = apply_to_frames(ind, ms, revisions(store, conn=conn, as_of=as_of))
        # Names and notes as corrected by admins (loaders/texts.py): always today's, whatever the date.
        texts = text_revisions(store, conn=conn)
    real = obs.pop("real_versions")
    obs["revised"] = np.where(obs["demo"].astype(bool), obs["versions"] > 1, real.fillna(0) > 1)
    # The Moroccan date the figures are as known on (the cutoff itself is a UTC instant).
    inputs = make_inputs(obs, ind, ms, reg, pil, as_of_date(as_of))
    ind, pil = apply_texts(inputs.indicators, inputs.pillars, texts)
    return replace(inputs, indicators=ind, pillars=pil)
