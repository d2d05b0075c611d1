"""The Excel (.xlsx) or OpenDocument (.ods) template generated from the catalog: one long-layout sheet per pillar, dropdowns, instructions."""

from __future__ import annotations

import os
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
    _ = translator(lang)
    catalog = _catalog_of(store_or_catalog)
    in_memory = hasattr(out_path, "write")
    if not in_memory:
        out_path = Path(out_path)
    name_attr = f"name_{lang}"
    national = NATIONAL_LABEL[lang]
    region_names = {r.iso: getattr(r, name_attr) for r in catalog.regions}
    region_choices = [national, *region_names.values()]
    headers = dict(zip(COLUMNS, HEADERS[lang], strict=True))
    by_pillar: dict[tuple[str, str], list[Indicator]] = {}
    for ind in catalog.indicators:
        by_pillar.setdefault((ind.programme, ind.pillar), []).append(ind)
    pillars = [p for p in catalog.pillars if (p.programme, p.pillar) in by_pillar]

    if template_format(out_path, fmt) == "ods":
        from .ods import Workbook as OdsWorkbook

        wb = OdsWorkbook(out_path, {"in_memory": in_memory})
    else:
        wb = xlsxwriter.Workbook(out_path if in_memory else str(out_path), {"in_memory": in_memory})
    rtl = lang == "ar"
    bold = wb.add_format({"bold": True})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    hint_fmt = wb.add_format({"italic": True, "font_color": "#555555"})
    head_fmt = wb.add_format(
        {
            "bold": True,
            "bg_color": "#1F4E79",
            "font_color": "#FFFFFF",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
        }
    )
    info_fmt = wb.add_format({"bg_color": "#F2F2F2", "font_color": "#404040"})
    input_fmt = wb.add_format({"bg_color": "#FFFFFF", "border": 1, "border_color": "#BFBFBF"})
    wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top"})

    # -- instructions (first sheet, in the chosen language; the reader skips it) -------------------------
    instr_name = _("Instructions")
    ws = wb.add_worksheet(instr_name)
    if rtl:
        ws.right_to_left()
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 5, 18)
    ws.write(0, 0, _("Marsad: reporting template"), title_fmt)
    mark_fmt = wb.add_format({"font_color": "#A6A6A6", "font_size": 8})
    _mark_not_data(ws, 1, 0, mark_fmt)
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
        ws.write(2 + i, 0, f"{i + 1}.", bold)
        ws.write(2 + i, 1, text, wrap_fmt)
    ref_row = 3 + len(lines)
    ws.write(ref_row, 0, _("Indicators"), title_fmt)
    ref_head = [*HEADERS[lang][:4], _("Frequency"), _("By region")]
    ws.write_row(ref_row + 1, 0, ref_head, head_fmt)
    freq = {
        "quarterly": _("quarterly"),
        "annual": _("annual"),
        "biennial": _("every two years"),
        "event": _("when it happens"),
    }
    for i, ind in enumerate(catalog.indicators):
        ws.write_row(
            ref_row + 2 + i,
            0,
            [
                ind.code,
                getattr(ind, name_attr),
                unit_label(ind.unit, lang, catalog.units or None),
                _target_text(ind, lang, _),
                freq[ind.frequency],
                _("yes") if ind.by_region else _("no"),
            ],
        )

    # -- hidden lists (dropdown sources and the code -> name/unit/target lookup) -----------------------------
    lists = wb.add_worksheet(LISTS_SHEET)
    lists.hide()
    period_list = periods()
    lists.write_column(0, 0, period_list)
    lists.write_column(0, 1, region_choices)
    _mark_not_data(lists, 0, 2, mark_fmt)  # column C: between the dropdown sources and the lookup
    lookup = [
        (
            i.code,
            getattr(i, name_attr),
            unit_label(i.unit, lang, catalog.units or None),
            _target_text(i, lang, _),
        )
        for i in catalog.indicators
    ]
    for r, rec in enumerate(lookup):
        lists.write_row(r, 3, rec)
    lookup_range = f"{LISTS_SHEET}!$D$1:$G${len(lookup)}"
    pillar_codes_col = {}
    for c, (key, inds) in enumerate(by_pillar.items()):
        pillar_codes_col[key] = 8 + c
        lists.write_column(0, 8 + c, [i.code for i in inds])

    units_range = _write_unit_ranges(lists, catalog, 8 + len(by_pillar) + 1)
    wb.define_name(f"{NOT_DATA_NAME}_1", f"={_sheet_ref(instr_name)}!$A$1")
    wb.define_name(f"{NOT_DATA_NAME}_2", f"={_sheet_ref(LISTS_SHEET)}!$A$1")

    # -- one sheet per pillar --------------------------------------------------------------------------------
    prefill: dict[tuple[str, str], list[dict]] = {}
    for r in rows or []:
        ind = catalog.indicator(r["indicator"])
        prefill.setdefault((ind.programme, ind.pillar), []).append(r)
    col = {k: i for i, k in enumerate(COLUMNS)}
    lookups = {i.code: rec for i, rec in zip(catalog.indicators, lookup, strict=True)}
    first = HEADER_ROW  # 0-based index of the first data row
    for p in pillars:
        key = (p.programme, p.pillar)
        filled = prefill.get(key, [])
        n_rows = max(DATA_ROWS, len(filled))  # every pre-filled row, however many
        last = HEADER_ROW + n_rows - 1
        ws = wb.add_worksheet(f"{p.programme}-{p.pillar}")
        if rtl:
            ws.right_to_left()
        ws.write(0, 0, f"{p.programme} — {getattr(p, name_attr)}", title_fmt)
        ws.write(
            1,
            0,
            _(
                "Choose the indicator code, the period and the region from the lists, then type the "
                "value."
            ),
            hint_fmt,
        )
        ws.write_row(HEADER_ROW - 1, 0, [headers[k] for k in COLUMNS], head_fmt)
        ws.set_row(HEADER_ROW - 1, 30)
        ws.freeze_panes(HEADER_ROW, 1)
        widths = {
            "code": 18,
            "name": 45,
            "unit": 16,
            "target": 16,
            "period": 11,
            "region": 28,
            "value": 14,
            "source": 30,
            "comment": 30,
        }
        for k, w in widths.items():
            fmt = info_fmt if k in ("name", "unit", "target") else input_fmt
            ws.set_column(col[k], col[k], w, fmt)
        letter = column_letter(col["code"])
        codes_letter = column_letter(pillar_codes_col[key])
        n_codes = len(by_pillar[key])
        ws.data_validation(
            first,
            col["code"],
            last,
            col["code"],
            {
                "validate": "list",
                "source": f"={LISTS_SHEET}!${codes_letter}$1:${codes_letter}${n_codes}",
                "error_title": headers["code"],
                "error_message": _("Choose a code from the list"),
            },
        )
        ws.data_validation(
            first,
            col["period"],
            last,
            col["period"],
            {
                "validate": "list",
                "source": f"={LISTS_SHEET}!$A$1:$A${len(period_list)}",
                # a warning only: an earlier period (a baseline year, say) can still be typed
                "error_type": "warning",
                "error_title": headers["period"],
                "error_message": _("A quarter like 2026-Q1 or a year like 2026"),
            },
        )
        ws.data_validation(
            first,
            col["region"],
            last,
            col["region"],
            {
                "validate": "list",
                "source": f"={LISTS_SHEET}!$B$1:$B${len(region_choices)}",
                "error_title": headers["region"],
                "error_message": _("Choose a region from the list"),
            },
        )
        _value_validation(ws, first, last, col["value"], letter, units_range, headers["value"], _)
        for i in range(n_rows):
            r = first + i
            a = f"${letter}{r + 1}"
            values = filled[i] if i < len(filled) else None
            shown = lookups[values["indicator"]] if values else ("", "", "", "")
            for k, pos in (("name", 2), ("unit", 3), ("target", 4)):
                # Excel/LibreOffice compute these when a code is chosen; the cached value is what a saved,
                # filled file holds (empty until then, and an empty formula result is not read as data).
                ws.write_formula(
                    r,
                    col[k],
                    f'=IF({a}="","",IFERROR(VLOOKUP({a},{lookup_range},{pos},FALSE),""))',
                    info_fmt,
                    shown[pos - 1],
                )
            if values:
                ws.write_string(r, col["code"], values["indicator"])
                ws.write_string(r, col["period"], values["period"])
                ws.write_string(
                    r, col["region"], region_names.get(values.get("region") or "", national)
                )
                ws.write_number(r, col["value"], float(values["value"]))
                if values.get("source"):
                    ws.write_string(r, col["source"], values["source"])
                if values.get("comment"):
                    ws.write_string(r, col["comment"], values["comment"])
    wb.close()
    return out_path
