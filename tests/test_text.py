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
