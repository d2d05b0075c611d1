"""The methodology: stable status/flag codes, every threshold as a named constant, and the formulas (numpy, vectorised)."""

from __future__ import annotations

import numpy as np

from loaders.i18n import N_

# The rules, settled once (the constants below carry the numbers; METHOD_NOTES says it in words):
# - Dates: a quarter ends on its last day, a year (also baseline, milestone and target years) on
#   31 December; time is counted in decimal years on a month grid (periods.decimal_year).
# - Roll-up to years by kind (series.py): flow = sum of quarters (< 4 = incomplete year) unless a
#   whole-year value is reported; level/cumulative = last value; event (0/1) = done from the first
#   period reported done. Flows are judged on complete years (an incomplete one only when nothing
#   newer than the baseline exists, flagged). National = reported, else derived from the regions.
# - Baseline = the catalog's; for a region, its own value at the catalog baseline year; else the
#   first observation (first complete year for a flow), flagged. Regions get the national target
#   only for percentages; a regional count has no target (never a share of the national one).
# - Progress = (latest - baseline) / (target - baseline), uncapped (progress_display caps 0..1);
#   signed by construction for "down" indicators. No target: trend-only status.
# - Trajectory: progress vs the progress expected at the latest value's date; "expected now" and the
#   gap are reported too. Moving the wrong way (net since the baseline, or against the value at least
#   WRONG_WAY_LOOKBACK_YEARS older) is off track.
# - Growth ratio (Statistics Canada / Open SDG): R = observed / required compound growth from the
#   baseline. Zero or negative values: ratio of yearly changes in units instead (no 0.001 stand-in);
#   without a target, growth = midpoint rate (change per year / mean absolute level). Open SDG's
#   natural-limit factor C for bounded indicators is not applied (every percentage here has a target).
# - Required yearly growth is counted from the latest value and its date to the target date; the
#   observed one from the baseline to the latest value.
# -- methods, statuses, flags (stable codes; the UI translates the labels) --------------------------

METHODS = {
    "trajectory": N_("Trajectory to the target"),
    "growth-ratio": N_("Growth ratio (Statistics Canada / Eurostat, as in Open SDG)"),
}
DEFAULT_METHOD = "trajectory"

STATUS_LABELS = {
    "achieved": N_("Target achieved"),
    "on-track": N_("On track"),
    "needs-acceleration": N_("Needs acceleration"),
    "off-track": N_("Off track"),
    "substantial": N_("Substantial progress"),
    "moderate": N_("Moderate progress"),
    "limited": N_("Limited progress"),
    "deterioration": N_("Deterioration"),
    "improving": N_("Improving"),
    "stable": N_("Stable"),
    "worsening": N_("Worsening"),
    "no-data": N_("Not enough data"),
}
STATUS_CODES = tuple(STATUS_LABELS)
# Which codes each way of judging can give (trend = an indicator without a target, trajectory method).
STATUS_BY_METHOD = {
    "trajectory": ("achieved", "on-track", "needs-acceleration", "off-track", "no-data"),
    "growth-ratio": ("substantial", "moderate", "limited", "deterioration", "no-data"),
    "trend": ("improving", "stable", "worsening", "no-data"),
}
# For colours and sorting: good / watch / bad / none.
STATUS_TONE = {
    "achieved": "good",
    "on-track": "good",
    "substantial": "good",
    "improving": "good",
    "needs-acceleration": "watch",
    "moderate": "watch",
    "stable": "watch",
    "limited": "watch",
    "off-track": "bad",
    "deterioration": "bad",
    "worsening": "bad",
    "no-data": "none",
}

# The groups the Overview counts and the CLI reports (one definition, shown the same everywhere):
# a status against a target is on track / needs attention / off track; an indicator without a
# target is judged on its trend only and never counted as "on track"; no data is apart.
STATUS_GROUP = {
    "achieved": "good",
    "on-track": "good",
    "substantial": "good",
    "needs-acceleration": "watch",
    "moderate": "watch",
    "limited": "watch",
    "off-track": "bad",
    "deterioration": "bad",
    "improving": "trend",
    "stable": "trend",
    "worsening": "trend",
    "no-data": "none",
}
STATUS_GROUP_ORDER = ("good", "watch", "bad", "trend", "none")
STATUS_GROUP_LABELS = {
    "good": N_("On track or achieved"),
    "watch": N_("Needs attention"),
    "bad": N_("Off track"),
    "trend": N_("Without a target"),
    "none": N_("Not enough data"),
}

FLAG_LABELS = {
    "demo": N_("DEMO data (illustrative, not real)"),
    "assumption-target": N_("The target is an assumption to be confirmed"),
    "derived-national": N_("National value derived from the regions"),
    "revised": N_("Revised value"),
    "stale": N_("No recent report"),
    "incomplete-year": N_("Incomplete year"),
    "baseline-from-first-observation": N_("Baseline taken from the first observation"),
    "no-target": N_("No target: judged on its trend only"),
    "too-few-points": N_("Too few points for a projection"),
    "too-short-span": N_("Values span too short a period for a projection"),
    "implausible-projection": N_("Projection withheld: the trend leaves the plausible range"),
    "partial-coverage": N_("Not every region reported"),
    "invalid-value": N_("A stored value is unusable and was left out"),
}
FLAG_CODES = tuple(FLAG_LABELS)

MILESTONE_STATUS_LABELS = {"done": N_("Done"), "due": N_("Due"), "overdue": N_("Overdue")}
MILESTONE_STATUS_CODES = tuple(MILESTONE_STATUS_LABELS)
MILESTONE_TYPE_LABELS = {
    "event": N_("Event"),
    "milestone": N_("Intermediate milestone"),
    "target": N_("Final target"),
}

FORMULA_LABELS = {
    "trajectory-ratio": N_("Progress divided by the progress expected on the trajectory"),
    "growth-ratio-cagr": N_("Observed over required compound annual growth"),
    "growth-ratio-linear": N_(
        "Observed over required yearly change (linear: a value is zero or negative)"
    ),
    "trend-cagr": N_("Observed compound annual growth, no target"),
    "trend-linear": N_("Observed yearly change relative to the mean level, no target"),
    "event": N_("Event done or not by its due date"),
}

# -- thresholds -------------------------------------------------------------------------------------

# Trajectory method (issue 4): ratio of achieved progress to the progress expected at the same date.
TRAJECTORY_ON_TRACK = 0.95
TRAJECTORY_NEEDS_ACCELERATION = 0.60

# Growth-ratio method (Statistics Canada / Open SDG): R = observed growth / required growth.
GROWTH_RATIO_SUBSTANTIAL = 0.95
GROWTH_RATIO_MODERATE = 0.60
GROWTH_RATIO_LIMITED = 0.0
# Without a target: observed yearly growth (direction-adjusted) against fixed rates.
NO_TARGET_SUBSTANTIAL = 0.015
NO_TARGET_MODERATE = 0.005
NO_TARGET_LIMITED = 0.0
# Trend-only status in the trajectory method: within +/- this yearly growth the trend is "stable".
TREND_STABLE_BAND = 0.005

# Scores -5..+5 (Open SDG): piecewise-linear in R (with a target) or in the growth (without),
# clamped at the ends. Category edges fall on 2.5 / 0 / -2.5 so a score reads like its status.
SCORE_MIN, SCORE_MAX = -5.0, 5.0
SCORE_TARGET_KNOTS = ((-0.6, -5.0), (0.6, 0.0), (1.3, 5.0))
SCORE_NO_TARGET_KNOTS = ((-0.02, -5.0), (0.0, -2.5), (0.005, 0.0), (0.015, 2.5), (0.02, 5.0))
# An event (0/1 milestone): done, not yet due, overdue. Open SDG only says achieved / not achieved.
EVENT_SCORES = {"done": 5.0, "pending": 0.0, "overdue": -2.5}
EVENT_GROWTH_STATUS = {"done": "substantial", "pending": "moderate", "overdue": "limited"}
EVENT_TRAJECTORY_STATUS = {"done": "achieved", "pending": "on-track", "overdue": "off-track"}

# "Moving the wrong way": the latest value is compared with the latest value at least this many
# years older (year on year, so a seasonal or noisy quarter does not count), and with the baseline.
WRONG_WAY_LOOKBACK_YEARS = 1.0

# Projection: weighted least squares, weight = 0.5 ** (age in years / half-life), age counted back
# from the latest point. The band is +/- BAND_K residual standard errors of a new value (fit +
# scatter): a spread of past deviations, NOT a probability.
PROJECTION_HALF_LIFE_YEARS = 2.0
PROJECTION_BAND_K = 1.0
PROJECTION_HORIZON_YEAR = 2030  # where an indicator without a target is projected to (roadmap end)
# A projection is shown only when it means something (else none, with the reason):
# - at least MIN_POINTS values spanning at least MIN_SPAN_YEARS (first to last value);
# - constant growth (log-linear) only for an unbounded count, amount or quantity whose largest
#   value is at least LOG_MIN_LEVEL: a handful of institutes doubling is not a growth rate;
# - the projection and its band stay inside the unit's range (units.csv: % 0-100, rank >= 1,
#   index 0-1, counts >= 0) and within MAX_MULTIPLE times max(|target|, |latest value|); a central
#   value past that multiple is not shown at all (the band is cut at it).
PROJECTION_MIN_POINTS = 3
PROJECTION_MIN_SPAN_YEARS = 2.0
PROJECTION_LOG_MIN_LEVEL = 100.0
PROJECTION_MAX_MULTIPLE = 5.0
# Why no projection is shown (stable codes; the page says it where the projection would be).
PROJECTION_REASONS = {
    "too-few-points": N_("No projection: fewer than {points} values to draw a trend from."),
    "too-short-span": N_(
        "No projection: the values span less than {years} years, too short to extend a trend to {year}."
    ),
    "implausible": N_(
        "No projection: the trend would pass {multiple} times the target or the latest value, which is not a meaningful forecast."
    ),
    "invalid-value": N_("No projection: a stored value is unusable (see the note)."),
}

# A stored value is unusable when it is not a finite number, lies outside its unit's range
# (units.csv) or is larger in magnitude than this (ingest refuses such values; older stores or
# direct writes may hold them). It is left out of every figure and the indicator is flagged.
IMPLAUSIBLE_MAGNITUDE = 1e15

# Freshness: ONE rule for the status flag "No recent report", the Overview's stale badge and the
# Methodology page (kpis/freshness.py applies it; the engine and the Overview both call it). Its terms
# are the reporting calendar's (kpis/calendar.py):
# - a period's figure is DUE `due_days` after the period's last day (the producer's rule in
#   indicators.csv; no rule, as for an international index: due on the period's last day) and
#   OVERDUE from the day after;
# - the NEXT figure is the one of the period after the latest value shown. An event has no periods:
#   until it is done it is expected every EVENT_REPORT_MONTHS (the annual report);
# - the data is STALE once the next figure is overdue by more than STALE_PERIODS_LATE periods, i.e.
#   the figure after it is overdue too: after end + (1 + STALE_PERIODS_LATE) x frequency + due_days
#   (2026-Q1 with 45 days: Q2 due 14 Aug, overdue from 15 Aug; stale from 15 Nov, when Q3 is overdue).
# Why a grace of one period and not none: one late figure is the usual publication lag, which the
# Reporting page chases producer by producer; two in a row means the series has stopped, which is
# what a reader of the Overview must be warned of. Why in periods and not a fixed number of months:
# six months is two quarters but a quarter of a biennial index's cycle. Never stale: no value at all
# ("not enough data" says it), a target reached or an event done (nothing more is owed).
# The calendar's "overdue" differs on purpose in what it counts, not in dates: it chases every
# period owed since the roadmap began (published, non-DEMO values), while "stale" looks at the
# latest value the pages show (DEMO included, as shown).
FREQUENCY_MONTHS = {"quarterly": 3, "annual": 12, "biennial": 24, "event": None}
STALE_PERIODS_LATE = 1
EVENT_REPORT_MONTHS = 12

# Peers (kpis/peers.py): a rank read as the share of the other ranked countries placed below,
# percentile = 100 x (countries ranked - rank) / (countries ranked - 1): 1st = 100, last = 0.

# National value from regions: how a unit rolls up (sum, population-weighted mean, never) is the
# unit's `aggregation` in data/catalog/units.csv (kpis/units.py). A national value derived from
# regions counts (as a latest value, a baseline, for a status) only when every region reported,
# unless the indicator's `national_from_regions` is "partial" (regions without a value have none).

# Regional disparity: counts per 100,000 inhabitants (2024 census); a region lags when its value is
# below LAGGING_RATIO times the national reference (above reference / LAGGING_RATIO for "down").
PER_CAPITA_SCALE = 100_000
LAGGING_RATIO = 0.75

THRESHOLDS = {
    "trajectory_on_track": TRAJECTORY_ON_TRACK,
    "trajectory_needs_acceleration": TRAJECTORY_NEEDS_ACCELERATION,
    "growth_ratio_substantial": GROWTH_RATIO_SUBSTANTIAL,
    "growth_ratio_moderate": GROWTH_RATIO_MODERATE,
    "growth_ratio_limited": GROWTH_RATIO_LIMITED,
    "no_target_substantial": NO_TARGET_SUBSTANTIAL,
    "no_target_moderate": NO_TARGET_MODERATE,
    "no_target_limited": NO_TARGET_LIMITED,
    "trend_stable_band": TREND_STABLE_BAND,
}
PROJECTION_PARAMETERS = {
    "half_life_years": PROJECTION_HALF_LIFE_YEARS,
    "min_points": PROJECTION_MIN_POINTS,
    "min_span_years": PROJECTION_MIN_SPAN_YEARS,
    "log_min_level": PROJECTION_LOG_MIN_LEVEL,
    "max_multiple": PROJECTION_MAX_MULTIPLE,
    "band_k": PROJECTION_BAND_K,
    "band": "prediction +/- k residual standard errors; not a probability",
}

# The rules in words, for the methodology page: (key, msgid, parameters for the placeholders).
METHOD_NOTES = (
    (
        "periods",
        N_(
            "A quarter is dated on its last day, a year on 31 December; baseline, milestone and target years too."
        ),
        {},
    ),
    (
        "rollup",
        N_(
            "Quarters roll up to years by kind: flows are summed (a year with fewer than 4 quarters is marked incomplete), levels and cumulative totals take the last value, an event is done from the first period it is reported done."
        ),
        {},
    ),
    (
        "national",
        N_(
            "The national value is the reported one; where only regions report, it is their sum, or their population-weighted mean for percentages, and is marked as derived with the number of regions it covers (for example 5/12 regions). Such a value is a baseline, a latest value or the ground of a status only when every region reported, unless the catalog says regions without a value have none (national_from_regions = partial); otherwise it is shown as a partial sum and not used. Ranks and indices are never derived."
        ),
        {},
    ),
    (
        "baseline",
        N_(
            "The baseline comes from the catalog; without one, the value of the catalog's baseline year; without that, the first observation, flagged. The Overview, the indicator page and the command line show this same baseline."
        ),
        {},
    ),
    (
        "progress",
        N_(
            "Progress = (latest - baseline) / (target - baseline). It also works for indicators where lower is better. It is stored uncapped and capped between 0 and 100 % for display."
        ),
        {},
    ),
    (
        "trajectory",
        N_(
            "The expected path runs in straight lines from the baseline through each milestone to the target. Progress is compared with the progress expected at the date of the latest value, so a publication delay is not a failure: on track from {on_track} of the expected progress, needs acceleration from {needs}, off track below or when moving away from the target."
        ),
        {"on_track": f"{TRAJECTORY_ON_TRACK:.0%}", "needs": f"{TRAJECTORY_NEEDS_ACCELERATION:.0%}"},
    ),
    (
        "growth",
        N_(
            "Growth ratio: observed compound annual growth since the baseline divided by the growth required to reach the target on time; substantial from {high}, moderate from {mid}, limited from 0, deterioration below. Where a value is zero or negative, yearly changes replace growth rates."
        ),
        {"high": f"{GROWTH_RATIO_SUBSTANTIAL:.2f}", "mid": f"{GROWTH_RATIO_MODERATE:.2f}"},
    ),
    (
        "no_target",
        N_(
            "Without a target no target is invented: the indicator is judged on its observed yearly growth (substantial from {high}, moderate from {mid}, limited from 0 %)."
        ),
        {"high": f"{NO_TARGET_SUBSTANTIAL:.1%}", "mid": f"{NO_TARGET_MODERATE:.1%}"},
    ),
    (
        "score",
        N_(
            "Each indicator gets a score from -5 to +5 from its growth ratio or growth; a pillar's score is the mean of its indicators' scores."
        ),
        {},
    ),
    (
        "projection",
        N_(
            "Projection: a weighted least-squares trend where a point {half_life} years older weighs half as much. It needs at least {points} values spanning at least {years} years; otherwise no projection is shown and the page says why. Constant growth (log-linear) is used only for counts, amounts and quantities that reach at least {level} and where it fits better; percentages, ranks, indices and small counts follow a straight line. The projection and its band stay inside the unit's range (0 to 100 % for a percentage, rank 1 or more) and within {multiple} times the larger of the target and the latest value; a trend that would pass that is not shown. The band is plus or minus one residual standard error: it shows past scatter and is not a probability."
        ),
        {
            "half_life": f"{PROJECTION_HALF_LIFE_YEARS:g}",
            "points": str(PROJECTION_MIN_POINTS),
            "years": f"{PROJECTION_MIN_SPAN_YEARS:g}",
            "level": f"{PROJECTION_LOG_MIN_LEVEL:g}",
            "multiple": f"{PROJECTION_MAX_MULTIPLE:g}",
        },
    ),
    (
        "stale",
        N_(
            "A figure is due a set number of days after its period ends (the producer's due date in the reporting calendar; the period's last day when there is none) and is overdue from the next day. A value is stale, marked “No recent report”, when the figure of the next period has been overdue for more than {late}: by then the figure after it is overdue too. An event not yet done is expected every {event}. A value whose target is reached, or an event done, is never stale."
        ),
        {"late": f"{STALE_PERIODS_LATE} period", "event": f"{EVENT_REPORT_MONTHS} months"},
    ),
    (
        "disparity",
        N_(
            "Regional disparity compares values per {scale} inhabitants (2024 census) or percentages; a region lags below {ratio} of the national level."
        ),
        {"scale": f"{PER_CAPITA_SCALE:,}", "ratio": f"{LAGGING_RATIO:.0%}"},
    ),
    (
        "as_of",
        N_(
            "Any figure can be recomputed as known on a past date: only the data loaded by then is used and that date is taken as today."
        ),
        {},
    ),
)


# -- formulas (numpy arrays in, arrays out; scalars work too) -------------------------------------


def _f(x):
    return np.asarray(x, dtype=float)


def progress(latest, baseline, target):
    """(latest - baseline) / (target - baseline); NaN when the target equals the baseline."""
    latest, baseline, target = _f(latest), _f(baseline), _f(target)
    span = target - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span != 0, (latest - baseline) / np.where(span != 0, span, 1.0), np.nan)


def cagr(v0, v1, years):
    """Compound annual growth (v1/v0)^(1/years) - 1; NaN unless both values are > 0 and years > 0."""
    v0, v1, years = _f(v0), _f(v1), _f(years)
    ok = (v0 > 0) & (v1 > 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (
            np.power(np.where(ok, v1, 1.0) / np.where(ok, v0, 1.0), 1.0 / np.where(ok, years, 1.0))
            - 1
        )
    return np.where(ok, out, np.nan)


def linear_rate(v0, v1, years):
    """Change per year (v1 - v0) / years, in the indicator's unit."""
    v0, v1, years = _f(v0), _f(v1), _f(years)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(years > 0, (v1 - v0) / np.where(years > 0, years, 1.0), np.nan)


def midpoint_rate(v0, v1, years):
    """Yearly change relative to the mean absolute level (|v0| + |v1|) / 2: defined for zero and
    negative values (where a compound rate is not), 0 when both values are 0."""
    v0, v1 = _f(v0), _f(v1)
    level = (np.abs(v0) + np.abs(v1)) / 2
    rate = linear_rate(v0, v1, years)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            level > 0, rate / np.where(level > 0, level, 1.0), np.where(np.isnan(rate), np.nan, 0.0)
        )


def growth(v0, v1, years):
    """Yearly growth: compound when both values are > 0 (basis 'cagr'), else the midpoint rate ('linear')."""
    c = cagr(v0, v1, years)
    use_cagr = ~np.isnan(c)
    return np.where(use_cagr, c, midpoint_rate(v0, v1, years)), use_cagr


def growth_ratio(baseline, latest, target, years_observed, years_required):
    """R = observed / required growth from the baseline (Statistics Canada / Open SDG).

    Compound rates when baseline, latest and target are all > 0 (basis 'cagr'); otherwise the ratio of
    yearly changes in units, (latest - baseline)/years_observed over (target - baseline)/years_required
    (basis 'linear'), which needs no replacement of a zero by 0.001. NaN when the target equals the baseline.
    """
    b, lv, tv = _f(baseline), _f(latest), _f(target)
    use_cagr = (b > 0) & (lv > 0) & (tv > 0)
    obs_c, req_c = cagr(b, lv, years_observed), cagr(b, tv, years_required)
    obs_l, req_l = linear_rate(b, lv, years_observed), linear_rate(b, tv, years_required)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_c = np.where(req_c != 0, obs_c / np.where(req_c != 0, req_c, 1.0), np.nan)
        r_l = np.where(req_l != 0, obs_l / np.where(req_l != 0, req_l, 1.0), np.nan)
    return np.where(use_cagr, r_c, r_l), use_cagr


def _interp(x, knots):
    xs, ys = zip(*knots, strict=True)
    x = _f(x)
    return np.where(np.isnan(x), np.nan, np.interp(np.nan_to_num(x), xs, ys))


def score_with_target(ratio):
    """Score -5..+5 from the growth ratio R: -5 at R <= -0.6, 0 at 0.6, +5 at R >= 1.3, linear between."""
    return _interp(ratio, SCORE_TARGET_KNOTS)


def score_without_target(g):
    """Score -5..+5 from the direction-adjusted yearly growth (no target): -5 at -2 %, +5 at +2 %."""
    return _interp(g, SCORE_NO_TARGET_KNOTS)


def classify_growth_ratio(ratio):
    r = np.atleast_1d(_f(ratio))
    out = np.select(
        [r >= GROWTH_RATIO_SUBSTANTIAL, r >= GROWTH_RATIO_MODERATE, r >= GROWTH_RATIO_LIMITED],
        ["substantial", "moderate", "limited"],
        "deterioration",
    ).astype(object)
    out[np.isnan(r)] = "no-data"
    return out


def classify_no_target(g):
    g = np.atleast_1d(_f(g))
    out = np.select(
        [g >= NO_TARGET_SUBSTANTIAL, g >= NO_TARGET_MODERATE, g >= NO_TARGET_LIMITED],
        ["substantial", "moderate", "limited"],
        "deterioration",
    ).astype(object)
    out[np.isnan(g)] = "no-data"
    return out


def classify_trend(g):
    g = np.atleast_1d(_f(g))
    out = np.select(
        [g > TREND_STABLE_BAND, g < -TREND_STABLE_BAND], ["improving", "worsening"], "stable"
    )
    out = out.astype(object)
    out[np.isnan(g)] = "no-data"
    return out


def classify_trajectory(ratio, achieved, wrong_way):
    """achieved > moving the wrong way (off track) > ratio thresholds; NaN ratio = not enough data."""
    r = np.atleast_1d(_f(ratio))
    out = np.select(
        [r >= TRAJECTORY_ON_TRACK, r >= TRAJECTORY_NEEDS_ACCELERATION],
        ["on-track", "needs-acceleration"],
        "off-track",
    ).astype(object)
    out[np.isnan(r)] = "no-data"
    out[np.asarray(wrong_way, bool) & ~np.isnan(r)] = "off-track"
    out[np.asarray(achieved, bool)] = "achieved"
    return out


def aggregation(unit: str) -> str | None:
    """How regions make a national value: 'sum', 'mean' (population-weighted) or None (never),
    from the unit's row of data/catalog/units.csv."""
    from .units import aggregation as _aggregation

    return _aggregation(unit)


def is_intensive(unit: str) -> bool:
    """A value comparable between regions and the nation as is (a percentage, rank or index)."""
    from .units import is_intensive as _is_intensive

    return _is_intensive(unit)
