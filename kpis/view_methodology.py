"""The Methodology page's view: every status, score, projection and comparison rule in words and tables, numbers read from kpis.methods."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import methods as m
from .charts import map_attribution
from .text import Texts, texts
from .view_explain import CONFIDENCE_LABELS, CONFIDENCE_MEANINGS
from .view_indicator import FREQUENCY_LABELS
from .view_regions import COMPARISON_LABELS, COMPARISON_WHY


@dataclass
class DocSection:
    """One part of the methodology: blocks in reading order, each ("text", str), ("bullets", [str]),
    or ("tables", [(title, DataFrame), ...]) where several tables sit side by side."""

    key: str
    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)

    def text(self, *texts: str) -> DocSection:
        self.blocks += [("text", t) for t in texts]
        return self

    def bullets(self, items: list[str]) -> DocSection:
        self.blocks.append(("bullets", list(items)))
        return self

    def tables(self, *tables: tuple[str, pd.DataFrame]) -> DocSection:
        self.blocks.append(("tables", list(tables)))
        return self


def method_note_params(lang: str) -> dict[str, dict[str, str]]:
    """The placeholders of methods.METHOD_NOTES, formatted for the language from the same constants."""
    t = texts(lang)
    return {
        "trajectory": {
            "on_track": t.pct(m.TRAJECTORY_ON_TRACK),
            "needs": t.pct(m.TRAJECTORY_NEEDS_ACCELERATION),
        },
        "growth": {
            "high": t.num(m.GROWTH_RATIO_SUBSTANTIAL, 2),
            "mid": t.num(m.GROWTH_RATIO_MODERATE, 2),
        },
        "no_target": {
            "high": t.pct(m.NO_TARGET_SUBSTANTIAL, 1),
            "mid": t.pct(m.NO_TARGET_MODERATE, 1),
        },
        "projection": {
            "half_life": t.num(m.PROJECTION_HALF_LIFE_YEARS),
            "points": t.num(m.PROJECTION_MIN_POINTS),
            "years": t.num(m.PROJECTION_MIN_SPAN_YEARS),
            "level": t.num(m.PROJECTION_LOG_MIN_LEVEL),
            "multiple": t.num(m.PROJECTION_MAX_MULTIPLE),
        },
        "stale": {
            "late": t.n_("{n} period", "{n} periods", m.STALE_PERIODS_LATE),
            "event": t.n_("{n} month", "{n} months", m.EVENT_REPORT_MONTHS),
        },
        "disparity": {"scale": t.num(m.PER_CAPITA_SCALE), "ratio": t.pct(m.LAGGING_RATIO)},
    }


def method_note(key: str, lang: str) -> str:
    """One rule of methods.METHOD_NOTES in the language, its numbers formatted for the locale."""
    params = method_note_params(lang)
    for k, msgid, _p in m.METHOD_NOTES:
        if k == key:
            return texts(lang)._(msgid, **params.get(k, {}))
    raise KeyError(key)


def _status_table(t: Texts, rules: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{t._("Status"): t.status(code), t._("Rule"): rule} for code, rule in rules]
    )


def _bands(t: Texts, fmt, thresholds, at_least: str, between: str, below: str):
    """The four growth-ratio statuses from three thresholds (high, middle, low), highest first."""
    hi, mid, lo = (fmt(x) for x in thresholds)
    return [
        ("substantial", t.ltr(at_least.format(v=hi))),
        ("moderate", t.ltr(between.format(low=mid, high=hi))),
        ("limited", t.ltr(between.format(low=lo, high=mid))),
        ("deterioration", t.ltr(below.format(v=lo))),
    ]


def _trajectory_table(t: Texts, no_data: str) -> pd.DataFrame:
    _ = t._
    return _status_table(
        t,
        [
            (
                "achieved",
                _("The latest value has reached the target, in the indicator's direction."),
            ),
            (
                "on-track",
                _(
                    "Progress is at least {v} of the progress expected at the date of the latest value.",
                    v=t.pct(m.TRAJECTORY_ON_TRACK),
                ),
            ),
            (
                "needs-acceleration",
                _(
                    "Progress is from {low} to less than {high} of the expected progress.",
                    low=t.pct(m.TRAJECTORY_NEEDS_ACCELERATION),
                    high=t.pct(m.TRAJECTORY_ON_TRACK),
                ),
            ),
            (
                "off-track",
                t.n_(
                    "Progress is below {v} of the expected progress, or the value moved away from the "
                    "target compared with a value at least {n} year older.",
                    "Progress is below {v} of the expected progress, or the value moved away from the "
                    "target compared with a value at least {n} years older.",
                    m.WRONG_WAY_LOOKBACK_YEARS,
                    v=t.pct(m.TRAJECTORY_NEEDS_ACCELERATION),
                ),
            ),
            ("no-data", no_data),
        ],
    )


def _no_target_tables(t: Texts) -> list[tuple[str, pd.DataFrame]]:
    _ = t._

    def growth(x):
        return t.pct(x, 1)

    band = growth(m.TREND_STABLE_BAND)
    thresholds = (m.NO_TARGET_SUBSTANTIAL, m.NO_TARGET_MODERATE, m.NO_TARGET_LIMITED)
    return [
        (
            _(
                "Without a target, growth-ratio method (g = observed yearly growth, in the good direction)"
            ),
            _status_table(
                t,
                _bands(t, growth, thresholds, _("g ≥ {v}"), _("{low} ≤ g < {high}"), _("g < {v}")),
            ),
        ),
        (
            _("Without a target, trajectory method"),
            _status_table(
                t,
                [
                    ("improving", t.ltr(_("g > +{v}", v=band))),
                    ("stable", t.ltr(_("−{v} ≤ g ≤ +{v}", v=band))),
                    ("worsening", t.ltr(_("g < −{v}", v=band))),
                ],
            ),
        ),
    ]


def _event_table(t: Texts) -> pd.DataFrame:
    _ = t._
    event_state = {
        "done": _("Done"),
        "pending": _("Not yet done, not yet due"),
        "overdue": _("Not done after its due date"),
    }
    return pd.DataFrame(
        [
            {
                _("Event"): event_state[k],
                t.label(m.METHODS, "trajectory"): t.status(m.EVENT_TRAJECTORY_STATUS[k]),
                t.label(m.METHODS, "growth-ratio"): t.status(m.EVENT_GROWTH_STATUS[k]),
                _("Score"): t.num(m.EVENT_SCORES[k], 1),
            }
            for k in ("done", "pending", "overdue")
        ]
    )


def _group_table(t: Texts) -> pd.DataFrame:
    _ = t._
    return pd.DataFrame(
        [
            {
                _("Group"): _(m.STATUS_GROUP_LABELS[g]),
                _("Statuses"): t.comma.join(
                    t.status(c) for c, gg in m.STATUS_GROUP.items() if gg == g
                ),
            }
            for g in m.STATUS_GROUP_ORDER
        ]
    )


def _status_section(t: Texts, method: str | None) -> DocSection:
    _ = t._
    no_data = _("No value yet, or nothing to measure progress from.")
    s = DocSection("status", _("Statuses and how they are judged"))
    s.text(
        _(
            "Each indicator gets one status. The method is chosen in the sidebar (in use now: {method}); "
            "the indicator page shows the method and formula behind every status.",
            method=t.label(m.METHODS, method or m.DEFAULT_METHOD),
        ),
        method_note("trajectory", t.lang),
    )
    s.tables((t.label(m.METHODS, "trajectory"), _trajectory_table(t, no_data)))
    s.text(
        method_note("growth", t.lang),
        _(
            "R = observed yearly growth since the baseline ÷ yearly growth required to reach the target on time."
        ),
    )
    ratio_thresholds = (m.GROWTH_RATIO_SUBSTANTIAL, m.GROWTH_RATIO_MODERATE, m.GROWTH_RATIO_LIMITED)
    rows = _bands(
        t,
        lambda x: t.num(x, 2),
        ratio_thresholds,
        _("R ≥ {v}"),
        _("{low} ≤ R < {high}"),
        _("R < {v}"),
    )
    s.tables((t.label(m.METHODS, "growth-ratio"), _status_table(t, [*rows, ("no-data", no_data)])))
    s.text(method_note("no_target", t.lang))
    s.tables(*_no_target_tables(t))
    s.text(_("Events (a law adopted, a framework published…) are judged on their due date:"))
    s.tables(("", _event_table(t)))
    s.text(
        _(
            "The Overview counts the statuses in these groups, the same on every page and in the command "
            "line (status_group in `python -m kpis status --json`). An indicator without a target is never "
            "counted as on track: it is judged on its trend only."
        )
    )
    s.tables((_("Status groups"), _group_table(t)))
    return s


def _score_section(t: Texts) -> DocSection:
    _ = t._
    s = DocSection("score", _("Scores and pillar roll-up"))
    s.text(
        method_note("score", t.lang),
        _(
            "The score is read on a broken line through the points below, clamped between {low} and {high}.",
            low=t.num(m.SCORE_MIN, 0),
            high=t.num(m.SCORE_MAX, 0),
        ),
    )
    s.tables(
        (
            _("With a target: growth ratio R → score"),
            pd.DataFrame(
                [{"R": t.num(x, 2), _("Score"): t.num(y, 1)} for x, y in m.SCORE_TARGET_KNOTS]
            ),
        ),
        (
            _("Without a target: yearly growth g → score"),
            pd.DataFrame(
                [{"g": t.pct(x, 1), _("Score"): t.num(y, 1)} for x, y in m.SCORE_NO_TARGET_KNOTS]
            ),
        ),
    )
    return s


def _projection_table(t: Texts) -> pd.DataFrame:
    _ = t._
    param, value = _("Parameter"), _("Value")
    rows = [
        (
            _("Half-life of a point's weight"),
            t.n_("{n} year", "{n} years", m.PROJECTION_HALF_LIFE_YEARS),
        ),
        (_("Minimum number of points"), t.num(m.PROJECTION_MIN_POINTS)),
        (
            _("Minimum span of the points"),
            t.n_("{n} year", "{n} years", m.PROJECTION_MIN_SPAN_YEARS),
        ),
        (_("Constant growth only from a level of"), t.num(m.PROJECTION_LOG_MIN_LEVEL)),
        (
            _("Largest projection shown"),
            _(
                "{k} × the larger of the target and the latest value",
                k=t.num(m.PROJECTION_MAX_MULTIPLE),
            ),
        ),
        (_("Band width"), _("± {k} residual standard error", k=t.num(m.PROJECTION_BAND_K))),
        (_("Horizon without a target"), str(m.PROJECTION_HORIZON_YEAR)),
    ]
    return pd.DataFrame([{param: p, value: v} for p, v in rows])


def _projection_section(t: Texts) -> DocSection:
    _ = t._
    s = DocSection("projection", _("Expected path and projection"))
    s.text(
        method_note("projection", t.lang),
        _(
            "Indicators without a target are projected to {year}, the end of the roadmap. On the indicator "
            "page the projected trend is a dotted line with its shaded band.",
            year=str(m.PROJECTION_HORIZON_YEAR),
        ),
    )
    stale = _freshness_table(t)
    s.tables(
        (_("Projection parameters"), _projection_table(t)),
        (_("When a value becomes stale"), stale),
    )
    s.text(method_note("stale", t.lang))
    return s


def _freshness_table(t: Texts) -> pd.DataFrame:
    """Per frequency: when the next figure is due and from when the data is stale (methods.py, Freshness)."""
    _ = t._
    rows = []
    for f, months in m.FREQUENCY_MONTHS.items():
        every = months or m.EVENT_REPORT_MONTHS
        late = every * (1 + m.STALE_PERIODS_LATE)
        if months:
            due = _(
                "{months} after the end of the latest period, plus the producer's days",
                months=t.n_("{n} month", "{n} months", every),
            )
            after = _(
                "{months} after the end of the latest period, plus the producer's days",
                months=t.n_("{n} month", "{n} months", late),
            )
        else:
            due = _("every {months} until done", months=t.n_("{n} month", "{n} months", every))
            after = _(
                "{months} after the latest report, unless done",
                months=t.n_("{n} month", "{n} months", late),
            )
        rows.append(
            {
                _("Frequency"): t.label(FREQUENCY_LABELS, f),
                _("Next figure due"): due,
                _("Stale after"): after,
            }
        )
    return pd.DataFrame(rows)


def _disparity_section(t: Texts) -> DocSection:
    _ = t._
    s = DocSection("disparity", _("Regional disparity"))
    s.text(method_note("disparity", t.lang))
    scale = t.num(m.PER_CAPITA_SCALE)
    modes = ("per-capita", "share", "absolute-intensive", "absolute", "none")
    table = pd.DataFrame(
        [
            {
                _("Comparison"): _(COMPARISON_LABELS[k.replace("-intensive", "")], scale=scale),
                _("Rule"): _(COMPARISON_WHY[k], scale=scale, ratio=t.pct(m.LAGGING_RATIO)),
            }
            for k in modes
        ]
    )
    s.tables((_("How each indicator's regions are compared (catalog column comparison)"), table))
    s.bullets(
        [
            _(
                "Per-capita scale: per {scale} inhabitants, 2024 census (HCP, RGPH 2024).",
                scale=scale,
            ),
            _(
                "Coefficient of variation: standard deviation of the regions' values divided by their mean "
                "(0 = all equal)."
            ),
            _(
                "Highest / lowest: the best region's value divided by the weakest one's; undefined when a "
                "region is at 0."
            ),
            _(
                "Lagging region: below {ratio} of the national reference (above the reference divided by "
                "{ratio_n} when lower is better).",
                ratio=t.pct(m.LAGGING_RATIO),
                ratio_n=t.num(m.LAGGING_RATIO, 2),
            ),
            _(
                "Flows are compared on yearly totals, levels on each region's latest value at the chosen period."
            ),
        ]
    )
    return s


def _revisions_and_flags(t: Texts) -> list[DocSection]:
    _ = t._
    s = DocSection("as_of", _("Figures as known on a date, and revisions"))
    s.text(
        method_note("as_of", t.lang),
        _(
            "Loaded data is never overwritten: a correction is a new version in a later batch and becomes the "
            "current value, while the earlier one stays stored. Undoing a batch brings the previous values back "
            "exactly. A value with more than one version is marked as revised. Real values win over DEMO "
            "values for the same period."
        ),
    )
    f = DocSection("flags", _("Flags"))
    f.text(
        _("Every figure carries the flags that apply to it; they are shown in words next to it.")
    )
    f.bullets([_(label) for label in m.FLAG_LABELS.values()])
    return [s, f]


def _confidence_section(t: Texts, indicators: pd.DataFrame | None) -> DocSection:
    _ = t._
    s = DocSection("confidence", _("How sure the catalog's targets are"))
    s.text(
        _(
            "Each target in the catalog has a confidence level and names the institutions and public pages "
            "it was read from (shown on each indicator's page, linked). The strategy documents themselves "
            "were not available."
        )
    )
    counts = indicators["confidence"].value_counts().to_dict() if indicators is not None else {}
    rows = []
    for code, label in CONFIDENCE_LABELS.items():
        row = {_("Confidence"): _(label), _("Meaning"): t.label(CONFIDENCE_MEANINGS, code)}
        if indicators is not None:
            row[_("Indicators")] = t.num(int(counts.get(code, 0)))
        rows.append(row)
    s.tables(("", pd.DataFrame(rows)))
    return s


def _pitfalls_and_map(t: Texts) -> list[DocSection]:
    _ = t._
    s = DocSection("pitfalls", _("Known pitfalls in the sources"))
    s.bullets(
        [
            _(
                "The “113th → 50th” e-government target is the UN Online Services Index, not the overall "
                "e-government index rank (EGDI: 101st in 2022, 90th in 2024)."
            ),
            _(
                "Several 2023 draft figures (300,000 jobs, 170 bn MAD) conflict with the launch figures used here."
            ),
            _(
                "The 5G licence obligations (45 % coverage by 2026, 85 % by 2030) are stricter than the "
                "strategy's 70 % by 2030."
            ),
            _(
                "Region names are spelled many ways in real files (accents, “L'Oriental”/“Oriental”/“الشرق”, the "
                "prefix “جهة”, hamza variants): everything is keyed on the ISO code. The former 16-region names "
                "are a different division and are never mapped silently onto the 12 regions."
            ),
        ]
    )
    mp = DocSection("map", _("Map and licence"))
    mp.text(
        _(
            "The region map is drawn without any web tiles, from a shipped outline of the 12 regions (2015 "
            "division), derived from the morocco-map project, itself built from OpenStreetMap data, under the "
            "Open Database License (ODbL 1.0)."
        ),
        _("Attribution shown on the map and under it: {text}", text=map_attribution(t.lang)),
    )
    return [s, mp]


def methodology_sections(
    lang: str, indicators: pd.DataFrame | None = None, method: str | None = None
) -> list[DocSection]:
    """The methodology in words and tables; every number is read from kpis.methods, not re-typed."""
    t = texts(lang)
    _ = t._
    series = DocSection("series", _("Series, roll-up and national values"))
    series.text(
        *[method_note(k, lang) for k in ("periods", "rollup", "national", "baseline", "progress")]
    )
    return [
        _status_section(t, method),
        _score_section(t),
        series,
        _projection_section(t),
        _disparity_section(t),
        *_revisions_and_flags(t),
        _confidence_section(t, indicators),
        *_pitfalls_and_map(t),
    ]
