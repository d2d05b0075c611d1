"""First-run data: the real published observations from the catalog, and the optional deterministic DEMO series."""

from __future__ import annotations

import datetime as dt
import math
import zlib

import numpy as np
import pyarrow as pa
import sqlalchemy as sa

from .catalog import Catalog
from .store import NATIONAL, Store, batch, observation, utcnow

DEMO_START_YEAR = 2024
# Things counted one by one: demo values for them are whole numbers (no "5.86 institutes").
COUNT_UNITS = {
    "jobs",
    "people",
    "people/yr",
    "institutes",
    "startups",
    "services",
    "sites",
    "zones",
}
PUBLIC_USER = "marsad (reference data)"
DEMO_USER = "marsad (demo generator)"


def _current_values(conn) -> dict[tuple[str, str, str], float]:
    sql = sa.text(Store.current_sql())
    return {(r.indicator, r.period, r.region): r.value for r in conn.execute(sql, {"cutoff": None})}


def seed_public_observations(store: Store, conn, catalog: Catalog) -> int | None:
    """Load observations_public.csv as one batch; only values new or different from the current ones."""
    current = _current_values(conn)
    rows = []
    for row_number, o in catalog.observations:
        key = (o.indicator, o.period, o.region or NATIONAL)
        if key in current and current[key] == o.value:
            continue
        rows.append(
            {
                "indicator": o.indicator,
                "period": o.period,
                "region": o.region or NATIONAL,
                "value": o.value,
                "unit": catalog.indicator(o.indicator).unit,
                "comment": o.note or None,
                "source": o.source,
                "file": "observations_public.csv",
                "sheet": None,
                "row_number": row_number,
                "demo": False,
            }
        )
    if not rows:
        return None
    batch_id = store.new_batch(
        conn,
        user=PUBLIC_USER,
        origin="public",
        files="data/catalog/observations_public.csv",
        demo=False,
    )
    table = pa.Table.from_pylist([{**r, "batch_id": batch_id} for r in rows])
    n = store.bulk_insert_observations(conn, table)
    conn.execute(sa.update(batch).where(batch.c.batch_id == batch_id).values(rows=n, inserted=n))
    return batch_id


def last_complete_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3  # quarters finished this year
    return (today.year, q) if q else (today.year - 1, 4)


def _quarters(until: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, q) = [], (DEMO_START_YEAR, 1)
    while (y, q) <= until:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out


def demo_rows(catalog: Catalog, today: dt.date | None = None) -> list[dict]:
    """Illustrative series from 2024-Q1 to the last complete quarter: deterministic per indicator code."""
    today = today or dt.date.today()
    quarters = _quarters(last_complete_quarter(today))
    pops = np.array([r.population_2024 for r in catalog.regions], dtype=float)
    shares = pops / pops.sum()
    rows = []
    for ind in catalog.indicators:
        rng = np.random.default_rng(zlib.crc32(ind.code.encode()))
        base = ind.baseline_value
        target = ind.target_value
        if base is None:
            base = (target * 0.25) if target else 100.0
        if target is None:
            target = base * (0.8 if ind.direction == "down" else 1.3)
        t0 = dt.date(ind.baseline_year or 2023, 12, 31)
        t1 = dt.date(ind.target_year or 2030, 12, 31)
        pace = rng.uniform(0.5, 1.15)  # some indicators lag, some run ahead

        def value_at(y: int, q: int, _p=(base, target, t0, t1, pace, rng)) -> float:
            return _trend_value(*_p, dt.date(y, 3 * q, 1))

        if ind.kind == "milestone":
            done_at = quarters[int(rng.integers(len(quarters) // 2, len(quarters)))]
            points = [((y, q), 1.0 if (y, q) >= done_at else 0.0) for (y, q) in quarters]
        elif ind.frequency == "biennial":
            points = [
                ((y, None), value_at(y, 4))
                for y in range(DEMO_START_YEAR, today.year)
                if y % 2 == 0
            ]
        elif ind.kind == "flow":
            # A yearly flow reported by quarter: each quarter carries a quarter of the year's value.
            points = [
                ((y, q), value_at(y, 4) / 4 * (1 + rng.normal(0, 0.05))) for (y, q) in quarters
            ]
        else:
            points = [((y, q), value_at(y, q)) for (y, q) in quarters]
        if ind.kind == "cumulative":
            vals = np.maximum.accumulate([v for _, v in points])
            points = [(p, float(v)) for (p, _), v in zip(points, vals, strict=True)]

        for (y, q), v in points:
            period = f"{y}-Q{q}" if q else str(y)
            decimals = (
                0 if (abs(v) >= 100 or ind.kind == "milestone" or ind.unit in COUNT_UNITS) else 2
            )
            if ind.by_region:
                tilt = rng.uniform(
                    0.6, 1.4, len(shares)
                )  # stable regional disparities per indicator
                w = shares * tilt / (shares * tilt).sum()
                for r, share in zip(catalog.regions, w, strict=True):
                    rv = v if ind.unit == "%" else v * share
                    if ind.unit == "%":
                        rv = min(100.0, v * tilt[catalog.regions.index(r)])
                    rows.append(_row(ind, period, r.iso, round(rv, decimals)))
            else:
                rows.append(_row(ind, period, NATIONAL, round(v, decimals)))
    return [r for r in rows if not math.isnan(r["value"])]


def _trend_value(base, target, t0, t1, pace, rng, end: dt.date) -> float:
    frac = max(0.0, (end - t0).days / max((t1 - t0).days, 1)) * pace
    v = base + (target - base) * min(frac, 1.2)
    return v * (1 + rng.normal(0, 0.02))


def _row(ind, period, region_iso, value) -> dict:
    return {
        "indicator": ind.code,
        "period": period,
        "region": region_iso,
        "value": float(value),
        "unit": ind.unit,
        "comment": None,
        "source": "DEMO (illustrative, generated by Marsad)",
        "file": "demo",
        "sheet": None,
        "row_number": None,
        "demo": True,
    }


def add_demo(store: Store, catalog: Catalog, today: dt.date | None = None) -> int:
    """Add the DEMO batch (replacing an earlier one); returns its batch id."""
    rows = demo_rows(catalog, today)
    with store.begin() as conn:
        _delete_demo(conn)
        batch_id = store.new_batch(conn, user=DEMO_USER, origin="demo", files="demo", demo=True)
        table = pa.Table.from_pylist([{**r, "batch_id": batch_id} for r in rows])
        n = store.bulk_insert_observations(conn, table)
        conn.execute(
            sa.update(batch).where(batch.c.batch_id == batch_id).values(rows=n, inserted=n)
        )
    return batch_id


def _delete_demo(conn) -> int:
    ids = [r[0] for r in conn.execute(sa.select(batch.c.batch_id).where(batch.c.origin == "demo"))]
    if ids:
        conn.execute(sa.delete(observation).where(observation.c.batch_id.in_(ids)))
        conn.execute(sa.delete(batch).where(batch.c.batch_id.in_(ids)))
    return len(ids)


def remove_demo(store: Store) -> int:
    """Remove every DEMO batch. Demo values record nothing real, so they are deleted, not undone."""
    with store.begin() as conn:
        return _delete_demo(conn)


def has_demo(store: Store) -> bool:
    with store.begin() as conn:
        return bool(
            conn.execute(sa.select(sa.func.count()).where(batch.c.origin == "demo")).scalar()
        )


__all__ = ["add_demo", "remove_demo", "has_demo", "seed_public_observations", "demo_rows", "utcnow"]
