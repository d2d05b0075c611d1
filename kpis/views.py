"""Display tables for the pages: KPI results turned into localized, sourced, DEMO-marked rows (no streamlit here)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from loaders.i18n import N_, fmt_number, fmt_percent, fmt_period, name_col

from . import methods as m
from . import units
from .sources import indicator_sources, names
from .text import isnum as _isnum
from .text import texts

PROGRAMME_LABELS = {"IA2030": N_("Maroc IA 2030"), "MD2030": N_("Maroc Digital 2030")}

TONE_ORDER = m.STATUS_GROUP_ORDER
TONE_LABELS = m.STATUS_GROUP_LABELS


def unit_label(unit: str | None, lang: str) -> str:
    """The unit as data/catalog/units.csv writes it in the language ('emplois', 'مناصب الشغل')."""
    return units.label(unit, lang)


def status_group(code: str | None) -> str:
    """good | watch | bad | trend | none: the Overview's and the CLI's groups of a status code."""
    return m.STATUS_GROUP.get(code or "no-data", "none")


def group_help(group: str, lang: str) -> str:
    """Which statuses a group counts, in words (the same list on the Overview and the Methodology)."""
    _ = texts(lang)._
    codes = [c for c, g in m.STATUS_GROUP.items() if g == group]
    return _("Counts: {statuses}", statuses=", ".join(status_label(c, lang) for c in codes))


def group_label(code: str | None, lang: str) -> str:
    return texts(lang)._(m.STATUS_GROUP_LABELS[status_group(code)])


def coverage_text(n_regions, total, lang: str) -> str:
    """'5/12 regions' in the language; isolated left to right in Arabic so the fraction keeps its order."""
    _ = texts(lang)._
    if not _isnum(n_regions) or not total:
        return ""
    n = int(n_regions)
    return texts(lang).n_(
        "{n} of {total} regions", "{n} of {total} regions", n, total=fmt_number(int(total), lang)
    )


def status_label(code: str | None, lang: str) -> str:
    return texts(lang)._(m.STATUS_LABELS.get(code or "no-data", code or ""))


def flag_labels(flags, lang: str) -> list[str]:
    _ = texts(lang)._
    return [_(m.FLAG_LABELS[f]) for f in (flags or []) if f in m.FLAG_LABELS]


def usable(value, unit: str | None) -> bool:
    """A value a page may show as a number: finite, inside its unit's range, not absurdly large."""
    return (
        _isnum(value)
        and units.violation(unit, value) is None
        and abs(float(value)) <= m.IMPLAUSIBLE_MAGNITUDE
    )


def value_text(value, unit: str | None, lang: str, *, milestone: bool = False) -> str:
    """A value with its unit, as a person reads it ('1 234 emplois', '45 %', 'Fait')."""
    _ = texts(lang)._
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    if not usable(value, unit):
        return _("unusable value")
    if milestone:
        return _("Done") if value >= 1 else _("Not yet")
    d = units.decimals(unit)
    if units.unit_of(unit).kind == "percent":
        shown = d if d is not None and not float(value).is_integer() else 0
        return fmt_percent(value / 100, lang, decimals=shown)
    if d is not None and not float(value).is_integer() and abs(value) < 1000:
        # The unit's decimals (bn MAD 1, million households 2, index 4); whole numbers stay whole.
        number = fmt_number(value, lang, decimals=d)
    else:
        number = fmt_number(value, lang, decimals=0 if d == 0 else None)
    return f"{number} {unit_label(unit, lang)}".strip()


@dataclass
class Section:
    programme: str
    programme_label: str
    pillar: str
    pillar_label: str
    table: pd.DataFrame  # display columns, in reading order
    codes: list[str]  # indicator code of each row (for links)
    tones: list[str]  # good | watch | bad | none, per row (status colour)


def overview_sections(
    status: pd.DataFrame, indicators: pd.DataFrame, pillars: pd.DataFrame, lang: str
) -> list[Section]:
    """Per programme and pillar, one row per indicator: latest, baseline, target, progress, status, source."""
    _ = texts(lang)._
    name = name_col(lang)
    st = status[status["region"].fillna("") == ""].set_index("indicator")
    ind = indicators.sort_values("position")
    out = []
    for p in pillars.sort_values("position").itertuples():
        rows, codes, tones = [], [], []
        for i in ind[(ind.programme == p.programme) & (ind.pillar == p.pillar)].itertuples():
            s = st.loc[i.code] if i.code in st.index else None
            try:
                rows.append(_overview_row(i, s, lang, name))
            except Exception:  # noqa: BLE001 - one odd value must not hide every other indicator
                rows.append(_broken_row(i, lang, name))
            codes.append(i.code)
            tones.append(status_group(s["status"]) if s is not None else "none")
        if rows:
            out.append(
                Section(
                    p.programme,
                    _(PROGRAMME_LABELS[p.programme]),
                    p.pillar,
                    getattr(p, name),
                    pd.DataFrame(rows),
                    codes,
                    tones,
                )
            )
    return out


COL_INDICATOR = N_("Indicator")
COL_LATEST = N_("Latest value")
COL_PERIOD = N_("Period")
COL_BASELINE = N_("Baseline")
COL_TARGET = N_("Target")
COL_PROGRESS = N_("Progress")
COL_STATUS = N_("Status")
COL_SOURCE = N_("Source")


def latest_text(s, unit: str | None, lang: str, *, milestone: bool = False) -> str:
    """The latest national value as every page and export shows it: the value, DEMO, how many regions
    a derived value covers, or a newer partial sum that is shown but not used, or an unusable value."""
    _ = texts(lang)._
    if s is None:
        return _("Not reported yet")
    flags = list(s["flags"]) if isinstance(s["flags"], (list, tuple)) else []
    latest = s["latest_value"]
    parts = []
    if _isnum(latest):
        parts.append(value_text(latest, unit, lang, milestone=milestone))
        if "demo" in flags:
            parts.append(_("DEMO"))
        if "derived-national" in flags:
            parts.append(
                _(
                    "sum of {coverage}",
                    coverage=coverage_text(s["latest_regions"], s["regions_total"], lang),
                )
                if units.aggregation(unit) != "mean"
                else _(
                    "mean of {coverage}",
                    coverage=coverage_text(s["latest_regions"], s["regions_total"], lang),
                )
            )
    if _isnum(s.get("partial_value")):
        parts.append(
            _(
                "partial: {value} from {coverage} ({period}), not used",
                value=value_text(s["partial_value"], unit, lang),
                coverage=coverage_text(s["partial_regions"], s["regions_total"], lang),
                period=fmt_period(s["partial_period"], lang),
            )
        )
    if "invalid-value" in flags:
        parts.append(_("a stored value is unusable and was left out"))
    return " · ".join(parts) if parts else _("Not reported yet")


def baseline_text(s, unit: str | None, lang: str) -> str:
    """The baseline the figures use (the engine's: the catalog's, else the value of the baseline
    year, else the first observation), with its year or period: one definition on every page."""
    _ = texts(lang)._
    if s is None or not _isnum(s["baseline_value"]):
        return "—"
    val = value_text(s["baseline_value"], unit, lang)
    year = int(s["baseline_year"]) if _isnum(s["baseline_year"]) else None
    if s.get("baseline_from") == "first-observation":
        base = (s["explain"] or {}).get("baseline") if isinstance(s.get("explain"), dict) else None
        period = fmt_period((base or {}).get("period"), lang) if base else str(year or "")
        return _("{value} (first observation, {period})", value=val, period=period)
    return f"{val} ({year})" if year else val


def _overview_row(i, s, lang: str, name: str) -> dict:
    _ = texts(lang)._
    milestone = i.kind == "milestone"
    latest = s["latest_value"] if s is not None else None
    has_latest = _isnum(latest)
    flags = list(s["flags"]) if s is not None else []
    latest_txt = latest_text(s, i.unit, lang, milestone=milestone)
    baseline = baseline_text(s, i.unit, lang) if not milestone else "—"
    if _isnum(i.target_value):
        target = f"{value_text(i.target_value, i.unit, lang, milestone=milestone)} ({int(i.target_year)})"
        if i.confidence == "assumption":
            target += " · " + _("assumption")
    else:
        target = _("none (tracked only)")
    progress = s["progress_display"] if s is not None and _isnum(s["progress_display"]) else None
    # The source shown is the latest value's own; the catalog's sources back the target, and say so.
    source = ""
    if has_latest and "demo" in flags:
        source = _("DEMO (illustrative)")
    elif has_latest and isinstance(s["explain"], dict) and s["explain"].get("latest"):
        lt = s["explain"]["latest"]
        source = names(lt.get("source"), lang) or lt.get("file") or ""
        if not source and "derived-national" in flags:
            source = _("regional reports")
    if not source:
        first = indicator_sources(i.code, i.sources, lang)[:1]
        source = _("Target: {source}", source=first[0][0]) if first else ""
    return {
        _(COL_INDICATOR): getattr(i, name),
        _(COL_LATEST): latest_txt,
        _(COL_PERIOD): fmt_period(s["latest_period"], lang)
        if has_latest and isinstance(s["latest_period"], str)
        else "",
        _(COL_BASELINE): baseline,
        _(COL_TARGET): target,
        _(COL_PROGRESS): texts(lang).pct(progress) if progress is not None else "—",
        _(COL_STATUS): status_label(s["status"] if s is not None else None, lang),
        _(COL_SOURCE): source,
    }


def _broken_row(i, lang: str, name: str) -> dict:
    _ = texts(lang)._
    row = dict.fromkeys(
        (_(c) for c in (COL_LATEST, COL_PERIOD, COL_BASELINE, COL_TARGET, COL_PROGRESS)), "—"
    )
    return {
        _(COL_INDICATOR): getattr(i, name),
        **row,
        _(COL_LATEST): _("this indicator's figures could not be shown: a stored value is unusable"),
        _(COL_STATUS): status_label(None, lang),
        _(COL_SOURCE): "",
    }


def headline_counts(status: pd.DataFrame) -> dict[str, int]:
    """National rows by status group: good / watch / bad / trend / none (methods.STATUS_GROUP)."""
    nat = status[status["region"].fillna("") == ""]
    groups = nat["status"].map(m.STATUS_GROUP).fillna("none")
    return {t: int((groups == t).sum()) for t in m.STATUS_GROUP_ORDER}


def pillar_status_counts(status: pd.DataFrame, pillars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For the stacked-bar chart: one row per pillar (label), one count column per status code."""
    nat = status[status["region"].fillna("") == ""]
    counts = nat.groupby(["programme", "pillar", "status"]).size().unstack("status", fill_value=0)
    p = pillars.sort_values("position").set_index(["programme", "pillar"])
    counts = counts.reindex(p.index, fill_value=0)
    counts.insert(0, "pillar_label", p[name_col(lang)].to_numpy())
    return counts.reset_index()


TONE_COLORS = {
    "good": "#d9f0d3",
    "watch": "#fde0b2",
    "bad": "#f6c6de",
    "trend": "#dbe9f6",
    "none": "#eeeeee",
}


def styled_section(sec: Section, lang: str):
    """The section table with its status cells coloured by tone (a pandas Styler, rendered as HTML)."""
    _ = texts(lang)._
    status_col = _(COL_STATUS)

    def colour(col):
        if col.name != status_col:
            return [""] * len(col)
        return [f"background-color: {TONE_COLORS[t]}" for t in sec.tones]

    return sec.table.style.apply(colour).hide(axis="index")
