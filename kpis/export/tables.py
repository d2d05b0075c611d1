"""The data behind a chart as CSV and XLSX: text a spreadsheet would run as a formula is escaped, the sheet
reads right to left in Arabic."""

from __future__ import annotations

import io

import pandas as pd

from loaders.csvtext import formula_safe


def escape_cell(value):
    """Text starting like a formula gets a leading "'" (loaders/csvtext.py's rule); numbers stay numbers."""
    return formula_safe(value) if isinstance(value, str) else value


def escaped(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [escape_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [escape_cell(v) for v in out[col]]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel shows Arabic and accents."""
    return escaped(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(
    df: pd.DataFrame, lang: str, *, sheet: str = "data", title: str | None = None
) -> bytes:
    """One sheet; every text cell written as a string (never as a formula); right to left in Arabic."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = wb.add_worksheet(sheet[:31])
    if lang == "ar":
        ws.right_to_left()
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    row = 0
    if title:
        ws.write_string(0, 0, str(escape_cell(title)), bold)
        row = 2
    data = escaped(df)
    for j, col in enumerate(data.columns):
        ws.write_string(row, j, str(col), bold)
        width = max([len(str(col))] + [len(str(v)) for v in data[col].head(200)])
        ws.set_column(j, j, min(60, max(10, width + 2)))
    for r, values in enumerate(data.itertuples(index=False), start=row + 1):
        for j, v in enumerate(values):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                ws.write_string(r, j, str(v), wrap)
            else:
                ws.write_number(r, j, float(v))
    ws.freeze_panes(row + 1, 0)
    wb.close()
    return buf.getvalue()
