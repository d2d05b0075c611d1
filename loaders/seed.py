"""First-run data: the real published observations from the catalog (each loaded as of its publication date), and the optional deterministic DEMO series."""

from __future__ import annotations

import datetime as dt
import math
import zlib
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import sqlalchemy as sa

from .catalog import Catalog, period_start
from .store import NATIONAL, Store, batch, observation, utcnow

DEMO_START_YEAR = 2024
PUBLIC_USER = "marsad (reference data)"
DEMO_USER = "marsad (demo generator)"
PUBLIC_FILES = "data/catalog/observations_public.csv"
# Publication dates are Moroccan calendar days.
MOROCCO = ZoneInfo("Africa/Casablanca")


def published_at(day: dt.date) -> dt.datetime:
    """The loaded-at time of a figure published on `day`: the start of that day in Morocco, as naive
    UTC like every batch time, so "as known on" that day or later shows it and any earlier day does not."""
    start = dt.datetime.combine(day, dt.time(), MOROCCO)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def _public_held(conn) -> dict[tuple[str, str, str], tuple[float, int, dt.datetime, int]]:
    """For each key the reference batches hold: (latest value, its batch, that batch's loaded-at time,
    number of non-DEMO versions of the key in any batch)."""
    key = (observation.c.indicator, observation.c.period, observation.c.region)
    sql = (
        sa.select(
            *key,
            observation.c.value,
            observation.c.batch_id,
            batch.c.created_at,
            batch.c.origin,
            batch.c.undone_at,
            sa.func.count().over(partition_by=key).label("versions"),
        )
        .join(batch, batch.c.batch_id == observation.c.batch_id)
        .where(observation.c.demo.is_(False))
        .order_by(observation.c.batch_id)
    )
    held = {}
    for r in conn.execute(sql):
        if r.origin == "public" and r.undone_at is None:
            held[(r.indicator, r.period, r.region)] = (
                r.value,
                r.batch_id,
                r.created_at,
                r.versions,
            )
    return held


def seed_public_observations(store: Store, conn, catalog: Catalog) -> list[int]:
    """Load observations_public.csv as one batch per publication date, loaded at that date.

    Only figures the reference batches do not already hold with the same value are loaded, so a
    re-seed after a catalog change adds the new and corrected figures and nothing twice; comparing
    with the reference batches only (not uploads) keeps a revision someone uploaded the current value.
    A figure already held with the same value but loaded at another time (a database seeded before
    publication dates existed, or a corrected date) moves to the batch of its publication date when
    it is the key's only version, so it is re-dated, not duplicated; a reference batch left empty by
    that is removed. Returns the new batch ids, oldest publication first.
    """
    held = _public_held(conn)
    rows, moves = [], []
    for row_number, o in catalog.observations:
        key = (o.indicator, o.period, o.region or NATIONAL)
        if key in held and held[key][0] == o.value:
            _, old_batch, loaded_at, versions = held[key]
            if loaded_at != published_at(o.published) and versions == 1:
                moves.append({"published": o.published, "key": key, "old_batch": old_batch})
            continue
        rows.append(
            {
                "published": o.published,
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
    batch_ids = []
    for day in sorted({r["published"] for r in rows} | {m["published"] for m in moves}):
        batch_id = store.new_batch(
            conn,
            user=PUBLIC_USER,
            origin="public",
            files=PUBLIC_FILES,
            demo=False,
            created_at=published_at(day),
        )
        new = [
            {k: v for k, v in r.items() if k != "published"} | {"batch_id": batch_id}
            for r in rows
            if r["published"] == day
        ]
        n = store.bulk_insert_observations(conn, pa.Table.from_pylist(new)) if new else 0
        for m in (m for m in moves if m["published"] == day):
            indicator, period, region = m["key"]
            conn.execute(
                sa.update(observation)
                .where(
                    observation.c.batch_id == m["old_batch"],
                    observation.c.indicator == indicator,
                    observation.c.period == period,
                    observation.c.region == region,
                )
                .values(batch_id=batch_id)
            )
            n += 1  # the key's only version: exactly one row
        conn.execute(
            sa.update(batch).where(batch.c.batch_id == batch_id).values(rows=n, inserted=n)
        )
        batch_ids.append(batch_id)
    for old in {m["old_batch"] for m in moves}:
        left = conn.execute(
            sa.select(sa.func.count()).where(observation.c.batch_id == old)
        ).scalar_one()
        if left:
            conn.execute(
                sa.update(batch).where(batch.c.batch_id == old).values(rows=left, inserted=left)
            )
        else:
            conn.execute(sa.delete(batch).where(batch.c.batch_id == old))
    return batch_ids


def last_complete_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3  # quarters finished this year
    return (today.year, q) if q else (today.year - 1, 4)


def _quarters(until: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, q) = [], (DEMO_START_YEAR, 1)
    while (y, q) <= until:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out


def _anchor(catalog: Catalog, ind) -> tuple[float | None, int | None]:
    """Where a DEMO series starts: the baseline, else the latest published national figure."""
    if ind.baseline_value is not None:
        return ind.baseline_value, ind.baseline_year
    published = [
        (period_start(o.period), o.value)
        for _, o in catalog.observations
        if o.indicator == ind.code and not o.region
    ]
    if published:
        start, value = max(published)
        return value, start.year
    return None, None


def demo_rows(catalog: Catalog, today: dt.date | None = None) -> list[dict]:
    """Illustrative series from 2024-Q1 to the last complete quarter: deterministic per indicator code.

    Every value is inside its unit's range and written with its unit's decimals (whole ranks and
    counts, percentages up to 100, index scores within 0-1), and stays near the indicator's own
    scale (baseline, published figures, target). A regional indicator gets a value in every region.
    """
    today = today or dt.date.today()
    quarters = _quarters(last_complete_quarter(today))
    pops = np.array([r.population_2024 for r in catalog.regions], dtype=float)
    shares = pops / pops.sum()
    rows = []
    for ind in catalog.indicators:
        unit = catalog.unit(ind.code)
        rng = np.random.default_rng(zlib.crc32(ind.code.encode()))
        base, base_year = _anchor(catalog, ind)
        target = ind.target_value
        if base is None:
            base = (target * 0.25) if target else 100.0
        if target is None:
            target = base * (0.8 if ind.direction == "down" else 1.3)
        t0 = dt.date(base_year or 2023, 12, 31)
        t1 = dt.date(max(ind.target_year or 2030, t0.year + 1), 12, 31)
        pace = rng.uniform(0.5, 1.15)  # some indicators lag, some run ahead

        def value_at(y: int, q: int, _p=(base, target, t0, t1, pace, rng)) -> float:
            return _trend_value(*_p, dt.date(y, 3 * q, 1))

        if ind.kind == "milestone":
            if not quarters:
                continue
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
        if ind.kind == "cumulative" and points:
            vals = np.maximum.accumulate([v for _, v in points])
            points = [(p, float(v)) for (p, _), v in zip(points, vals, strict=True)]

        # Stable regional disparities per indicator, drawn once.
        tilt = rng.uniform(0.6, 1.4, len(shares)) if ind.by_region else None
        for (y, q), v in points:
            period = f"{y}-Q{q}" if q else str(y)
            if ind.by_region:
                if unit.aggregation != "sum":  # a rate or score: each region near the national one
                    regional = v * tilt
                else:  # a count or amount: the national value shared out
                    w = shares * tilt / (shares * tilt).sum()
                    regional = v * w
                for r, rv in zip(catalog.regions, regional, strict=True):
                    rows.append(_row(ind, period, r.iso, _in_unit(unit, rv)))
            else:
                rows.append(_row(ind, period, NATIONAL, _in_unit(unit, v)))
    return [r for r in rows if not math.isnan(r["value"])]


def _in_unit(unit, value: float) -> float:
    """A DEMO value held in its unit's range and rounded to its unit's decimals."""
    return round(unit.clamp(float(value)), unit.decimals)


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
