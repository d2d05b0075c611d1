"""Streamlit's and plotly.js's own English in headless Chromium: on French and Arabic pages the chart toolbar's
tooltips, the data grid's toolbar, the presenter's hidden keys and the "Skip to main content" link read in the page's language, for the eye and for a screen reader."""

import pytest

from pages._chrome import PLOTLY_TEXTS, STREAMLIT_CHART_BUTTONS
from tests.browser import browser, open_page, running_app

ENGLISH = {*PLOTLY_TEXTS, *STREAMLIT_CHART_BUTTONS, "Skip to main content"}
CHART_PAGES = [
    "",
    "indicator?code=IA.JOBS",
    "regions?code=IA.JOBS",
    "pillar",
    "milestones",
    "peers",
]
SKIP = {"fr": "Aller au contenu principal", "ar": "الانتقال إلى المحتوى الرئيسي"}
TOOLTIPS = {
    "fr": {"Télécharger le graphique en PNG", "Réinitialiser les axes", "Plein écran", "Déplacer"},
    "ar": {"تنزيل الرسم البياني بصيغة PNG", "إعادة ضبط المحاور", "ملء الشاشة", "تحريك"},
}
# The tooltip a user sees: what each toolbar button draws when hovered (plotly's CSS shows its data-title).
TOOLBAR_JS = """() => [...document.querySelectorAll('.js-plotly-plot .modebar-btn')].map(
  b => [b.getAttribute('data-title'), getComputedStyle(b, '::after').content.replace(/^"|"$/g, '')])"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with (
        running_app(tmp_path_factory.mktemp("lang") / "m.duckdb", demo=True) as base,
        browser() as b,
    ):
        open_page(b, base + "/?lang=fr").close()  # the first request goes through app.py
        yield base, b


def _url(base, path, lang):
    return f"{base}/{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_chart_toolbars_speak_the_page_language(app, lang):
    base, b = app
    for path in CHART_PAGES:
        page = open_page(b, _url(base, path, lang), width=1440, height=900)
        page.locator(".js-plotly-plot").first.hover()
        buttons = page.evaluate(TOOLBAR_JS)
        assert len(buttons) >= 4, path
        shown = {tooltip for _title, tooltip in buttons}
        assert not shown & ENGLISH, (path, shown & ENGLISH)
        # plotly's own buttons carry the translated title itself (Streamlit's Fullscreen only in CSS).
        titles = {title for title, _tooltip in buttons} - set(STREAMLIT_CHART_BUTTONS)
        assert not titles & ENGLISH, (path, titles & ENGLISH)
        if path.startswith("indicator"):
            assert TOOLTIPS[lang] <= shown
        # ...and a screen reader hears every button, Streamlit's own included, in the page's language.
        names = set(
            page.evaluate(
                "() => [...document.querySelectorAll('.js-plotly-plot .modebar-btn')]"
                ".map(b => b.getAttribute('aria-label'))"
            )
        )
        assert not names & ENGLISH, (path, names & ENGLISH)
        page.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_skip_link_reads_in_the_page_language(app, lang):
    base, b = app
    page = open_page(b, _url(base, "indicator?code=IA.JOBS", lang), width=1440, height=900)
    assert page.evaluate("document.documentElement.lang") == lang
    page.keyboard.press("Tab")  # the first stop of a keyboard user
    link = page.get_by_test_id("stSkipToContent")
    assert page.evaluate("document.activeElement.dataset.testid") == "stSkipToContent"
    drawn = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stSkipToContent]'), '::after').content"
    )
    assert drawn == f'"{SKIP[lang]}"'
    # Streamlit's English words take no room on screen: only the translation is seen.
    english_width = page.evaluate(
        """() => { const a = document.querySelector('[data-testid=stSkipToContent]');
        const r = document.createRange(); r.selectNodeContents(a.firstChild);
        return [a.firstChild.textContent, r.getBoundingClientRect().width, a.getBoundingClientRect().width]; }"""
    )
    assert english_width[0] == "Skip to main content" and english_width[1] == 0
    assert english_width[2] > 100  # the translated link is drawn
    # A screen reader announces the translation.
    assert page.get_by_role("link", name=SKIP[lang], exact=True).count() == 1
    assert link.get_attribute("aria-label") == SKIP[lang]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "stMain"  # the link still works
    page.close()


def test_switching_to_english_gives_back_streamlit_and_plotly_english(app):
    base, b = app
    page = open_page(b, _url(base, "indicator?code=IA.JOBS", "fr"), width=1440, height=900)
    # The language picker reruns the page in place: nothing French may stay on the English page.
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="English").click()
    page.wait_for_function(
        "document.querySelector('h1')?.innerText === 'Direct and indirect AI-related jobs'"
    )
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.locator(".js-plotly-plot").first.hover()
    shown = {tooltip for _title, tooltip in page.evaluate(TOOLBAR_JS)}
    assert {"Download plot as a PNG", "Reset axes", "Fullscreen"} <= shown
    assert page.get_by_role("link", name="Skip to main content", exact=True).count() == 1
    page.close()


def test_arabic_regions_page_keeps_dates_values_and_the_licence_in_order(app):
    base, b = app
    page = open_page(b, _url(base, "regions?code=IA.JOBS", "ar"), width=1440, height=900)
    # The sidebar date reads 2026-12-02 left to right, not 02-12-2026: the year box is left of the day box.
    year, day = (
        page.get_by_test_id("stSidebar").locator(f"[data-type={t}]").first.bounding_box()["x"]
        for t in ("year", "day")
    )
    assert year < day
    # "12 من أصل 12" fits its box at 1440 px: wrapped, never cut with "…" or spilling over the next one.
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stMetric]')].filter(m => {
          const v = m.querySelector('[data-testid=stMetricValue] p').getBoundingClientRect();
          const box = m.getBoundingClientRect();
          return v.left < box.left || v.right > box.right; }).length"""
    )
    assert cut == 0
    assert page.get_by_test_id("stMetricValue").filter(has_text="12 من أصل 12").count() >= 1
    # The licence written on the map reads right to left: its first character (©) is drawn rightmost.
    page.locator(".js-plotly-plot text").filter(has_text="OpenStreetMap").first.wait_for()
    first_x, last_x = page.evaluate(
        """() => { const t = [...document.querySelectorAll('.js-plotly-plot text')]
            .find(e => e.textContent.includes('OpenStreetMap'));
          const n = t.getNumberOfChars();
          return [t.getExtentOfChar(0).x, t.getExtentOfChar(n - 1).x]; }"""
    )
    assert first_x > last_x
    page.close()


def test_an_empty_table_says_so_in_arabic(app):
    base, b = app
    # No audited action yet; Arabic tables are HTML tables (st.table), which write "empty" when bare.
    page = open_page(b, _url(base, "audit", "ar"), width=1440, height=900)
    cell = page.get_by_test_id("stTableStyledEmptyTableCell")
    assert cell.evaluate("c => getComputedStyle(c, '::after').content") == '"لا توجد صفوف"'
    width = cell.evaluate(
        "c => { const r = document.createRange(); r.selectNodeContents(c.firstChild);"
        " return [c.firstChild.textContent, r.getBoundingClientRect().width]; }"
    )
    assert width == ["empty", 0]  # Streamlit's English word takes no room
    page.close()


GRID = {
    "fr": ["Afficher/masquer les colonnes", "Télécharger en CSV", "Rechercher", "Plein écran"],
    "ar": ["إظهار/إخفاء الأعمدة", "تنزيل بصيغة CSV", "بحث", "ملء الشاشة"],
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_data_grid_toolbar_speaks_the_page_language(app, lang):
    base, b = app
    page = open_page(b, _url(base, "", lang), width=1440, height=900)
    grid = page.get_by_test_id("stDataFrame").first
    # The sticky header would take the pointer from a toolbar scrolled under it: out of the test's way.
    page.add_style_tag(content="[data-testid=stHeader] { display: none !important; }")
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    grid.hover()
    buttons = grid.locator("xpath=..").get_by_test_id("stElementToolbarButton").locator("button")
    names = buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert names == GRID[lang]
    # The tooltip a sighted user waits for reads in the page's language too.
    buttons.nth(1).hover()
    tip = page.get_by_test_id("stTooltipContent").filter(has_text=GRID[lang][1])
    tip.wait_for(timeout=5000)
    assert page.get_by_test_id("stTooltipContent").filter(has_text="Download as CSV").count() == 0
    # The filters' help icons and the sidebar's calendar button are named in the language too.
    labels = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    assert not [t for t in labels if t.startswith("Help for ") or t == "Choose date"]
    assert not {"Show/hide columns", "Download as CSV", "Search", "Fullscreen"} & set(labels)
    page.close()


PRESENTER = {
    "fr": (
        "Diapositive suivante",
        "Diapositive précédente",
        "Première diapositive",
        "Dernière diapositive",
    ),
    "ar": ("الشريحة التالية", "الشريحة السابقة", "الشريحة الأولى", "الشريحة الأخيرة"),
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_presenter_keys_and_date_are_named_in_the_page_language(app, lang):
    base, b = app
    page = open_page(b, _url(base, "present", lang), width=1440, height=900, wait_for=".ms-title")
    # The keyboard-shortcut buttons are hidden from the eye, not from a screen reader.
    keys = page.locator(".st-key-present_keys button")
    texts = [t.split("\n")[0] for t in keys.all_inner_texts()]
    assert texts == [PRESENTER[lang][0], PRESENTER[lang][0], *PRESENTER[lang][1:]]
    for name in PRESENTER[lang]:
        assert page.get_by_role("button", name=name).count() >= 1
    calendar = page.locator(".st-key-present_as_of").get_by_test_id("stDateInputCalendarButton")
    assert (
        calendar.get_attribute("aria-label")
        == {"fr": "Choisir une date", "ar": "اختيار تاريخ"}[lang]
    )
    page.close()
