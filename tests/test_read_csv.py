"""CSV files as ministries send them: encodings, delimiters, title rows, quoted newlines, row numbers."""

import shutil
from pathlib import Path

import pytest

from loaders.catalog import load_catalog
from loaders.longform import LONG_SCHEMA
from loaders.problems import UnreadableFile
from loaders.read_csv import read_csv
from loaders.reshape import read_long

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CATALOG = load_catalog()


def read(name, lang="en", **kw):
    return read_long(FIXTURES / name, CATALOG, lang=lang, **kw)


def where(result):
    return [(p.code, p.row, p.column) for p in result.problems]


def values(result, *cols):
    cols = cols or ("indicator", "period", "region", "value", "row_number", "column")
    return [tuple(r[c] for c in cols) for r in result.rows.to_pylist()]


def test_long_english_comma_utf8_gives_exact_rows():
    r = read("long_en_comma_utf8.csv")
    assert r.rows.schema == LONG_SCHEMA
    assert r.rows.to_pylist() == [
        {
            "indicator": "IA.JOBS",
            "period": "2026-Q1",
            "region": "MA-01",
            "value": 1200.0,
            "unit": "jobs",
            "source": "ANAPEC",
            "comment": None,
            "file": "long_en_comma_utf8.csv",
            "sheet": None,
            "row_number": 2,
            "column": "D",
        },
        {
            "indicator": "IA.JOBS",
            "period": "2026-Q1",
            "region": "MA-02",
            "value": 850.0,
            "unit": "jobs",
            "source": "ANAPEC",
            "comment": "first estimate",
            "file": "long_en_comma_utf8.csv",
            "sheet": None,
            "row_number": 3,
            "column": "D",
        },
        {
            "indicator": "DM.EXPORTS",
            "period": "2025",
            "region": "",
            "value": 18.5,
            "unit": "bn MAD/yr",
            "source": "Office des changes",
            "comment": None,
            "file": "long_en_comma_utf8.csv",
            "sheet": None,
            "row_number": 4,
            "column": "D",
        },
        {
            "indicator": "DM.EGDI_RANK",
            "period": "2024",
            "region": "",
            "value": 90.0,
            "unit": "rank",
            "source": "UN DESA",
            "comment": None,
            "file": "long_en_comma_utf8.csv",
            "sheet": None,
            "row_number": 5,
            "column": "D",
        },
    ]
    assert r.problems == [] and r.sheets == []


def test_french_semicolon_windows_1252_with_decimal_commas():
    sheet = read_csv((FIXTURES / "long_fr_semicolon_cp1252.csv").read_bytes(), "f.csv")
    assert sheet.headers == ["Indicateur", "Période", "Région", "Valeur", "Unité", "Commentaire"]
    r = read("long_fr_semicolon_cp1252.csv")
    assert values(r, "indicator", "period", "region", "value", "unit", "comment") == [
        ("IA.JOBS", "2026-Q1", "MA-03", 1234.5, "emplois", None),
        ("IA.JOBS", "2026-Q1", "MA-05", 2000.0, "emplois", None),
        ("IA.JOBS", "2026-Q2", "MA-08", 12.5, "emplois", "estimé"),
        ("DM.5G", "2026-Q2", "MA-11", 45.5, "%", None),
    ]
    assert r.problems == []


def test_arabic_headers_windows_1256():
    sheet = read_csv((FIXTURES / "long_ar_headers_cp1256.csv").read_bytes(), "a.csv")
    assert sheet.headers[:4] == ["المؤشر", "الفترة", "الجهة", "القيمة"]
    assert sheet.hint == "ar"
    r = read("long_ar_headers_cp1256.csv")
    assert values(r, "indicator", "period", "region", "value", "unit", "row_number") == [
        ("IA.JOBS", "2026-Q1", "MA-02", 1500.0, "منصب", 2),
        ("IA.JOBS", "2026-Q2", "MA-10", 300.0, "منصب", 3),
        ("IA.JOBS", "2026-Q3", "MA-12", 120.0, "منصب", 4),
        ("DM.5G", "2026", "MA-06", 60.0, "%", 5),
    ]
    assert r.problems == []


def test_utf8_bom_tab_delimited_with_arabic_indic_digits():
    r = read("long_ar_tab_utf8bom_indic_digits.csv")
    assert values(r, "indicator", "period", "region", "value", "comment", "column") == [
        ("DM.EXPORTS", "2025", "", 18.5, "تقديري", "D"),
        ("IA.GRADS", "2025-Q4", "MA-07", 1250.0, None, "D"),
        ("IA.GRADS", "2026-Q1", "MA-01", 340.0, None, "D"),
    ]
    assert r.problems == []


def test_excel_unicode_text_export_utf16():
    r = read("unicode_text_utf16.txt")
    assert values(r) == [
        ("DM.ESERVICES", "2025-Q4", "", 612.0, 2, "C"),
        ("DM.ESERVICES", "2026-Q1", "", 640.0, 3, "C"),
    ]


def test_quoted_fields_with_newlines_keep_record_numbers_as_excel_shows_them():
    r = read("quoted_newlines.csv")
    assert values(r, "region", "value", "comment", "row_number") == [
        ("MA-01", 10.0, "line one\nline two", 2),
        ("MA-02", 11.0, 'a "quoted" word, with a comma', 3),
        ("MA-04", 13.0, None, 5),
    ]
    assert where(r) == [("bad-number", 4, "D")]


def test_bad_period_is_reported_at_row_7_and_the_row_left_out():
    r = read("bad_period_row7.csv")
    assert where(r) == [("bad-period", 7, "B")]
    assert "S1 2025" in r.problems[0].message
    assert [row for *_, row, _c in values(r)] == [2, 3, 4, 5, 6, 8]


def test_title_rows_blank_lines_and_source_note():
    sheet = read_csv((FIXTURES / "title_rows_blank_lines_source_note.csv").read_bytes(), "t.csv")
    assert sheet.header_row == 4
    assert sheet.source == "ANAPEC, 2026"
    r = read("title_rows_blank_lines_source_note.csv")
    assert values(r, "region", "value", "source", "row_number") == [
        ("MA-01", 10.0, "ANAPEC, 2026", 5),
        ("MA-03", 12.0, "ANAPEC, 2026", 8),
    ]
    # the blank line (row 6) and the two-line quoted cell both count as Excel counts them
    assert where(r) == [("bad-number", 7, "D"), ("skipped-row", 10, None)]


def test_blank_lines_shift_row_numbers_like_excel(tmp_path):
    lines = ["indicator,period,region,value"] + [
        f"IA.JOBS,2026-Q1,MA-{i % 12 + 1:02d},{i}" for i in range(2000)
    ]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gap = tmp_path / "gap.csv"
    gap.write_text("\n".join(lines[:1001] + [""] + lines[1001:]) + "\n", encoding="utf-8")
    a = read_long(plain, CATALOG).rows
    b = read_long(gap, CATALOG).rows
    assert a.column("value").to_pylist() == b.column("value").to_pylist()
    assert a.column("row_number").to_pylist()[999:1002] == [1001, 1002, 1003]
    assert b.column("row_number").to_pylist()[999:1002] == [1001, 1003, 1004]


def test_rows_shorter_or_longer_than_the_header():
    r = read("ragged_rows.csv")
    assert values(r, "region", "value", "unit", "source") == [
        ("MA-01", 10.0, None, None),
        ("MA-02", 11.0, "jobs", None),
        ("MA-03", 12.0, "jobs", "ANAPEC"),
    ]
    assert where(r) == [("ignored-column", 1, "G")]


def test_a_csv_renamed_xlsx_is_read_as_the_csv_it_is():
    r = read("renamed_csv.xlsx")
    assert values(r) == [("DM.EXPORTS", "2025", "", 18.5, 2, "C")]


@pytest.mark.parametrize(
    ("name", "title_fr"),
    [
        ("empty.csv", "Le fichier est vide"),
        ("whitespace_only.csv", "Le fichier est vide"),
        ("binary_junk.csv", "Ce n'est pas un fichier CSV ou Excel"),
        (
            "report.pdf",
            "Type de fichier non pris en charge « .pdf » : utilisez CSV ou Excel (.xlsx, .xls)",
        ),
        ("corrupt.xlsx", "Le fichier Excel est endommagé ou n'est pas un fichier Excel"),
    ],
)
def test_unreadable_files_raise_one_translated_error_naming_the_upload(name, title_fr):
    with pytest.raises(UnreadableFile) as e:
        read(name, lang="fr", display_name="rapport du ministère")
    assert e.value.file == "rapport du ministère"
    assert e.value.title == title_fr
    if name == "corrupt.xlsx":
        assert e.value.__cause__ is not None  # raised from the reader's own error


def test_upload_temp_file_keeps_the_name_the_user_knows(tmp_path):
    tmp = tmp_path / "upload-7f3a2c"  # what a web upload looks like on disk: no name, no suffix
    shutil.copy(FIXTURES / "bad_period_row7.csv", tmp)
    r = read_long(tmp, CATALOG, display_name="Rapport DEPF T1.csv")
    assert set(r.rows.column("file").to_pylist()) == {"Rapport DEPF T1.csv"}
    assert [p.file for p in r.problems] == ["Rapport DEPF T1.csv"]


def test_utf8_is_recognised_even_when_a_letter_straddles_a_read_chunk(tmp_path):
    head, row, last = (
        "indicator,period,region,value,comment\n",
        "IA.JOBS,2026-Q1,MA-01,1,\n",
        "IA.JOBS,2026-Q1,MA-02,2,",
    )
    start = 4 * 1024 * 1024 - 1  # the 2-byte letter "ت" starts one byte before the 4 MiB mark
    filler = row * ((start - len(head) - len(last)) // len(row))
    pad = start - len(head) - len(filler) - len(last)
    text = head + filler + last + "x" * pad + "تقديري\n"
    path = tmp_path / "arabic_comment_at_4mib.csv"
    path.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8")[4 * 1024 * 1024 - 1 : 4 * 1024 * 1024 + 1] == "ت".encode()
    r = read_long(path, CATALOG)
    assert r.rows.slice(r.rows.num_rows - 1, 1).to_pylist()[0]["comment"].endswith("تقديري")
    assert r.problems == []


def test_a_large_csv_is_read_whole_with_every_row_numbered(tmp_path):
    regions = [f"MA-{i:02d}" for i in range(1, 13)]
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("indicator;period;region;value\n")
        for i in range(120_000):
            f.write(f"IA.JOBS;{2024 + i % 7}-Q{i % 4 + 1};{regions[i % 12]};{i},5\n")
        f.write("IA.JOBS;2026-Q1;MA-01;douze\n")
    r = read_long(path, CATALOG)
    assert r.rows.num_rows == 120_000
    assert r.rows.slice(119_999, 1).to_pylist()[0]["value"] == 119_999.5
    assert r.rows.slice(119_999, 1).to_pylist()[0]["row_number"] == 120_001
    assert where(r) == [("bad-number", 120_002, "D")]


def test_a_csv_mixing_utf8_and_windows_1256_lines_reads_each_line_in_its_own_encoding(tmp_path):
    lines = [
        ("indicator,period,region,value\n", "utf-8"),
        ("IA.JOBS,2026-Q1,الدار البيضاء-سطات,100\n", "utf-8"),
        ("IA.JOBS,2026-Q1,جهة الشرق,200\n", "cp1256"),  # pasted from an old export
        ("IA.JOBS,2026-Q1,سوس-ماسة,300\n", "utf-8"),
        ("IA.JOBS,2026-Q1,فاس-مكناس,400\n", "cp1256"),
    ]
    path = tmp_path / "mixed_utf8_cp1256_lines_garbled.csv"
    path.write_bytes(b"".join(text.encode(enc) for text, enc in lines))
    r = read_long(path, CATALOG)
    assert values(r, "region", "value") == [
        ("MA-06", 100.0),
        ("MA-02", 200.0),
        ("MA-09", 300.0),
        ("MA-03", 400.0),
    ]
    assert [(p.code, p.severity, p.params["lines"]) for p in r.problems] == [
        ("mixed-encoding", "warning", [3, 5])
    ]
    assert "3, 5" in r.problems[0].message and "Windows-1256" in r.problems[0].message


def test_a_plain_windows_1252_file_is_not_called_mixed():
    r = read("long_fr_semicolon_cp1252.csv")
    assert "mixed-encoding" not in {p.code for p in r.problems}
