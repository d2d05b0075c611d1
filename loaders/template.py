"""The Excel (.xlsx) or OpenDocument (.ods) template generated from the catalog: one long-layout sheet per pillar, dropdowns, instructions."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .catalog import Catalog, Indicator
from .i18n import fmt_number, norm_lang, translator
from .ingest import unit_label
from .problems import column_letter
from .sheet import NOT_DATA_MARK, NOT_DATA_NAME

FIRST_YEAR, LAST_YEAR = 2024, 2030
DATA_ROWS = (
    500  # empty rows with dropdowns on each pillar sheet (formulas there stay invisible until used)
)
HEADER_ROW = 3  # 1-based row of the header on the pillar sheets (a title and a hint line above it)
LISTS_SHEET = "lists"
FORMATS = ("xlsx", "ods")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}

# Column keys, in order, and their headers. The headers are part of the file format (each one is a header the
# reader knows: code, info, unit, period, region, value, source, comment), so they are fixed here rather than
# taken from the UI translations, which may word "Target" or "Period" differently on screen.
COLUMNS = ("code", "name", "unit", "target", "period", "region", "value", "source", "comment")
HEADERS = {
    "en": (
        "Indicator code",
        "Indicator name",
        "Unit",
        "Target",
        "Period",
        "Region",
        "Value",
        "Source",
        "Comment",
    ),
    "fr": (
        "Code indicateur",
        "Nom de l'indicateur",
        "Unité",
        "Cible",
        "Période",
        "Région",
        "Valeur",
        "Source",
        "Commentaire",
    ),
    "ar": (
        "رمز المؤشر",
        "اسم المؤشر",
        "الوحدة",
        "الهدف",
        "الفترة",
        "الجهة",
        "القيمة",
        "المصدر",
        "ملاحظة",
    ),
}
# The region choice meaning "Morocco as a whole" (a name the reader maps to national).
NATIONAL_LABEL = {"en": "National", "fr": "National", "ar": "وطني"}


def periods() -> list[str]:
    """The periods offered in the dropdown: every quarter, then every year, FIRST_YEAR..LAST_YEAR."""
    quarters = [f"{y}-Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    return quarters + [str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]


def _target_text(ind: Indicator, lang: str, _) -> str:
    if ind.target_value is None:
        return _("no target")
    return f"{fmt_number(ind.target_value, lang)} ({ind.target_year})"


def _write_unit_ranges(lists, catalog: Catalog, col0: int) -> str:
    """code, min, max, whole (1/0) of every indicator's unit (units.csv) on the hidden lists sheet,
    for the value column's validation; returns the range. An open bound is written as ±MAX_MAGNITUDE."""
    from .units import MAX_MAGNITUDE, indicator_units

    units = indicator_units(catalog)
    for r, ind in enumerate(catalog.indicators):
        u = units[ind.code]
        lists.write_row(
            r,
            col0,
            [
                ind.code,
                -MAX_MAGNITUDE if u.min is None else u.min,
                MAX_MAGNITUDE if u.max is None else u.max,
                1 if u.whole else 0,
            ],
        )
    a, d = column_letter(col0), column_letter(col0 + 3)
    return f"{LISTS_SHEET}!${a}$1:${d}${len(catalog.indicators)}"


def _value_validation(
    ws, first: int, last: int, col: int, code_letter: str, units: str, title: str, _
):
    """The value column accepts, row by row, a number in the range of the unit of the indicator
    chosen in that row (and a whole number for counts and ranks), looked up from the code; a row
    without a known code is left to the reader's checks."""
    v = f"{column_letter(col)}{first + 1}"
    code = f"${code_letter}{first + 1}"

    def look(pos: int) -> str:
        return f"VLOOKUP({code},{units},{pos},FALSE)"

    formula = (
        f"=IFERROR(AND(ISNUMBER({v}),{v}>={look(2)},{v}<={look(3)},"
        f"OR({look(4)}=0,{v}=INT({v}))),TRUE)"
    )
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "custom",
            "value": formula,
            "error_title": title,
            "error_message": _(
                "The value is outside the range of the indicator's unit (a % between 0 and 100, a count or a rank as a whole number, an index between 0 and 1)"
            ),
        },
    )


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _catalog_of(store_or_catalog) -> Catalog:
    if isinstance(store_or_catalog, Catalog):
        return store_or_catalog
    from .ingest import store_catalog

    return store_catalog(store_or_catalog)


def template_bytes(
    store_or_catalog, *, lang: str = "ar", fmt: str = "xlsx", rows: list[dict] | None = None
) -> bytes:
    """The template as bytes (for a download button), as .xlsx or .ods, pre-filled with `rows` if given."""
    import io

    buf = io.BytesIO()
    build_template(store_or_catalog, buf, lang=lang, fmt=fmt, rows=rows)
    return buf.getvalue()


def template_format(out_path, fmt: str | None = None) -> str:
    """'ods' for an .ods path (or fmt="ods"), else 'xlsx'."""
    if fmt is None and not hasattr(out_path, "write"):
        fmt = Path(out_path).suffix.lower().lstrip(".")
    return "ods" if fmt == "ods" else "xlsx"


def _mark_not_data(ws, row: int, col: int, fmt) -> None:
    """The marker cell that tells the reader a sheet is not data, in whatever format the file ends up."""
    ws.write_string(row, col, NOT_DATA_MARK, fmt)


def build_template(
    store_or_catalog,
    out_path: str | os.PathLike | BinaryIO,
    *,
    lang: str = "ar",
    rows: list[dict] | None = None,
    fmt: str | None = None,
) -> Path | BinaryIO:
    """Write the template (.xlsx, or .ods) for the catalog of a Store (or a Catalog) in one language.

    `out_path` is a path or a binary file object (e.g. io.BytesIO). `fmt` ("xlsx" or "ods") defaults to
    the path's suffix, and to xlsx for a file object. The .ods is written without LibreOffice.

    `rows` pre-fills values (dicts with indicator, period, region ISO code or "" for national, value, and
    optional source/comment) into their pillar's sheet, exactly as a person would after choosing from the
    dropdowns (region written by name, name/unit/target shown beside the code).
    """
    import xlsxwriter

    lang = norm_lang(lang)
    catalog = _catalog_of(store_or_catalog)
    in_memory = hasattr(out_path, "write")
    if not in_memory:
        out_path = Path(out_path)
    if template_format(out_path, fmt) == "ods":
        from .ods import Workbook as OdsWorkbook

        wb = OdsWorkbook(out_path, {"in_memory": in_memory})
    else:
        wb = xlsxwriter.Workbook(out_path if in_memory else str(out_path), {"in_memory": in_memory})
    t = _Template.start(wb, catalog, lang)
    instr_name = _instructions_sheet(wb, t)
    _lists_sheet(wb, t)
    wb.define_name(f"{NOT_DATA_NAME}_1", f"={_sheet_ref(instr_name)}!$A$1")
    wb.define_name(f"{NOT_DATA_NAME}_2", f"={_sheet_ref(LISTS_SHEET)}!$A$1")
    prefill: dict[tuple[str, str], list[dict]] = {}
    for r in rows or []:
        ind = catalog.indicator(r["indicator"])
        prefill.setdefault((ind.programme, ind.pillar), []).append(r)
    for p in catalog.pillars:
        if (p.programme, p.pillar) in t.by_pillar:
            _pillar_sheet(wb, t, p, prefill.get((p.programme, p.pillar), []))
    wb.close()
    return out_path


@dataclass
class _Template:
    """What every sheet of one template is written with: language, formats, names and the lists."""

    catalog: Catalog
    lang: str
    _: object  # the translator
    fmts: dict
    headers: dict[str, str]
    region_names: dict[str, str]
    by_pillar: dict[tuple[str, str], list[Indicator]]
    # filled by _lists_sheet: the code -> (code, name, unit, target) lookup and the ranges on "lists"
    lookups: dict[str, tuple] = field(default_factory=dict)
    lookup_range: str = ""
    units_range: str = ""
    codes_col: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def start(cls, wb, catalog: Catalog, lang: str) -> _Template:
        by_pillar: dict[tuple[str, str], list[Indicator]] = {}
        for ind in catalog.indicators:
            by_pillar.setdefault((ind.programme, ind.pillar), []).append(ind)
        return cls(
            catalog=catalog,
            lang=lang,
            _=translator(lang),
            fmts=_formats(wb),
            headers=dict(zip(COLUMNS, HEADERS[lang], strict=True)),
            region_names={r.iso: getattr(r, f"name_{lang}") for r in catalog.regions},
            by_pillar=by_pillar,
        )

    @property
    def national(self) -> str:
        return NATIONAL_LABEL[self.lang]

    @property
    def region_choices(self) -> list[str]:
        return [self.national, *self.region_names.values()]

    def shown(self, ind: Indicator) -> tuple[str, str, str, str]:
        """code, name, unit and target of an indicator, as the sheets show them."""
        _ = self._
        return (
            ind.code,
            getattr(ind, f"name_{self.lang}"),
            unit_label(ind.unit, self.lang, self.catalog.units or None),
            _target_text(ind, self.lang, _),
        )


def _formats(wb) -> dict:
    return {
        "bold": wb.add_format({"bold": True}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "hint": wb.add_format({"italic": True, "font_color": "#555555"}),
        "head": wb.add_format(
            {
                "bold": True,
                "bg_color": "#1F4E79",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "info": wb.add_format({"bg_color": "#F2F2F2", "font_color": "#404040"}),
        "input": wb.add_format({"bg_color": "#FFFFFF", "border": 1, "border_color": "#BFBFBF"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "mark": wb.add_format({"font_color": "#A6A6A6", "font_size": 8}),
    }


def _instructions_sheet(wb, t: _Template) -> str:
    """The first sheet, in the chosen language (the reader skips it); returns its name."""
    _, f = t._, t.fmts
    name = _("Instructions")
    ws = wb.add_worksheet(name)
    if t.lang == "ar":
        ws.right_to_left()
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 5, 18)
    ws.write(0, 0, _("Marsad: reporting template"), f["title"])
    _mark_not_data(ws, 1, 0, f["mark"])
    lines = [
        _(
            "One sheet per pillar. One row per value: choose the indicator code, the period and the region "
            "from the lists, then type the value."
        ),
        _(
            "Period: a quarter (2026-Q1) or a year (2026). Region: choose National for a value for Morocco as a "
            "whole; regional indicators also take one row per region."
        ),
        _(
            "Type the value as a plain number, in the unit shown beside the code. An empty value is a problem, "
            "not a zero. Only values already observed can be loaded, not forecasts."
        ),
        _("The name, unit and target beside the code are shown for reference and are not read."),
        _(
            "Add rows as needed below the header; do not rename the headers. This sheet is not read."
        ),
        _("Load the file on the Upload page, or with: python -m loaders ingest FILE"),
    ]
    for i, text in enumerate(lines):
        ws.write(2 + i, 0, f"{i + 1}.", f["bold"])
        ws.write(2 + i, 1, text, f["wrap"])
    ref_row = 3 + len(lines)
    ws.write(ref_row, 0, _("Indicators"), f["title"])
    ref_head = [*HEADERS[t.lang][:4], _("Frequency"), _("By region")]
    ws.write_row(ref_row + 1, 0, ref_head, f["head"])
    freq = {
        "quarterly": _("quarterly"),
        "annual": _("annual"),
        "biennial": _("every two years"),
        "event": _("when it happens"),
    }
    for i, ind in enumerate(t.catalog.indicators):
        row = [*t.shown(ind), freq[ind.frequency], _("yes") if ind.by_region else _("no")]
        ws.write_row(ref_row + 2 + i, 0, row)
    return name


def _lists_sheet(wb, t: _Template) -> None:
    """The hidden sheet of dropdown sources and of the code -> name/unit/target lookup."""
    lists = wb.add_worksheet(LISTS_SHEET)
    lists.hide()
    lists.write_column(0, 0, periods())
    lists.write_column(0, 1, t.region_choices)
    _mark_not_data(
        lists, 0, 2, t.fmts["mark"]
    )  # column C: between the dropdown sources and the lookup
    lookup = [t.shown(i) for i in t.catalog.indicators]
    for r, rec in enumerate(lookup):
        lists.write_row(r, 3, rec)
    t.lookups = {i.code: rec for i, rec in zip(t.catalog.indicators, lookup, strict=True)}
    t.lookup_range = f"{LISTS_SHEET}!$D$1:$G${len(lookup)}"
    for c, (key, inds) in enumerate(t.by_pillar.items()):
        t.codes_col[key] = 8 + c
        lists.write_column(0, 8 + c, [i.code for i in inds])
    t.units_range = _write_unit_ranges(lists, t.catalog, 8 + len(t.by_pillar) + 1)


_WIDTHS = {"code": 18, "name": 45, "unit": 16, "target": 16, "period": 11, "region": 28,
           "value": 14, "source": 30, "comment": 30}  # fmt: skip
_COL = {k: i for i, k in enumerate(COLUMNS)}


def _pillar_sheet(wb, t: _Template, p, filled: list[dict]) -> None:
    """One pillar's long-layout sheet: title, header, dropdowns, and the (pre-filled) rows."""
    _, f = t._, t.fmts
    key = (p.programme, p.pillar)
    n_rows = max(DATA_ROWS, len(filled))  # every pre-filled row, however many
    ws = wb.add_worksheet(f"{p.programme}-{p.pillar}")
    if t.lang == "ar":
        ws.right_to_left()
    ws.write(0, 0, f"{p.programme} — {getattr(p, f'name_{t.lang}')}", f["title"])
    ws.write(
        1,
        0,
        _(
            "Choose the indicator code, the period and the region from the lists, then type the "
            "value."
        ),
        f["hint"],
    )
    ws.write_row(HEADER_ROW - 1, 0, [t.headers[k] for k in COLUMNS], f["head"])
    ws.set_row(HEADER_ROW - 1, 30)
    ws.freeze_panes(HEADER_ROW, 1)
    for k, w in _WIDTHS.items():
        fmt = f["info"] if k in ("name", "unit", "target") else f["input"]
        ws.set_column(_COL[k], _COL[k], w, fmt)
    _pillar_validations(ws, t, key, HEADER_ROW + n_rows - 1)
    letter = column_letter(_COL["code"])
    for i in range(n_rows):
        _pillar_row(ws, t, HEADER_ROW + i, letter, filled[i] if i < len(filled) else None)


def _pillar_validations(ws, t: _Template, key: tuple[str, str], last: int) -> None:
    """The dropdowns of a pillar sheet (code, period, region) and the value's range check."""
    _, headers, first = t._, t.headers, HEADER_ROW  # 0-based index of the first data row
    codes_letter = column_letter(t.codes_col[key])
    n_codes = len(t.by_pillar[key])
    for k, source, extra in (
        (
            "code",
            f"={LISTS_SHEET}!${codes_letter}$1:${codes_letter}${n_codes}",
            {"error_message": _("Choose a code from the list")},
        ),
        (
            "period",
            f"={LISTS_SHEET}!$A$1:$A${len(periods())}",
            # a warning only: an earlier period (a baseline year, say) can still be typed
            {
                "error_type": "warning",
                "error_message": _("A quarter like 2026-Q1 or a year like 2026"),
            },
        ),
        (
            "region",
            f"={LISTS_SHEET}!$B$1:$B${len(t.region_choices)}",
            {"error_message": _("Choose a region from the list")},
        ),
    ):
        opts = {"validate": "list", "source": source, **extra, "error_title": headers[k]}
        ws.data_validation(first, _COL[k], last, _COL[k], opts)
    letter = column_letter(_COL["code"])
    _value_validation(ws, first, last, _COL["value"], letter, t.units_range, headers["value"], _)


def _pillar_row(ws, t: _Template, r: int, letter: str, values: dict | None) -> None:
    """One data row: the lookup formulas beside the code, and a pre-filled row's cells."""
    a = f"${letter}{r + 1}"
    shown = t.lookups[values["indicator"]] if values else ("", "", "", "")
    for k, pos in (("name", 2), ("unit", 3), ("target", 4)):
        # Excel/LibreOffice compute these when a code is chosen; the cached value is what a saved,
        # filled file holds (empty until then, and an empty formula result is not read as data).
        ws.write_formula(
            r,
            _COL[k],
            f'=IF({a}="","",IFERROR(VLOOKUP({a},{t.lookup_range},{pos},FALSE),""))',
            t.fmts["info"],
            shown[pos - 1],
        )
    if not values:
        return
    ws.write_string(r, _COL["code"], values["indicator"])
    ws.write_string(r, _COL["period"], values["period"])
    region = t.region_names.get(values.get("region") or "", t.national)
    ws.write_string(r, _COL["region"], region)
    ws.write_number(r, _COL["value"], float(values["value"]))
    if values.get("source"):
        ws.write_string(r, _COL["source"], values["source"])
    if values.get("comment"):
        ws.write_string(r, _COL["comment"], values["comment"])
