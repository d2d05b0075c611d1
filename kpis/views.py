"""Display tables for the pages: KPI results turned into localized, sourced, DEMO-marked rows (no streamlit here)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from loaders.i18n import N_, fmt_number, fmt_percent, fmt_period, name_col, translator

from . import methods as m

PROGRAMME_LABELS = {"IA2030": N_("Maroc IA 2030"), "MD2030": N_("Maroc Digital 2030")}

# Catalog units are English words; a minister reads them in her language.
UNIT_LABELS = {
    "bn MAD": N_("bn MAD"),
    "bn MAD/yr": N_("bn MAD/yr"),
    "jobs": N_("jobs"),
    "people": N_("people"),
    "people/yr": N_("people/yr"),
    "rank": N_("rank"),
    "institutes": N_("institutes"),
    "MW": N_("MW"),
    "milestone": N_("milestone"),
    "startups": N_("startups"),
    "index 0-1": N_("index 0-1"),
    "services": N_("services"),
    "%": "%",
    "million households": N_("million households"),
    "sites": N_("sites"),
    "zones": N_("zones"),
}

TONE_ORDER = ("good", "watch", "bad", "none")
TONE_LABELS = {
    "good": N_("On track or achieved"),
    "watch": N_("Needs attention"),
    "bad": N_("Off track"),
    "none": N_("Not enough data"),
}


def unit_label(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    return translator(lang)(UNIT_LABELS.get(unit, unit))


def status_label(code: str | None, lang: str) -> str:
    return translator(lang)(m.STATUS_LABELS.get(code or "no-data", code or ""))


def flag_labels(flags, lang: str) -> list[str]:
    _ = translator(lang)
    return [_(m.FLAG_LABELS[f]) for f in (flags or []) if f in m.FLAG_LABELS]


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def value_text(value, unit: str | None, lang: str, *, milestone: bool = False) -> str:
    """A value with its unit, as a person reads it ('1 234 emplois', '45 %', 'Fait')."""
    _ = translator(lang)
    if not _isnum(value):
        return "—"
    if milestone:
        return _("Done") if value >= 1 else _("Not yet")
    if unit == "%":
        return fmt_percent(value / 100, lang, decimals=0 if float(value).is_integer() else 1)
    return f"{fmt_number(value, lang)} {unit_label(unit, lang)}".strip()


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
    _ = translator(lang)
    name = name_col(lang)
    st = status[status["region"].fillna("") == ""].set_index("indicator")
    ind = indicators.sort_values("position")
    out = []
    for p in pillars.sort_values("position").itertuples():
        rows, codes, tones = [], [], []
        for i in ind[(ind.programme == p.programme) & (ind.pillar == p.pillar)].itertuples():
            s = st.loc[i.code] if i.code in st.index else None
            rows.append(_overview_row(i, s, lang, name))
            codes.append(i.code)
            tones.append(m.STATUS_TONE.get(s["status"], "none") if s is not None else "none")
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


def _overview_row(i, s, lang: str, name: str) -> dict:
    _ = translator(lang)
    milestone = i.kind == "milestone"
    latest = s["latest_value"] if s is not None else None
    has_latest = _isnum(latest)
    flags = list(s["flags"]) if s is not None else []
    latest_txt = (
        value_text(latest, i.unit, lang, milestone=milestone)
        if has_latest
        else _("Not reported yet")
    )
    if has_latest and "demo" in flags:
        latest_txt += " · " + _("DEMO")
    if has_latest and "derived-national" in flags:
        latest_txt += " · " + _("sum of regions")
    baseline = (
        f"{value_text(i.baseline_value, i.unit, lang)} ({int(i.baseline_year)})"
        if _isnum(i.baseline_value)
        else "—"
    )
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
        source = lt.get("source") or lt.get("file") or ""
        if not source and "derived-national" in flags:
            source = _("regional reports")
    if not source:
        source = _("Target: {source}", source=i.sources.split(";")[0].strip())
    return {
        _(COL_INDICATOR): getattr(i, name),
        _(COL_LATEST): latest_txt,
        _(COL_PERIOD): fmt_period(s["latest_period"], lang)
        if has_latest and isinstance(s["latest_period"], str)
        else "",
        _(COL_BASELINE): baseline,
        _(COL_TARGET): target,
        _(COL_PROGRESS): fmt_percent(progress, lang) if progress is not None else "—",
        _(COL_STATUS): status_label(s["status"] if s is not None else None, lang),
        _(COL_SOURCE): source,
    }


def headline_counts(status: pd.DataFrame) -> dict[str, int]:
    """National rows by tone: good / watch / bad / none."""
    nat = status[status["region"].fillna("") == ""]
    tones = nat["status"].map(m.STATUS_TONE).fillna("none")
    return {t: int((tones == t).sum()) for t in TONE_ORDER}


def pillar_status_counts(status: pd.DataFrame, pillars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For the stacked-bar chart: one row per pillar (label), one count column per status code."""
    nat = status[status["region"].fillna("") == ""]
    counts = nat.groupby(["programme", "pillar", "status"]).size().unstack("status", fill_value=0)
    p = pillars.sort_values("position").set_index(["programme", "pillar"])
    counts = counts.reindex(p.index, fill_value=0)
    counts.insert(0, "pillar_label", p[name_col(lang)].to_numpy())
    return counts.reset_index()


TONE_COLORS = {"good": "#d9f0d3", "watch": "#fde0b2", "bad": "#f6c6de", "none": "#eeeeee"}


def styled_section(sec: Section, lang: str):
    """The section table with its status cells coloured by tone (a pandas Styler, rendered as HTML)."""
    _ = translator(lang)
    status_col = _(COL_STATUS)

    def colour(col):
        if col.name != status_col:
            return [""] * len(col)
        return [f"background-color: {TONE_COLORS[t]}" for t in sec.tones]

    return sec.table.style.apply(colour).hide(axis="index")
