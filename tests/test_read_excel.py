"""Excel workbooks as ministries send them: title rows, merged titles, notes blocks, several sheets, .xls."""

import shutil
from pathlib import Path

import fastexcel
import pytest

from loaders.catalog import load_catalog
from loaders.longform import LONG_SCHEMA
from loaders.problems import UnreadableFile
from loaders.read_excel import read_excel
from loaders.reshape import read_long

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CATALOG = load_catalog()


def read(name, lang="en", **kw):
    return read_long(FIXTURES / name, CATALOG, lang=lang, **kw)


def where(result):
    return [(p.code, p.sheet, p.row, p.column) for p in result.problems]


def values(result, *cols):
    cols = cols or ("indicator", "period", "region", "value", "row_number", "column")
    return [tuple(r[c] for c in cols) for r in result.rows.to_pylist()]


def test_wide_quarters_in_french_with_a_date_header_and_a_merged_title():
    r = read("wide_quarters_fr.xlsx")
    assert r.sheets == ["Données"]
    assert r.rows.schema == LONG_SCHEMA
    assert sorted(values(r)) == sorted(
        [
            ("DM.5G", "2026-Q1", "MA-06", 55.5, 4, "C"),
            ("DM.5G", "2026-Q1", "MA-04", 50.0, 5, "C"),
            ("DM.ADMIN_FIBRE", "2026-Q1", "MA-09", 120.0, 6, "C"),
            ("DM.5G", "2026-Q2", "MA-06", 57.25, 4, "D"),
            # D5 says "n.d.": not reported, like the empty F4
            ("DM.ADMIN_FIBRE", "2026-Q2", "MA-09", 130.0, 6, "D"),
            ("DM.5G", "2026-Q3", "MA-06", 60.0, 4, "E"),  # E3 is the Excel date 01/07/2026
            ("DM.5G", "2026-Q3", "MA-04", 52.125, 5, "E"),
            ("DM.5G", "2026-Q4", "MA-04", 54.0, 5, "F"),
            ("DM.ADMIN_FIBRE", "2026-Q4", "MA-09", 150.0, 6, "F"),
        ]
    )
    assert set(r.rows.column("sheet").to_pylist()) == {"Données"}
    assert where(r) == [("bad-number", "Données", 6, "E")]
    assert "cent" in r.problems[0].message


def test_title_rows_merged_cells_and_notes_block_under_the_table():
    r = read("title_rows_merged_notes_block.xlsx")
    assert values(r, "region", "value", "unit", "source", "comment", "row_number", "column") == [
        ("MA-01", 1200.0, "emplois", "ANAPEC, 2026", None, 5, "E"),
        ("MA-02", 850.0, "emplois", "ANAPEC, 2026", "(p)", 6, "E"),
        ("MA-03", 1000.75, "emplois", "ANAPEC, 2026", "estimation", 7, "E"),
    ]
    assert where(r) == [
        ("footnote-stripped", "T1 2026", 6, "E"),
        ("skipped-row", "T1 2026", 10, None),
        ("skipped-row", "T1 2026", 11, None),
    ]
    sheets, problems, _names = read_excel(FIXTURES / "title_rows_merged_notes_block.xlsx", "t.xlsx")
    assert sheets[0].header_row == 4
    assert sheets[0].titles == [
        "Rapport trimestriel — Emplois IA",
        "Période : premier trimestre 2026",
    ]


def test_instruction_sheets_are_skipped_with_a_warning_hidden_and_marked_sheets_silently():
    r = read("instructions_sheet_ignored.xlsx")
    assert r.sheets == ["Données"]
    assert values(r) == [("DM.EXPORTS", "2025", "", 18.5, 2, "C")]
    assert where(r) == [
        ("ignored-sheet", "Lisez-moi", None, None),
        ("ignored-sheet", "تعليمات", None, None),
    ]
    assert all(p.severity == "warning" for p in r.problems)


def test_total_rows_are_national_values_checked_against_the_regions():
    r = read("total_row_mismatch.xlsx")
    assert values(r, "indicator", "region", "value", "row_number") == [
        ("IA.JOBS", "MA-06", 1000.0, 2),
        ("IA.JOBS", "MA-04", 500.0, 3),
        # row 4 (Total 1600 vs 1500) is an error and left out
        ("DM.STARTUPS", "MA-06", 300.0, 5),
        ("DM.STARTUPS", "MA-04", 200.0, 6),
        ("DM.STARTUPS", "", 501.0, 7),  # 501 vs 500: within 0.5 % (min 1 unit)
        ("DM.5G", "MA-06", 80.0, 8),
        ("DM.5G", "MA-04", 70.0, 9),
        ("DM.5G", "", 75.0, 10),  # a percentage is not a sum of regions: not checked
        ("IA.GRADS", "", 5000.0, 11),  # a total with no regions beside it
    ]
    assert where(r) == [
        ("total-row", "Régions", 4, "C"),
        ("total-mismatch", "Régions", 4, "D"),
        ("total-row", "Régions", 7, "C"),
        ("total-row", "Régions", 10, "C"),
        ("total-row", "Régions", 11, "C"),
    ]
    mismatch = r.problems[1]
    assert mismatch.severity == "error"
    assert "1,600" in mismatch.message and "1,500" in mismatch.message


def test_numeric_cells_keep_their_exact_value_and_dates_become_quarters():
    r = read("numbers_exact_dates_errors.xlsx")
    assert values(r, "indicator", "period", "region", "value", "row_number") == [
        ("DM.EGDI_SCORE", "2024", "", 0.684125987654321, 2),  # a numeric year header cell: "2024"
        ("DM.FTTH", "2026-Q1", "MA-06", 1.234, 3),  # the number 1.234, never read as 1234
        ("DM.FTTH", "2026-Q2", "MA-04", 3.0, 4),
        ("DM.FTTH", "2026-Q2", "MA-01", 1.5, 5),  # a text cell "1,5" in a number column
        ("IA.LAW_X0", "2025", "", 1.0, 7),  # TRUE in a milestone column reads as 1
        ("DM.FTTH", "2026-Q3", "MA-06", 2.5, 8),  # region given as the HCP code 6
    ]
    assert where(r) == [("bad-number", "Data", 6, "D")]
    assert "#DIV/0!" in r.problems[0].message


def test_several_data_sheets_in_arabic_and_english():
    r = read("two_sheets_arabic_english.xlsx")
    assert r.sheets == ["الذكاء الاصطناعي", "Digital"]
    assert values(r, "sheet", "indicator", "period", "region", "value", "unit", "column") == [
        ("الذكاء الاصطناعي", "IA.JAZARI", "2025", "MA-09", 1.0, None, "D"),
        ("الذكاء الاصطناعي", "IA.JAZARI", "2025", "MA-03", 1.0, None, "D"),
        ("Digital", "DM.ESERVICES", "2026-Q1", "", 640.0, "services", "C"),
    ]
    assert r.problems == []


def test_table_away_from_a1_keeps_real_letters_and_an_arabic_source_line():
    r = read("table_offset_arabic_source_note.xlsx")
    assert values(r, "region", "value", "source", "row_number", "column") == [
        ("MA-04", 420.0, "المندوبية السامية للتخطيط", 6, "F"),
        ("MA-09", 180.0, "المندوبية السامية للتخطيط", 7, "F"),
    ]
    # the source line becomes the source; the other note is said to be skipped, not silently lost
    assert where(r) == [("skipped-row", "بيانات", 9, None)]


def test_section_headings_inside_a_wide_table_and_numbers_typed_as_text():
    r = read("wide_section_headings_text_numbers.xlsx")
    assert sorted(values(r)) == sorted(
        [
            ("IA.GDP", "2024", "", 1234.5, 3, "B"),
            ("IA.YOUTH_AI", "2024", "", 10000.0, 5, "B"),
            ("IA.GDP", "2025", "", 2345.5, 3, "C"),
            ("IA.YOUTH_AI", "2025", "", 20000.0, 5, "C"),
        ]
    )
    assert where(r) == [("skipped-row", "Suivi", 2, None), ("skipped-row", "Suivi", 4, None)]


def test_legacy_xls_is_read_through_calamine():
    r = read("legacy_biff8_title_row_date.xls")
    assert r.sheets == ["Feuil1"]
    assert values(r) == [
        ("DM.EXPORTS", "2025", "", 18.25, 4, "C"),
        ("IA.GDP", "2026-Q1", "", 1234.5, 5, "C"),
    ]
    assert where(r) == [("bad-number", "Feuil1", 6, "C")]


def test_each_xlsx_sheet_is_parsed_once(monkeypatch):
    calls = []
    original = fastexcel.ExcelReader.load_sheet

    def counting(self, idx, **kw):
        calls.append(idx)
        return original(self, idx, **kw)

    monkeypatch.setattr(fastexcel.ExcelReader, "load_sheet", counting)
    r = read("two_sheets_arabic_english.xlsx")
    assert r.rows.num_rows == 3
    assert calls == [0, 1]


def test_a_corrupt_workbook_is_unreadable_not_a_crash(tmp_path):
    with pytest.raises(UnreadableFile):
        read("corrupt.xlsx")
    half = tmp_path / "half.xlsx"
    data = (FIXTURES / "wide_quarters_fr.xlsx").read_bytes()
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableFile):
        read_long(half, CATALOG)


def test_workbook_uploaded_under_a_temp_name(tmp_path):
    tmp = tmp_path / "tmpa1b2c3"
    shutil.copy(FIXTURES / "wide_quarters_fr.xlsx", tmp)
    r = read_long(tmp, CATALOG, display_name="Suivi DM2030.xlsx")
    assert set(r.rows.column("file").to_pylist()) == {"Suivi DM2030.xlsx"}
    assert r.problems[0].file == "Suivi DM2030.xlsx"


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_sheets_with_the_marker_cell_are_skipped_without_a_defined_name(suffix):
    # As a spreadsheet app re-saves the template: the defined name is gone, the marker cell is not.
    r = read(f"not_data_marker_cell_no_defined_name{suffix}", lang="fr")
    assert r.sheets == ["IA2030-IMP"]
    assert values(r) == [("IA.JOBS", "2026-Q1", "MA-06", 1200.0, 4, "G")]
    assert where(r) == [("bad-period", "IA2030-IMP", 5, "E")]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_sheet_that_only_looks_like_a_table_is_a_warning_beside_good_data(suffix):
    r = read(f"partial_table_beside_data{suffix}", lang="fr")
    assert r.sheets == ["Données"]
    assert values(r) == [("DM.EXPORTS", "2025", "", 18.5, 2, "D")]
    assert where(r) == [("ignored-sheet", "Référentiel", 2, None)]
    (p,) = r.problems
    assert p.severity == "warning"
    assert p.message == (
        "La feuille « Référentiel » ressemble à un tableau mais il lui manque la ou les colonnes : "
        "période, valeur ; elle a été ignorée. Colonnes trouvées : Code indicateur, Libellé, Unité"
    )


def test_a_sheet_that_only_looks_like_a_table_is_still_an_error_when_alone():
    r = read("partial_table_alone.xlsx")
    assert where(r) == [("missing-column", "Référentiel", 2, None)]
    assert r.problems[0].is_error


def test_cells_formatted_as_percent_are_stored_as_percentages(tmp_path):
    import xlsxwriter

    path = tmp_path / "percent_format_stored_as_fraction.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Data")
    pct, pct1 = wb.add_format({"num_format": "0%"}), wb.add_format({"num_format": "0.0%"})
    ws.write_row(0, 0, ["indicator", "period", "region", "value"])
    ws.write_row(1, 0, ["DM.5G", "2026-Q1", "MA-01"])
    ws.write_number(1, 3, 0.45, pct)  # shows 45%
    ws.write_row(2, 0, ["DM.5G", "2026-Q1", "MA-02"])
    ws.write_number(2, 3, 0.453, pct1)  # shows 45.3%
    ws.write_row(3, 0, ["DM.5G", "2026-Q1", "MA-03", "45 %"])  # text: read as written
    ws.write_row(4, 0, ["DM.5G", "2026-Q1", "MA-04", 45])  # a plain number
    ws.write_row(5, 0, ["DM.EGDI_SCORE", "2024", None])
    ws.write_number(5, 3, 0.68, pct)  # an index 0-1 shown as 68%: 0.68 is right
    wb.close()
    r = read_long(path, CATALOG)
    assert values(r, "region", "value") == [
        ("MA-01", 45.0),
        ("MA-02", 45.3),
        ("MA-03", 45.0),
        ("MA-04", 45.0),
        ("", 0.68),
    ]
    assert where(r) == [("percent-scaled", "Data", 2, "D")]
    assert r.problems[0].params["count"] == 2
    assert r.problems[0].severity == "warning"


def test_percent_formatted_empty_cells_below_the_table_are_harmless(tmp_path):
    import xlsxwriter

    path = tmp_path / "percent_format_on_empty_rows_below.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Data")
    pct = wb.add_format({"num_format": "0%"})
    ws.set_column(3, 3, 10, pct)
    ws.write_row(0, 0, ["indicator", "period", "region", "value"])
    ws.write_row(1, 0, ["DM.5G", "2026-Q1", "MA-01"])
    ws.write_number(1, 3, 0.5, pct)
    for r in range(2, 40):
        ws.write_blank(r, 3, None, pct)  # formatted, empty
    wb.close()
    r = read_long(path, CATALOG)
    assert values(r, "region", "value") == [("MA-01", 50.0)]
    assert where(r) == [("percent-scaled", "Data", 2, "D")]
