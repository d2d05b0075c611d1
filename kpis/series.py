"""Series by period: catalog observations dated, national values derived from regions, quarters rolled up to years.

Three frames, vectorised over every indicator at once (numpy on integer codes, no per-series loop):
- `native_series`: one point per (indicator, region, period) as reported, plus derived national points;
- `yearly_series`: one point per (indicator, region, year), rolled up by the indicator's kind;
- `assessment_series`: the points a status is judged on (years for flows, reported periods otherwise).

Points are keyed by `ind` (position of the indicator in the catalog) and `reg` (0 = national, i = the
i-th region of inputs.regions, 1-based); `obs_row` is the row in inputs.observations the value comes
from (-1 for a derived value), so provenance is looked up only when it is shown. `labelled()` adds
the indicator code, ISO region and period text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .inputs import KpiInputs
from .methods import aggregation
from .periods import parse_periods

POINT_COLUMNS = (
    "ind",
    "reg",
    "year",
    "quarter",
    "t",
    "value",
    "demo",
    "revised",
    "derived",
    "n_regions",
    "partial",
    "obs_row",
)


def codes(inputs: KpiInputs, indicators, regions) -> tuple[np.ndarray, np.ndarray]:
    """Indicator codes -> catalog positions (-1 unknown); ISO codes -> 1-based region index, '' -> 0 (-1 unknown)."""
    ind = pd.Index(inputs.indicators["code"]).get_indexer(pd.Index(indicators))
    regions = pd.Index(regions)
    reg = pd.Index(inputs.regions["iso"]).get_indexer(regions) + 1
    reg = np.where(np.asarray(regions == ""), 0, np.where(reg > 0, reg, -1))
    return ind, reg


def period_labels(year, quarter) -> np.ndarray:
    year = np.asarray(year, np.int64)
    quarter = np.asarray(quarter, np.int64)
    combo = year * 8 + quarter
    uniq, inv = np.unique(combo, return_inverse=True)
    text = np.array([f"{u // 8}-Q{u % 8}" if u % 8 else str(u // 8) for u in uniq], dtype=object)
    return text[inv] if len(combo) else np.empty(0, dtype=object)


def labelled(points: pd.DataFrame, inputs: KpiInputs) -> pd.DataFrame:
    """Add indicator (code), region (ISO, '' national) and period (text) to a frame of points."""
    codes_ = inputs.indicators["code"].to_numpy(dtype=object)
    isos = np.r_[np.array([""], dtype=object), inputs.regions["iso"].to_numpy(dtype=object)]
    out = points.copy()
    out.insert(0, "indicator", codes_[points["ind"].to_numpy()] if len(points) else [])
    out.insert(1, "region", isos[points["reg"].to_numpy()] if len(points) else [])
    q = points["quarter"] if "quarter" in points else np.zeros(len(points), np.int64)
    out.insert(2, "period", period_labels(points["year"], q))
    return out


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Catalog order, national first, then time; at the same date a whole-year value comes last."""
    order = np.lexsort(
        (
            frame["quarter"].to_numpy() == 0,
            frame["t"].to_numpy(),
            frame["reg"].to_numpy(),
            frame["ind"].to_numpy(),
        )
    )
    return frame.iloc[order].reset_index(drop=True)


def reported_points(inputs: KpiInputs) -> pd.DataFrame:
    """Observations of catalog indicators, dated. Regional rows of an indicator that is not reported
    by region, or of a region outside the catalog, are left out (the upload refuses them anyway)."""
    obs = inputs.observations
    ind, reg = codes(inputs, obs["indicator"], obs["region"])
    by_region = inputs.indicators["by_region"].to_numpy(bool)
    keep = (ind >= 0) & ((reg == 0) | ((reg > 0) & by_region[np.clip(ind, 0, None)]))
    rows = np.flatnonzero(keep)
    per = parse_periods(obs["period"].iloc[rows])
    n = len(rows)
    return pd.DataFrame(
        {
            "ind": ind[rows],
            "reg": reg[rows],
            "year": per["year"].to_numpy(),
            "quarter": per["quarter"].to_numpy(),
            "t": per["t"].to_numpy(),
            "value": obs["value"].to_numpy(float)[rows],
            "demo": obs["demo"].to_numpy(bool)[rows],
            "revised": obs["revised"].to_numpy(bool)[rows],
            "derived": np.zeros(n, bool),
            "n_regions": np.full(n, np.nan),
            "partial": np.zeros(n, bool),
            "obs_row": rows,
        }
    )


def _period_key(f: pd.DataFrame) -> np.ndarray:
    return f["ind"].to_numpy() * 1_000_000 + f["year"].to_numpy() * 8 + f["quarter"].to_numpy()


def derive_national(points: pd.DataFrame, inputs: KpiInputs) -> pd.DataFrame:
    """National points for the periods where only regions reported (flagged derived).

    Sum for counts and amounts, population-weighted mean for percentages, never for ranks/indices.
    Levels and cumulative totals are stocks: a region that did not report in a period keeps its last
    reported value (an institute opened in 2025 still exists in 2026); flows are not carried forward.
    """
    info = inputs.indicators
    how = np.array([aggregation(u) for u in info["unit"]], dtype=object)
    kind = info["kind"].to_numpy(dtype=object)
    derivable = (
        info["by_region"].to_numpy(bool)
        & np.array([h is not None for h in how], bool)
        & (kind != "milestone")
    )
    n_cols = len(inputs.regions)
    sel = (points["reg"].to_numpy() > 0) & derivable[points["ind"].to_numpy()]
    reg = points[sel]
    if reg.empty:
        return points.iloc[0:0]
    order = np.lexsort((reg["quarter"].to_numpy(), reg["t"].to_numpy(), reg["ind"].to_numpy()))
    reg = reg.iloc[order]
    ind, t, q = reg["ind"].to_numpy(), reg["t"].to_numpy(), reg["quarter"].to_numpy()
    new = np.r_[True, (ind[1:] != ind[:-1]) | (t[1:] != t[:-1]) | (q[1:] != q[:-1])]
    row = np.cumsum(new) - 1
    n_rows = int(row[-1]) + 1
    col = reg["reg"].to_numpy() - 1

    values = np.full((n_rows, n_cols), np.nan)
    values[row, col] = reg["value"].to_numpy(float)
    demo = np.zeros((n_rows, n_cols), bool)
    demo[row, col] = reg["demo"].to_numpy(bool)
    revised = np.zeros((n_rows, n_cols), bool)
    revised[row, col] = reg["revised"].to_numpy(bool)

    first = np.flatnonzero(new)
    r_ind = ind[first]
    starts = np.flatnonzero(np.r_[True, r_ind[1:] != r_ind[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, n_rows]))

    # Last observation carried forward within an indicator, for stocks only.
    valid = ~np.isnan(values)
    last = np.maximum.accumulate(np.where(valid, np.arange(n_rows)[:, None], -1), axis=0)
    carried_ok = last >= group_start[:, None]
    cols = np.arange(n_cols)[None, :]
    take = np.clip(last, 0, None)
    stock = np.isin(kind[r_ind], ("level", "cumulative"))[:, None]
    used = np.where(stock, carried_ok, valid)
    vals = np.where(used, np.where(stock, values[take, cols], values), np.nan)
    dem = used & np.where(stock, demo[take, cols], demo)
    rev = used & np.where(stock, revised[take, cols], revised)

    n_used = used.sum(axis=1)
    pop = inputs.regions["population_2024"].to_numpy(float)[None, :]
    total = np.nansum(vals, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        wmean = np.nansum(vals * pop, axis=1) / (used * pop).sum(axis=1)
    out = pd.DataFrame(
        {
            "ind": r_ind,
            "reg": np.zeros(n_rows, np.int64),
            "year": reg["year"].to_numpy()[first],
            "quarter": q[first],
            "t": t[first],
            "value": np.where(how[r_ind] == "mean", wmean, total),
            "demo": dem.any(axis=1),
            "revised": rev.any(axis=1),
            "derived": np.ones(n_rows, bool),
            "n_regions": n_used.astype(float),
            "partial": n_used < n_cols,
            "obs_row": np.full(n_rows, -1),
        }
    )
    out = out[n_used > 0]
    # A reported national value always wins over a derived one for the same period.
    nat = points[points["reg"].to_numpy() == 0]
    if len(nat):
        out = out[~np.isin(_period_key(out), _period_key(nat))]
    return out


def native_series(inputs: KpiInputs) -> pd.DataFrame:
    """Every reported point plus the derived national points, in catalog order, national first, by time."""
    pts = reported_points(inputs)
    derived = derive_national(pts, inputs)
    allpts = pd.concat([pts, derived], ignore_index=True) if len(derived) else pts
    return _sorted(allpts)


def _bounds(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(keys[0])
    change = np.zeros(n, bool)
    if n:
        change[0] = True
        for k in keys:
            change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    return starts, np.r_[starts[1:], n].astype(np.int64)


YEARLY_COLUMNS = (
    "ind",
    "reg",
    "year",
    "t",
    "value",
    "n_quarters",
    "complete",
    "demo",
    "revised",
    "derived",
    "partial",
    "n_regions",
    "obs_row",
    "last_year",
    "last_quarter",
)


def yearly_series(native: pd.DataFrame, inputs: KpiInputs) -> pd.DataFrame:
    """One point per (indicator, region, year), by kind:
    flow = reported whole-year value, else the sum of the quarters (fewer than 4 = incomplete);
    level / cumulative = the last value of the year; milestone = the highest value of the year (1 = done).
    `t` is 31 December for a complete year, else the end of the last period reported."""
    if native.empty:
        return pd.DataFrame(
            {c: native[c] if c in native else pd.Series([], dtype=float) for c in YEARLY_COLUMNS}
        )
    kind = inputs.indicators["kind"].to_numpy(dtype=object)
    ind, reg, year = native["ind"].to_numpy(), native["reg"].to_numpy(), native["year"].to_numpy()
    starts, ends = _bounds(ind, reg, year)
    last = ends - 1
    quarter = native["quarter"].to_numpy()
    value = native["value"].to_numpy(float)
    is_q = quarter > 0
    qsum = np.add.reduceat(np.where(is_q, value, 0.0), starts)
    nq = np.add.reduceat(is_q.astype(np.int64), starts)
    has_annual = np.add.reduceat((~is_q).astype(np.int64), starts) > 0
    vmax = np.maximum.reduceat(value, starts)
    gkind = kind[ind[starts]]
    flow, milestone = gkind == "flow", gkind == "milestone"
    summed = flow & ~has_annual
    out_value = np.where(summed, qsum, np.where(milestone, vmax, value[last]))
    complete = has_annual | np.where(flow, nq == 4, quarter[last] == 4)

    def any_(col):
        arr = native[col].to_numpy(bool)
        grp = np.add.reduceat(arr.astype(np.int64), starts) > 0
        return np.where(summed, grp, arr[last])

    yrs = year[starts]
    return pd.DataFrame(
        {
            "ind": ind[starts],
            "reg": reg[starts],
            "year": yrs,
            "t": np.where(complete, yrs + 1.0, native["t"].to_numpy()[last]),
            "value": out_value,
            "n_quarters": np.where(has_annual, 4, nq),
            "complete": complete,
            "demo": any_("demo"),
            "revised": any_("revised"),
            "derived": any_("derived"),
            "partial": any_("partial"),
            "n_regions": native["n_regions"].to_numpy()[last],
            "obs_row": native["obs_row"].to_numpy()[last],
            "last_year": year[last],
            "last_quarter": quarter[last],
        }
    )


ASSESSMENT_COLUMNS = (
    "ind",
    "reg",
    "year",
    "quarter",
    "t",
    "value",
    "complete",
    "demo",
    "revised",
    "derived",
    "partial",
    "n_regions",
    "obs_row",
    "last_year",
    "last_quarter",
)


def assessment_series(
    native: pd.DataFrame, yearly: pd.DataFrame, inputs: KpiInputs
) -> pd.DataFrame:
    """The points a status is judged on: yearly totals for flows (a quarter of a flow is not comparable
    with a yearly target), reported periods for the other kinds (a whole-year value wins over Q4).
    Sorted by indicator, region, time."""
    is_flow = inputs.indicators["kind"].to_numpy(dtype=object) == "flow"
    y = yearly[is_flow[yearly["ind"].to_numpy()]] if len(yearly) else yearly
    s = native[~is_flow[native["ind"].to_numpy()]] if len(native) else native
    ind, reg, t = s["ind"].to_numpy(), s["reg"].to_numpy(), s["t"].to_numpy()
    dup_next = np.r_[(ind[1:] == ind[:-1]) & (reg[1:] == reg[:-1]) & (t[1:] == t[:-1]), False][
        : len(s)
    ]
    s = s[~dup_next]  # sorted with the whole-year value last at a date: keep the last
    s = s.assign(complete=True, last_year=s["year"], last_quarter=s["quarter"])
    y = y.assign(quarter=0)
    parts = [f[list(ASSESSMENT_COLUMNS)] for f in (s, y) if len(f)]
    frame = pd.concat(parts, ignore_index=True) if parts else s[list(ASSESSMENT_COLUMNS)]
    order = np.lexsort((frame["t"].to_numpy(), frame["reg"].to_numpy(), frame["ind"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)
