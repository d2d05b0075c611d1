"""The Upload page's view: preview and problem tables, regional coverage of an upload, template rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from loaders.i18n import fmt_number, fmt_period, name_col, translator

from . import units

PREVIEW_ROWS = 200  # rows shown per table; the counts above them are complete


@dataclass(frozen=True)
class Names:
    """The catalog's names the Upload page shows, in one language."""

    lang: str
    indicators: dict[str, str]
    units: dict[str, str]
    regions: dict[str, str]
    regional: frozenset[str]  # codes of the indicators reported by region

    @classmethod
    def of(cls, catalog: dict[str, pd.DataFrame], lang: str) -> Names:
        ind, reg, col = catalog["indicator"], catalog["region"], name_col(lang)
        return cls(
            lang,
            dict(zip(ind["code"], ind[col], strict=True)),
            dict(zip(ind["code"], ind["unit"], strict=True)),
            dict(zip(reg["iso"], reg[col], strict=True)),
            frozenset(ind.loc[ind["by_region"].astype(bool), "code"]),
        )

    def region(self, iso: str | None) -> str:
        return self.regions.get(iso, iso) if iso else translator(self.lang)("National")

    def indicator(self, code: str) -> str:
        return f"{self.indicators.get(code, code)} ({code})"

    def value(self, code: str, value) -> str:
        """A value with its unit's own decimals (0.62 of an index is 0.62, not 0.6200)."""
        unit = self.units.get(code)
        return fmt_number(value, self.lang, units.decimals(unit) if unit else None)


def changes_frame(
    table: pa.Table, names: Names, *, with_old: bool = False, checked: bool = False
) -> pd.DataFrame:
    """Preview rows (new, revised, or the error-free rows of a rejected upload), first PREVIEW_ROWS."""
    _ = translator(names.lang)
    if (
        checked
    ):  # shown beside the problems, in half the page: the code, and the cell's place in one column
        return pd.DataFrame(
            [
                {
                    _("Indicator"): r["indicator"],
                    _("Period"): fmt_period(r["period"], names.lang),
                    _("Region"): names.region(r["region"]),
                    _("Value"): names.value(r["indicator"], r["new_value"]),
                    _("Unit"): units.label(names.units.get(r["indicator"]), names.lang),
                    _("Where"): " · ".join(
                        str(p) for p in (r["file"], r["sheet"], r["row_number"]) if p
                    ),
                }
                for r in table.slice(0, PREVIEW_ROWS).to_pylist()
            ]
        )
    rows = [
        {
            _("Indicator"): names.indicator(r["indicator"]),
            _("Period"): fmt_period(r["period"], names.lang),
            _("Region"): names.region(r["region"]),
            **({_("Old value"): names.value(r["indicator"], r["old_value"])} if with_old else {}),
            _("New value"): names.value(r["indicator"], r["new_value"]),
            _("Unit"): units.label(names.units.get(r["indicator"]), names.lang),
            _("File"): r["file"] + (f" · {r['sheet']}" if r["sheet"] else ""),
            _("Row"): r["row_number"],
        }
        for r in table.slice(0, PREVIEW_ROWS).to_pylist()
    ]
    return pd.DataFrame(rows)


def problems_frame(problems, lang: str) -> pd.DataFrame:
    _ = translator(lang)
    return pd.DataFrame(
        [
            {
                _("File"): p.file,
                _("Sheet"): p.sheet or "",
                _("Row"): "" if p.row is None else p.row,
                _("Column"): p.column or "",
                _("Severity"): _("error") if p.is_error else _("warning"),
                # the title in the page's language; the stable code stays in the downloadable CSV
                _("Problem"): p.title(lang),
                _("Message"): p.message(lang),
            }
            for p in problems
        ]
    )


@dataclass(frozen=True)
class Gap:
    """A regional indicator and period the upload reports for some regions only."""

    indicator: str
    period: str
    reported: int
    missing: tuple[str, ...]  # ISO codes, in the catalog's order


def coverage_gaps(table: pa.Table, names: Names) -> list[Gap]:
    """For each regional indicator and period the upload reports by region, the regions it leaves out."""
    seen: dict[tuple[str, str], set[str]] = {}
    for ind, period, region in zip(
        table["indicator"].to_pylist(),
        table["period"].to_pylist(),
        table["region"].to_pylist(),
        strict=True,
    ):
        if ind in names.regional and region:
            seen.setdefault((ind, period), set()).add(region)
    gaps = []
    for (ind, period), got in seen.items():
        missing = tuple(iso for iso in names.regions if iso not in got)
        if missing:
            gaps.append(Gap(ind, period, len(got), missing))
    return sorted(gaps, key=lambda g: (g.indicator, g.period))


def coverage_notes(gaps: list[Gap], names: Names) -> list[str]:
    """One sentence per gap: which regions the file does not report."""
    _ = translator(names.lang)
    return [
        _(
            "{indicator}, {period}: {reported} of {total} regions reported; missing: {missing}",
            indicator=names.indicator(g.indicator),
            period=fmt_period(g.period, names.lang),
            reported=g.reported,
            total=len(names.regions),
            missing=", ".join(names.region(iso) for iso in g.missing),
        )
        for g in gaps
    ]


def template_rows(table: pa.Table) -> list[dict]:
    """Rows to pre-fill a corrected template with (loaders.template.build_template's `rows`)."""
    return [
        {
            "indicator": r["indicator"],
            "period": r["period"],
            "region": r["region"] or "",
            "value": r["new_value"],
        }
        for r in table.select(["indicator", "period", "region", "new_value"]).to_pylist()
    ]
