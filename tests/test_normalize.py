"""Cell meanings: header roles, periods, indicator and region names, numbers (loaders/normalize.py)."""

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.catalog import load_catalog
from loaders.normalize import (
    IndicatorMatcher,
    RegionMatcher,
    classify_header,
    clean_numbers,
    decide_decimal,
    fold,
    parse_numbers,
    parse_period,
)

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-Q1", "2026-Q1"),
        ("Q1 2026", "2026-Q1"),
        ("q3-2026", "2026-Q3"),
        ("T1 2026", "2026-Q1"),
        ("2026T1", "2026-Q1"),
        ("2026 T1", "2026-Q1"),
        ("2026/T2", "2026-Q2"),
        ("1er trimestre 2026", "2026-Q1"),
        ("2e trimestre 2026", "2026-Q2"),
        ("2ème trimestre 2026", "2026-Q2"),
        ("3ème Trimestre 2026", "2026-Q3"),
        ("Quatrième trimestre 2025", "2025-Q4"),
        ("trimestre 2 2026", "2026-Q2"),
        ("first quarter 2026", "2026-Q1"),
        ("Fourth Quarter of 2025", "2025-Q4"),
        ("الربع الأول 2026", "2026-Q1"),
        ("الربع الثاني 2026", "2026-Q2"),
        ("الربع الثالث 2026", "2026-Q3"),
        ("الربع الرابع 2026", "2026-Q4"),
        ("الفصل الأول 2026", "2026-Q1"),
        ("الربع الرابع من سنة ٢٠٢٦", "2026-Q4"),
        ("الربع الاول ۲۰۲۶", "2026-Q1"),
        ("2026", "2026"),
        ("٢٠٢٦", "2026"),
        (" 2025 ", "2025"),
        ("2026-02-15", "2026-Q1"),
        ("2026-04-01", "2026-Q2"),
        ("2026-11-30 00:00:00", "2026-Q4"),
    ],
)
def test_every_written_period_form_becomes_canonical(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "T5 2026",
        "Q0 2026",
        "S1 2025",
        "2026-13-01",
        "2026-02-30",
        "1850",
        "26",
        "mars 2026",
        "",
        "T1",
    ],
)
def test_what_is_not_a_period_is_refused(text):
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("header", "role", "unit"),
    [
        ("Indicateur", "indicator", None),
        ("INDICATOR", "indicator", None),
        ("code", "code", None),
        ("Code de l'indicateur", "code", None),
        ("  رمز المؤشر ", "code", None),
        ("المؤشر", "indicator", None),
        ("Période", "period", None),
        ("periode", "period", None),
        ("Trimestre", "period", None),
        ("Année", "period", None),
        ("quarter", "period", None),
        ("السنة", "period", None),
        ("الربع", "period", None),
        ("Région", "region", None),
        ("الجهة", "region", None),
        ("Valeur (%)", "value", "%"),
        ("valeur [emplois]", "value", "emplois"),
        ("Valeur (en %)", "value", "%"),
        ("VALUE", "value", None),
        ("القيمة (%)", "value", "%"),
        ("Unité", "unit", None),
        ("الوحدة", "unit", None),
        ("Source", "source", None),
        ("المصدر", "source", None),
        ("Commentaire", "comment", None),
        ("note", "comment", None),
        ("ملاحظة", "comment", None),
        ("Nom de l'indicateur", "info", None),
        ("Cible 2030", "info", None),
        ("Target (2030)", "info", None),
        ("Responsable", None, None),
    ],
)
def test_headers_in_three_languages_are_recognised(header, role, unit):
    info = classify_header(header)
    assert (info.role, info.unit) == (role, unit)


@pytest.mark.parametrize(
    ("header", "period", "unit"),
    [
        ("T1 2026", "2026-Q1", None),
        ("2024", "2024", None),
        ("2026 (bn MAD)", "2026", "bn MAD"),
        ("الربع الأول 2026", "2026-Q1", None),
        ("2026-07-01", "2026-Q3", None),
    ],
)
def test_period_headers_make_a_wide_table(header, period, unit):
    info = classify_header(header)
    assert (info.role, info.period, info.unit) == ("period-column", period, unit)


def test_folding_ignores_case_accents_and_arabic_spelling_variants():
    assert fold("  Béni   Mellal-KHÉNIFRA ") == "beni mellal khenifra"
    assert fold("أإآا") == fold("اااا")
    assert fold("مدينة") == fold("مدينه")
    assert fold("على") == fold("علي")
    assert fold("العـــربية") == fold("العربية")  # tatweel
    assert fold("مُكَوَّن") == fold("مكون")  # diacritics
    assert fold("٢٠٢٦") == "2026"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("IA.JOBS", "IA.JOBS"),
        ("ia.jobs", "IA.JOBS"),
        (" dm.5g ", "DM.5G"),
        ("Emplois directs et indirects liés à l'IA", "IA.JOBS"),
        ("EMPLOIS DIRECTS ET INDIRECTS LIES A L’IA", "IA.JOBS"),
        ("Direct and indirect AI-related jobs", "IA.JOBS"),
        ("direct and indirect ai related   jobs", "IA.JOBS"),
        ("مناصب الشغل المباشرة وغير المباشرة المرتبطة بالذكاء الاصطناعي", "IA.JOBS"),
        (
            "مناصب الشغل المباشره وغير المباشره المرتبطه بالذكاء الاصطناعى",
            "IA.JOBS",
        ),  # ة/ه and ي/ى written loosely
        ("Couverture 5G de la population", "DM.5G"),
        ("UN E-Government Development Index rank", "DM.EGDI_RANK"),
    ],
)
def test_indicator_by_code_or_exact_name_in_any_language(text, code):
    assert IndicatorMatcher(CATALOG).match(text) == code


def test_unknown_indicator_gets_the_closest_codes():
    m = IndicatorMatcher(CATALOG)
    assert m.match("IA.JOB") is None
    assert m.suggest("IA.JOB")[0] == "IA.JOBS"
    assert "DM.EXPORTS" in m.suggest("Digital exports")
    assert len(m.suggest("IA.JOB")) <= 3
    assert m.match("Emplois") is None  # a part of a name is not the name


@pytest.mark.parametrize(
    ("text", "kind", "iso"),
    [
        ("MA-01", "region", "MA-01"),
        ("ma01", "region", "MA-01"),
        ("MA 06", "region", "MA-06"),
        ("01", "region", "MA-01"),
        ("1", "region", "MA-01"),
        ("12", "region", "MA-12"),
        ("L'Oriental", "region", "MA-02"),
        ("Oriental", "region", "MA-02"),
        ("Région de l'Oriental", "region", "MA-02"),
        ("الشرق", "region", "MA-02"),
        ("الشرقية", "region", "MA-02"),
        ("جهة الشرق", "region", "MA-02"),
        ("Fès-Meknès", "region", "MA-03"),
        ("Fez-Meknes", "region", "MA-03"),
        ("Rabat Salé Kénitra", "region", "MA-04"),
        ("Tanger-Tétouan-Al Hoceima", "region", "MA-01"),
        ("Tanger - Tetouan - Al Hoceïma", "region", "MA-01"),
        ("Casablanca Settat", "region", "MA-06"),
        ("مراكش آسفي", "region", "MA-07"),
        ("مراكش-اسفي", "region", "MA-07"),
        ("كلميم-واد نون", "region", "MA-10"),
        ("كلميم وادي نون", "region", "MA-10"),
        ("Laayoune-Sakia El Hamra", "region", "MA-11"),
        ("Dakhla-Oued Ed-Dahab", "region", "MA-12"),
        ("Dakhla-Oued Eddahab", "region", "MA-12"),
        ("Dakhla Oued Ed Dahab", "region", "MA-12"),
        ("الداخلة-وادي الذهب", "region", "MA-12"),
        ("الداخلة واد الذهب", "region", "MA-12"),
        ("", "empty", ""),
        ("National", "national", ""),
        ("Maroc", "national", ""),
        ("Morocco", "national", ""),
        ("المغرب", "national", ""),
        ("Ensemble du Maroc", "national", ""),
        ("وطني", "national", ""),
        ("Total", "total", ""),
        ("Total national", "total", ""),
        ("المجموع", "total", ""),
        ("Ensemble", "total", ""),
        ("الإجمالي", "total", ""),
    ],
)
def test_region_spellings_map_to_iso_codes(text, kind, iso):
    m = RegionMatcher(CATALOG).match(text)
    assert (m.kind, m.iso) == (kind, iso)


@pytest.mark.parametrize(
    "name",
    [
        "Guelmim-Es Semara",
        "Laâyoune-Boujdour-Sakia El Hamra",
        "Souss-Massa-Drâa",
        "Grand Casablanca",
        "Tadla-Azilal",
        "Doukkala-Abda",
        "Oued Ed-Dahab-Lagouira",
        "Gharb-Chrarda-Béni Hssen",
        "Chaouia-Ouardigha",
        "Marrakech-Tensift-Al Haouz",
        "Meknès-Tafilalet",
        "Fès-Boulemane",
        "Taza-Al Hoceïma-Taounate",
        "Tanger-Tétouan",
        "Rabat-Salé-Zemmour-Zaër",
        "الدار البيضاء الكبرى",
    ],
)
def test_pre_2015_region_names_are_never_guessed(name):
    m = RegionMatcher(CATALOG).match(name)
    assert (m.kind, m.iso) == ("old", None)


def test_unknown_region_suggests_the_closest_current_names():
    m = RegionMatcher(CATALOG)
    assert m.match("Casa-Settat").kind == "unknown"
    assert m.match("Casa-Settat").suggestions[0] == "MA-06"
    assert m.match("Rabat").suggestions[0] == "MA-04"
    assert m.match("13").kind == "unknown"


def _read(cells, hint=None):
    clean = clean_numbers(pa.array(cells, pa.string()))
    decision = decide_decimal([clean], hint)
    values, valid = parse_numbers(clean, decision)
    return decision, values.to_pylist(), clean


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1 234,5", "12"], [1234.5, 12.0]),
        (["1.234,5", "2.000.000"], [1234.5, 2000000.0]),
        (["1,234.5", "12.5"], [1234.5, 12.5]),
        (["1234.5", "0.25"], [1234.5, 0.25]),
        (["1\u00a0234,5", "1\u202f000"], [1234.5, 1000.0]),
        (["12 %", "12%"], [12.0, 12.0]),
        (["١٢٣٤٫٥", "١٬٢٥٠"], [1234.5, 1250.0]),
        (["۱۲", "۳٫۵"], [12.0, 3.5]),
        (["\u22125", "-2,5"], [-5.0, -2.5]),
        (["+7", "8"], [7.0, 8.0]),
        (["12,5", "1,234"], [12.5, 1.234]),  # the column is comma-decimal: 1,234 is 1.234 here
        (["1,234.5", "1,234"], [1234.5, 1234.0]),
    ],
)
def test_numbers_are_read_with_one_decimal_separator_per_column(cells, expected):
    _decision, values, _clean = _read(cells)
    assert values == expected


def test_a_column_of_only_ambiguous_numbers_follows_the_language_or_reads_thousands():
    assert _read(["1,234", "5,678"])[1] == [1234.0, 5678.0]
    assert _read(["1,234", "5,678"])[0].ambiguous_example == "1,234"
    assert _read(["1,234", "5,678"], "fr")[1] == [1.234, 5.678]
    assert _read(["1,234", "5,678"], "ar")[1] == [1.234, 5.678]
    assert _read(["1.234", "5.678"])[1] == [1234.0, 5678.0]
    assert _read(["1.234", "5.678"], "en")[1] == [1.234, 5.678]
    assert _read(["1.234", "5.678"], "fr")[1] == [1234.0, 5678.0]
    assert _read(["0.234", "5.678"])[0].ambiguous_example is None  # a leading zero decides


def test_footnote_marks_are_stripped_and_kept():
    _d, values, clean = _read(["12,5 (p)", "1 234*", "7†", "8¹", "9 (e)", "10 (r) *", "11"])
    assert values == [12.5, 1234.0, 7.0, 8.0, 9.0, 10.0, 11.0]
    assert clean.mark.to_pylist() == ["(p)", "*", "†", "¹", "(e)", "(r) *", None]


def test_empty_and_not_available_are_missing_never_zero_and_words_are_bad():
    _d, values, clean = _read(["", "  ", "n.d.", "-", "N/A", "abc", "12 kg", "0"])
    assert clean.missing.to_pylist() == [True, True, True, True, True, False, False, False]
    assert values == [None, None, None, None, None, None, None, 0.0]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(["fr", "fr_dots", "en", "ar_digits"]),
)
def test_a_number_written_in_any_house_style_reads_back_exactly(whole, cents, style):
    value = whole + cents / 100
    grouped = f"{whole:,}"
    text = {
        "fr": grouped.replace(",", "\u202f") + f",{cents:02d}",
        "fr_dots": grouped.replace(",", ".") + f",{cents:02d}",
        "en": grouped + f".{cents:02d}",
        "ar_digits": (grouped.replace(",", "٬") + f"٫{cents:02d}").translate(
            str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
        ),
    }[style]
    _d, values, _c = _read([text])
    assert values == [pytest.approx(value, rel=0, abs=1e-9)]
