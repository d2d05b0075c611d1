"""Counted nouns, units and signed numbers as a reader of each language sees them (loaders.i18n plurals, kpis.text)."""

import re

import pytest
from babel.messages.extract import extract_from_dir

from kpis import units
from kpis.text import FSI, LRI, PDI, texts
from loaders.i18n import NOUNS, _plurals, count, ngettext, plural_index
from tests.test_boundaries import ROOT

COUNTS = (0, 1, 2, 3, 11, 100)


def test_arabic_takes_its_six_plural_categories_from_babel():
    assert [plural_index(n, "ar") for n in COUNTS] == [0, 1, 2, 3, 4, 5]
    assert [plural_index(n, "ar") for n in (10, 99, 101, 102, 103, 111)] == [3, 4, 5, 5, 3, 4]
    # French: 0 and 1 (and 1,5) are singular; English: only 1.
    assert [plural_index(n, "fr") for n in (0, 1, 1.5, 2, 100)] == [0, 0, 0, 1, 1]
    assert [plural_index(n, "en") for n in (0, 1, 1.5, 2)] == [1, 0, 1, 1]


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "en",
            ["0 problems", "1 problem", "2 problems", "3 problems", "11 problems", "100 problems"],
        ),
        (
            "fr",
            [
                "0 problème",
                "1 problème",
                "2 problèmes",
                "3 problèmes",
                "11 problèmes",
                "100 problèmes",
            ],
        ),
        ("ar", ["0 مشكلة", "مشكلة واحدة", "مشكلتان", "3 مشاكل", "11 مشكلةً", "100 مشكلة"]),
    ],
)
def test_problems_are_counted_in_the_form_each_count_takes(lang, expected):
    assert [count("problem", n, lang) for n in COUNTS] == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "en",
            [
                "0 institutes",
                "1 institute",
                "2 institutes",
                "3 institutes",
                "11 institutes",
                "100 institutes",
            ],
        ),
        (
            "fr",
            [
                "0 institut",
                "1 institut",
                "2 instituts",
                "3 instituts",
                "11 instituts",
                "100 instituts",
            ],
        ),
        ("ar", ["0 معهد", "معهد واحد", "معهدان", "3 معاهد", "11 معهدًا", "100 معهد"]),
    ],
)
def test_a_unit_value_agrees_with_its_count(lang, expected):
    t = texts(lang)
    assert [t.value(n, "institutes") for n in COUNTS] == expected


def test_regions_years_batches_and_indicators_agree_in_arabic():
    assert [count("region", n, "ar") for n in COUNTS] == [
        "0 جهة",
        "جهة واحدة",
        "جهتان",
        "3 جهات",
        "11 جهةً",
        "100 جهة",
    ]
    assert [count("year", n, "ar") for n in COUNTS] == [
        "0 سنة",
        "سنة واحدة",
        "سنتان",
        "3 سنوات",
        "11 سنة",
        "100 سنة",
    ]
    assert count("batch", 1, "fr") == "1 lot" and count("batch", 2, "fr") == "2 lots"
    assert count("indicator", 32, "ar") == "32 مؤشرًا"
    assert (
        count("indicator", 1, "en") == "1 indicator"
        and count("indicator", 0, "en") == "0 indicators"
    )


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_unit_and_noun_renders_every_count(lang):
    t = texts(lang)
    for code in units.catalog_units():
        for n in COUNTS:
            text = t.value(n, code)
            assert text and "{" not in text, (code, n, text)
            u = units.unit_of(code)
            if u.kind in ("count", "money", "quantity") and (lang != "ar" or n not in (1, 2)):
                assert re.search(rf"(^|\D){n}(\D|$)", text), (code, n, text)
    for noun in NOUNS:
        for n in COUNTS:
            assert "{" not in count(noun, n, lang)


def test_units_have_every_plural_form_and_french_agrees():
    t = texts("fr")
    assert t.value(1, "jobs") == "1 emploi" and t.value(2, "jobs") == "2 emplois"
    assert t.value(1.5, "bn MAD") == "1,5 milliard de dirhams"
    assert t.value(2.5, "bn MAD") == "2,5 milliards de dirhams"
    assert texts("ar").value(5, "institutes") == "5 معاهد"
    assert texts("ar").value(12, "institutes") == "12 معهدًا"


def _plural_msgids() -> dict[str, str]:
    found = {}
    for d in ("pages", "loaders", "kpis"):
        for filename, lineno, msg, _c, _ctx in extract_from_dir(
            ROOT / d, [("**.py", "python")], keywords={"n_": (1, 2), "ngettext": (1, 2)}
        ):
            if isinstance(msg, tuple) and isinstance(msg[0], str):
                found.setdefault(msg[0], f"{d}/{filename}:{lineno}")
    found.update({s: "loaders/i18n.py NOUNS" for s, _p in NOUNS.values()})
    return found


@pytest.mark.parametrize("lang, n_forms", [("fr", 2), ("ar", 6)])
def test_every_counted_phrase_has_all_its_plural_forms(lang, n_forms):
    ids = _plural_msgids()
    assert len(ids) > 10
    table = _plurals(lang)
    missing = [f"{where}: {msg!r}" for msg, where in ids.items() if msg not in table]
    assert missing == []
    for msgid in ids:
        forms = table[msgid]
        assert len(forms) == n_forms, msgid
        # Every placeholder but the count itself is kept in every form (a form may spell the count).
        want = set(re.findall(r"\{(\w+)\}", msgid)) - {"n"}
        for form in forms:
            assert set(re.findall(r"\{(\w+)\}", form)) - {"n"} == want, (msgid, form)


def test_an_untranslated_counted_phrase_falls_back_to_english_forms():
    assert ngettext("{n} cat", "{n} cats", 1, "fr") == "1 cat"
    assert ngettext("{n} cat", "{n} cats", 3, "ar") == "3 cats"


def test_coverage_is_phrased_in_words_in_each_language():
    from kpis.views import coverage_text

    assert coverage_text(7, 12, "en") == "7 of 12 regions"
    assert coverage_text(1, 12, "en") == "1 of 12 regions"
    assert coverage_text(7, 12, "fr") == "7 régions sur 12"
    assert coverage_text(1, 12, "fr") == "1 région sur 12"
    assert coverage_text(7, 12, "ar") == "7 جهات من أصل 12"
    assert coverage_text(12, 12, "ar") == "12 جهة من أصل 12"
    assert coverage_text(2, 12, "ar") == "جهتان من أصل 12"


def test_isolation_marks_are_the_unicode_ones():
    assert (LRI, FSI, PDI) == ("\u2066", "\u2068", "\u2069")


# -- right to left, signs and decimals -------------------------------------------------------------


def test_a_negative_percent_keeps_its_sign_in_front_in_arabic():
    from loaders.i18n import fmt_percent

    assert texts("ar").pct(-0.05) == f"{LRI}-5%{PDI}"  # not "%5-" nor "-%5" once laid out
    assert texts("ar").signed_pct(0.034) == f"{LRI}+3,4%{PDI}"
    assert texts("fr").pct(0.45) == "45\u00a0%"
    # A change that rounds to zero has no sign: "0 %", never "-0 %".
    assert fmt_percent(-0.0001, "fr") == "0\u00a0%"
    assert texts("fr").signed_pct(-0.00001) == "0,0\u00a0%"
    assert texts("fr").signed(0, "%") == "0\u00a0%"
    assert texts("en").signed(-0.00001, "jobs") == "0 jobs"


def test_periods_codes_and_user_input_are_isolated_in_arabic_sentences():
    from loaders.i18n import fmt_period, gettext

    assert fmt_period("2026-Q1", "ar") == "الربع الأول 2026"
    assert fmt_period("2026-T5", "ar") == f"{FSI}2026-T5{PDI}"  # as typed, never "T5-2026"
    assert fmt_period("2026-T5", "fr") == "2026-T5"
    assert (
        gettext("file {name}", "ar", name="rapport T3.xlsx") == f"الملف {FSI}rapport T3.xlsx{PDI}"
    )
    assert gettext("file {name}", "fr", name="rapport T3.xlsx") == "fichier rapport T3.xlsx"
    # Arabic values need no isolation; already isolated text is not wrapped twice.
    assert gettext("row {n}", "ar", n=7) == "السطر 7"
    assert gettext("file {name}", "ar", name=f"{FSI}a.csv{PDI}").count(FSI) == 1


def test_guillemets_around_latin_text_stay_matched_in_arabic():
    from loaders.i18n import gettext

    text = gettext(
        "Region names are spelled many ways in real files (accents, “L'Oriental”/“Oriental”/“الشرق”, the "
        "prefix “جهة”, hamza variants): everything is keyed on the ISO code. The former 16-region names "
        "are a different division and are never mapped silently onto the 12 regions.",
        "ar",
    )
    assert f"«{FSI}L'Oriental{PDI}»/«{FSI}Oriental{PDI}»" in text


def test_each_unit_shows_at_most_its_own_decimals():
    from loaders.i18n import fmt_number

    assert fmt_number(0.62, "fr") == "0,62"  # not "0,6200"
    assert texts("fr").value(0.62, "index 0-1") == "0,62 indice 0-1"
    assert texts("fr").value(0.6234, "index 0-1") == "0,6234 indice 0-1"
    assert texts("en").value(45.5, "%") == "45.5%"
    assert texts("en").value(45, "%") == "45%"
    assert texts("en").value(1.25, "million households") == "1.25 million households"
    assert texts("en").value(2.0, "bn MAD") == "2 bn MAD"
    assert texts("fr").value(1234, "jobs") == "1\u202f234 emplois"


def test_marsads_own_loads_are_named_in_the_page_language():
    from kpis.text import SYSTEM_USERS
    from loaders.seed import DEMO_USER, PUBLIC_USER

    assert set(SYSTEM_USERS) == {PUBLIC_USER, DEMO_USER}
    assert texts("fr").user(PUBLIC_USER) == "Marsad (données de référence)"
    assert texts("ar").user(PUBLIC_USER) == "مرصد (البيانات المرجعية)"
    assert texts("ar").user("Nadia B.") == f"{FSI}Nadia B.{PDI}"


def test_a_gap_in_points_reads_in_the_page_number_format():
    assert texts("fr").signed_points(-7.94) == "-7,9\u00a0pts"
    assert texts("en").signed_points(2.5) == "+2.5 pts"
    assert texts("ar").signed_points(-7.94) == f"{LRI}-7,9{PDI} نقطة"  # the sign stays in front
    assert texts("fr").signed_points(0.01) == "0,0\u00a0pts"  # no sign on a zero gap
    assert texts("fr").signed_points(None) == "—"
    assert texts("fr").signed_points(float("nan")) == "—"
