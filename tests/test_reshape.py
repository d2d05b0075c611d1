"""From a sheet to canonical long rows: layouts, mappings, numbers, problems and their caps (loaders/reshape.py)."""

from pathlib import Path

import pytest

from loaders.catalog import load_catalog
from loaders.problems import ERROR_CODES, SUMMARY_CODES, WARNING_CODES
from loaders.reshape import read_long

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CATALOG = load_catalog()


def read(name, lang="en"):
    return read_long(FIXTURES / name, CATALOG, lang=lang)


def where(result):
    return [(p.code, p.row, p.column) for p in result.problems]


def values(result, *cols):
    cols = cols or ("indicator", "period", "region", "value", "row_number", "column")
    return [tuple(r[c] for c in cols) for r in result.rows.to_pylist()]


def test_wide_years_unpivot_each_cell_with_its_own_column_letter():
    r = read("wide_years_en.csv")
    assert sorted(values(r)) == sorted(
        [
            ("DM.TRAINED", "2023", "MA-01", 1000.0, 2, "C"),
            ("DM.TRAINED", "2023", "MA-02", 800.0, 3, "C"),
            ("DM.FOREIGN", "2023", "", 50.0, 4, "C"),
            ("DM.TRAINED", "2023", "MA-03", 700.0, 5, "C"),
            ("DM.TRAINED", "2024", "MA-01", 1100.0, 2, "D"),
            ("DM.FOREIGN", "2024", "", 60.0, 4, "D"),
            ("DM.TRAINED", "2025", "MA-02", 900.0, 3, "E"),
            ("DM.TRAINED", "2025", "MA-03", 750.0, 5, "E"),
        ]
    )
    # empty cells and "n.d." in a wide table are values not reported; "x" is a bad number at D5
    assert where(r) == [("bad-number", 5, "D")]


def test_missing_required_column_is_one_problem_naming_what_is_missing_and_found():
    r = read("missing_value_column.csv", lang="fr")
    assert where(r) == [("missing-column", 1, None)]
    assert r.problems[0].message == (
        "Colonne(s) manquante(s) : valeur. Colonnes trouvées : indicateur, période, région, unité"
    )
    assert r.rows.num_rows == 0


def test_a_file_without_any_header_says_what_it_found():
    r = read("no_header_at_all.csv")
    assert where(r) == [("missing-column", 1, None)]
    assert "IA.JOBS, 2026-Q1, MA-01, 10" in r.problems[0].message


def test_decimal_comma_column_with_every_kind_of_space_percent_and_minus():
    r = read("numbers_comma_column.csv")
    assert values(r, "indicator", "value", "unit") == [
        ("DM.EXPORTS", 1234.5, None),
        ("DM.EXPORTS", 1234.5, None),
        ("DM.EXPORTS", 1234.5, None),
        ("DM.5G", 12.0, "%"),
        ("DM.5G", 12.0, "%"),
        ("DM.EGDI_SCORE", 0.6841, None),
        ("DM.PROC_TIME", -5.0, None),
        ("DM.FTTH", 1.234, None),  # this column is comma-decimal, so "1,234" is 1.234
    ]
    assert r.problems == []


def test_decimal_dot_column_with_comma_thousands():
    r = read("numbers_dot_decimal_thousands_comma.csv")
    assert values(r, "period", "value") == [
        ("2023", 1234.5),
        ("2024", 12.5),
        ("2025", 1234.0),
        ("2026", -3.0),
    ]
    assert r.problems == []


def test_ambiguous_column_without_language_hint_reads_thousands_and_warns():
    r = read("ambiguous_thousands_mixed_headers.csv")
    assert values(r, "period", "value") == [("2025-Q4", 1234.0), ("2026-Q1", 1250.0)]
    assert where(r) == [("ambiguous-number", 2, "C")]
    assert r.problems[0].severity == "warning"
    assert "1234" in r.problems[0].message


def test_ambiguous_column_with_french_headers_reads_a_decimal_comma_and_warns():
    r = read("ambiguous_decimal_fr_headers.csv")
    assert values(r, "region", "value") == [("MA-06", 1.25), ("MA-04", 1.1)]
    assert where(r) == [("ambiguous-number", 2, "D")]


def test_footnote_marks_become_comments_with_a_warning_each():
    r = read("footnote_marks.csv")
    assert values(r, "value", "comment") == [
        (1200.0, "(p)"),
        (850.0, "revised *"),
        (900.0, "**"),
        (700.0, "†"),
        (650.0, "¹"),
        (2000.0, "(e)"),
        (1500.0, "(r) *"),
    ]
    assert where(r) == [("footnote-stripped", row, "D") for row in range(2, 9)]
    assert all(p.severity == "warning" for p in r.problems)


def test_empty_or_not_available_values_are_missing_never_zero():
    r = read("missing_values_long.csv")
    assert values(r, "region", "value") == [("MA-04", 0.0)]
    assert where(r) == [
        ("missing-value", 2, "D"),
        ("missing-value", 3, "D"),
        ("missing-value", 4, "D"),
        ("missing-value", 6, "B"),
    ]


def test_old_region_names_are_errors_and_a_partial_name_is_not_guessed():
    r = read("old_region_names.csv", lang="fr")
    assert values(r, "region", "value", "row_number") == [("MA-02", 12.0, 4), ("MA-09", 15.0, 7)]
    assert where(r) == [
        ("old-region", 2, "C"),
        ("old-region", 3, "C"),
        ("old-region", 5, "C"),
        ("unknown-region", 6, "C"),
        ("old-region", 8, "C"),
        ("old-region", 9, "C"),
    ]
    assert "avant 2015" in r.problems[0].message
    # the nearest current region is suggested in the reader's language, and in any other on demand
    unknown = r.problems[3]
    assert (
        unknown.message == "Région inconnue « Casa-Settat » : vouliez-vous dire Casablanca-Settat ?"
    )
    assert unknown.message("en") == "Unknown region 'Casa-Settat': did you mean Casablanca-Settat?"
    assert (
        unknown.message("ar")
        == "جهة غير معروفة «\u2068Casa-Settat\u2069»: هل تقصد الدار البيضاء-سطات؟"
    )
    assert unknown.title == "Région inconnue" and unknown.title("ar") == "جهة غير معروفة"


def test_region_spellings_in_three_languages():
    r = read("region_spellings.csv")
    expected = [
        "MA-01",
        "MA-02",
        "MA-02",
        "MA-02",
        "MA-03",
        "MA-04",
        "MA-05",
        "MA-01",
        "MA-12",
        "MA-12",
        "MA-10",
        "MA-11",
        "MA-07",
        "MA-07",
        "MA-06",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    assert values(r, "value", "region") == [
        (float(i), iso) for i, iso in enumerate(expected, start=1)
    ]
    assert r.problems == []


def test_indicators_by_code_or_name_and_unknown_ones_with_suggestions():
    r = read("unknown_indicator_names.csv")
    assert values(r, "indicator", "period", "row_number") == [
        ("IA.JOBS", "2026-Q1", 3),
        ("IA.JOBS", "2026-Q2", 4),
        ("IA.JOBS", "2026-Q3", 7),
    ]
    assert where(r) == [
        ("unknown-indicator", 2, "A"),
        ("unknown-indicator", 5, "A"),
        ("missing-value", 6, "A"),
    ]
    assert r.problems[0].params["suggestions"][0] == "IA.JOBS"
    assert "DM.EXPORTS" in r.problems[1].params["suggestions"]
    assert "IA.JOBS" in r.problems[0].message


def test_every_period_form_in_one_file():
    r = read("periods_all_forms.csv")
    assert r.rows.column("period").to_pylist() == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2025-Q1",
        "2025-Q1",
        "2025-Q2",
        "2025-Q2",
        "2024-Q1",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2023",
        "2026-Q1",
        "2026-Q4",
        "2022",
        "2023-Q4",
    ]
    assert r.problems == []


def test_descriptive_columns_are_silent_and_unknown_ones_warned():
    r = read("extra_and_descriptive_columns.csv")
    assert values(r) == [("IA.GDP", "2025", "", 3.0, 2, "F")]
    assert where(r) == [("ignored-column", 1, "G")]
    assert "Responsable" in r.problems[0].message


def test_repetitive_problems_are_capped_at_50_per_code_and_column():
    r = read("many_bad_numbers_60.csv")
    assert where(r) == [("bad-number", row, "D") for row in range(2, 52)] + [
        ("too-many-problems", None, "D")
    ]
    assert r.problems[-1].params["count"] == 10
    assert r.problems[-1].severity == "error"
    assert r.rows.num_rows == 0


def test_a_cap_on_warnings_stays_a_warning(tmp_path):
    path = tmp_path / "many_footnotes.csv"
    path.write_text(
        "indicator,period,region,value\n"
        + "".join(f"IA.JOBS,{2020 + i // 4}-Q{i % 4 + 1},MA-01,{i} (p)\n" for i in range(55)),
        encoding="utf-8",
    )
    r = read_long(path, CATALOG)
    assert r.rows.num_rows == 55
    assert [p.code for p in r.problems].count("footnote-stripped") == 50
    assert r.problems[-1].code == "too-many-problems" and r.problems[-1].severity == "warning"
    assert not r.errors


def test_problem_codes_are_the_stable_ones():
    codes = set()
    for name in (
        "wide_years_en.csv",
        "missing_value_column.csv",
        "old_region_names.csv",
        "footnote_marks.csv",
        "missing_values_long.csv",
        "unknown_indicator_names.csv",
        "many_bad_numbers_60.csv",
        "extra_and_descriptive_columns.csv",
        "total_row_mismatch.xlsx",
        "instructions_sheet_ignored.xlsx",
        "ambiguous_decimal_fr_headers.csv",
    ):
        for p in read(name).problems:
            codes.add(p.code)
            assert (p.severity == "error") == (p.code in ERROR_CODES) or p.code in SUMMARY_CODES
    assert "ambiguous-number" in codes
    assert codes <= ERROR_CODES | WARNING_CODES | SUMMARY_CODES


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "'S1 2025' is not a period (expected e.g. 2026-Q1, T1 2026, 1er trimestre 2026 or 2026)",
        ),
        (
            "fr",
            "« S1 2025 » n'est pas une période (attendu par ex. 2026-Q1, T1 2026, 1er trimestre 2026 ou 2026)",
        ),
        # Right to left: the cell as typed and the period code are isolated (FSI…PDI), so neither is
        # reordered and the « » quotes stay matched.
        (
            "ar",
            "«\u2068S1 2025\u2069» ليست فترة (المتوقع مثلا \u20682026-Q1\u2069 أو الربع الأول 2026 أو 2026)",
        ),
    ],
)
def test_messages_are_in_the_users_language(lang, message):
    assert read("bad_period_row7.csv", lang=lang).problems[0].message == message


def test_no_values_at_all_is_a_problem_not_an_empty_success(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text("indicator,period,value\n", encoding="utf-8")
    r = read_long(path, CATALOG)
    assert where(r) == [("no-data", None, None)]


# ---------------------------------------------------------------------------------------------
# Every figure right: wide rows, skipped rows, total rows


def _write(tmp_path, name, rows, merge=None):
    """rows of cells (None = blank) as a CSV or an .xlsx (numbers stay numbers); merge = (row, c1, c2)."""
    path = tmp_path / name
    if name.endswith(".csv"):
        text = "\n".join(",".join("" if c is None else str(c) for c in r) for r in rows) + "\n"
        path.write_text(text, encoding="utf-8")
        return path
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Data")
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            if c is not None:
                ws.write(i, j, c)
    if merge:
        r, c1, c2 = merge
        ws.merge_range(r, c1, r, c2, rows[r][c1])
    wb.close()
    return path


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_wide_row_of_148_quarters_keeps_all_its_values(tmp_path, ext):
    quarters = [f"{y}-Q{q}" for y in range(1990, 2027) for q in range(1, 5)]
    assert len(quarters) == 148
    rows = [
        ["indicator", *quarters],
        ["DM.STARTUPS", *range(1, 149)],
        ["IA.JOBS", *range(1, 9), *[None] * 140],
    ]
    path = _write(tmp_path, f"wide_148_quarters_row_dropped.{ext}", rows)
    r = read_long(path, CATALOG)
    assert r.rows.num_rows == 156
    startups = [v for i, p, _r, v, *_ in values(r) if i == "DM.STARTUPS"]
    assert len(startups) == 148 and sum(startups) == 148 * 149 / 2
    assert r.problems == []


def test_every_row_left_out_of_the_data_is_reported_with_its_row(tmp_path):
    rows = [
        ["indicator", "period", "value"],
        ["Pilier 1 : Impact", None, None],
        ["IA.JOBS", "2026-Q1", 10],
        ["* provisoire", None, None],
        ["Source : ANAPEC", None, None],
    ]
    r = read_long(_write(tmp_path, "heading_and_note_rows_dropped_silently.csv", rows), CATALOG)
    assert values(r, "indicator", "value", "source") == [("IA.JOBS", 10.0, "ANAPEC")]
    assert where(r) == [("skipped-row", 2, None), ("skipped-row", 4, None)]
    assert [p.severity for p in r.problems] == ["warning", "warning"]
    assert "Pilier 1 : Impact" in r.problems[0].message


GRAND_TOTALS = [
    "Total",
    "Total général",
    "Ensemble",
    "TOTAL NATIONAL",
    "Total Maroc",
    "Grand total",
    "المجموع",
    "الإجمالي",
    "المجموع العام",
]
SUBTOTALS = ["Sous-total", "Subtotal", "المجموع الفرعي"]
HEAD = ["Nom", "Indicateur", "Période", "Région", "Valeur"]
REGIONS = [
    [None, "IA.JOBS", "2026-Q1", "Casablanca-Settat", 1000],
    [None, "IA.JOBS", "2026-Q1", "Rabat-Salé-Kénitra", 500],
]
# Where the label sits -> the total row, with the other cells blank or filled.
PLACEMENTS = {
    ("code", "blank"): lambda t: [None, t, None, None, None],
    ("code", "filled"): lambda t: [None, t, "2026-Q1", None, 1500],
    ("region", "blank"): lambda t: [None, None, None, t, None],
    ("region", "filled"): lambda t: [None, "IA.JOBS", "2026-Q1", t, 1500],
    ("first", "blank"): lambda t: [t, None, None, None, None],
    ("first", "filled"): lambda t: [t, "IA.JOBS", "2026-Q1", None, 1500],
    ("merged", "blank"): lambda t: [t, None, None, None, None],
    ("merged", "filled"): lambda t: [t, None, None, None, 1500],
}


# A CSV has no merged cells (its first-column case is the same row).
CASES = [
    (ext, p) for ext in ("csv", "xlsx") for p in PLACEMENTS if ext == "xlsx" or p[0] != "merged"
]


@pytest.mark.parametrize(
    ("ext", "placement"), CASES, ids=lambda c: "-".join(c) if isinstance(c, tuple) else c
)
@pytest.mark.parametrize("label", GRAND_TOTALS + SUBTOTALS)
def test_total_rows_never_fail_a_file_nor_become_a_region(tmp_path, ext, placement, label):
    where_, cells = placement
    merge = (3, 0, 2) if where_ == "merged" else None
    rows = [HEAD, *REGIONS, PLACEMENTS[placement](label)]
    r = read_long(_write(tmp_path, f"total_row_rejected_or_a_region.{ext}", rows, merge), CATALOG)
    assert r.errors == []
    got = values(r, "indicator", "period", "region", "value")
    regional = [
        ("IA.JOBS", "2026-Q1", "MA-06", 1000.0),
        ("IA.JOBS", "2026-Q1", "MA-04", 500.0),
    ]
    # A grand total with its indicator and period where a region goes is the national value.
    stored = label in GRAND_TOTALS and cells == "filled" and where_ in ("region", "first")
    assert got == regional + ([("IA.JOBS", "2026-Q1", "", 1500.0)] if stored else [])
    assert [(p.code, p.row) for p in r.problems] == [("total-row", 4)]
    message = r.problems[0].message
    if stored:
        assert message == "Total row: stored as the national value, not as a region"
    elif label in SUBTOTALS:
        assert message.startswith("Subtotal row") and "never stored" in message
    else:
        assert message.startswith("Total row") and "not stored" in message


def test_a_subtotal_of_the_regions_is_not_checked_nor_stored(tmp_path):
    rows = [HEAD, *REGIONS, [None, "IA.JOBS", "2026-Q1", "Sous-total", 9999]]
    r = read_long(_write(tmp_path, "subtotal_stored_as_region.csv", rows), CATALOG)
    assert r.errors == [] and len(values(r)) == 2


# ---------------------------------------------------------------------------------------------
# Each problem quotes the cell as typed and suggests what was probably meant (issue #10)


def test_a_not_reported_mark_is_quoted_as_typed_not_called_an_empty_cell():
    r = read("nd_cell_reported_as_empty_cell.csv", lang="fr")
    assert where(r) == [
        ("missing-value", 2, "D"),
        ("missing-value", 3, "D"),
        ("missing-value", 4, "D"),
    ]
    nd, empty, dash = r.problems
    assert nd.message == (
        "« n.d. » n'est pas un nombre : la valeur n'est pas renseignée "
        "(écrivez le nombre, ou retirez la ligne)"
    )
    assert nd.message("en") == (
        "'n.d.' is not a number: the value is not reported (write the number, or leave the row out)"
    )
    assert nd.message("ar") == (
        "«\u2068n.d.\u2069» ليس عددا: القيمة غير مُبلَّغ عنها (اكتب العدد أو احذف السطر)"
    )
    assert empty.message("en") == "The value is missing (an empty cell is not a zero)"
    assert dash.message("en").startswith("'-' is not a number")
    assert values(r, "region", "value") == [("MA-04", 12.0)]


def test_an_unknown_region_or_indicator_suggests_the_nearest_in_the_reader_language():
    r = read("misspelled_region_and_indicator_without_suggestion.csv", lang="fr")
    assert where(r) == [
        ("unknown-region", 2, "C"),
        ("unknown-region", 3, "C"),
        ("unknown-indicator", 4, "A"),
    ]
    latin, arabic, indicator = r.problems
    assert latin.message == "Région inconnue « Fes-Mekness » : vouliez-vous dire Fès-Meknès ?"
    assert latin.message("en") == "Unknown region 'Fes-Mekness': did you mean Fez-Meknes?"
    assert arabic.message("ar") == "جهة غير معروفة «فاس مكناسس»: هل تقصد فاس-مكناس؟"
    assert indicator.message("en") == (
        "Unknown indicator 'IA.JOB': did you mean IA.JOBS (Direct and indirect AI-related jobs)? "
        "Closest codes: IA.JOBS, DM.JOBS, IA.LABEL"
    )
    assert indicator.message.startswith(
        "Indicateur inconnu « IA.JOB » : vouliez-vous dire IA.JOBS (Emplois directs et indirects liés à l'IA) ?"
    )
    assert values(r, "region", "value") == [("MA-02", 4.0)]
