"""The Indicator, Regions and Methodology pages in headless Chromium: shared links, right-to-left charts,
choices kept in the URL, the Overview's way in, the offline map with its licence."""

import pytest

from kpis.charts import map_attribution
from tests.browser import browser, open_page, running_app

EGDI_FR = "Rang à l'indice ONU de développement de l'e-gouvernement (EGDI)"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with (
        running_app(tmp_path_factory.mktemp("pages") / "m.duckdb", demo=True) as base,
        browser() as b,
    ):
        yield base, b


def _main_selectbox(page, n):
    return page.get_by_test_id("stMain").get_by_test_id("stSelectbox").nth(n)


def test_a_shared_indicator_link_opens_inside_the_app_even_as_first_request(app):
    # Must run first: Streamlit serves a page of the pages/ folder on its own until the app has run once.
    base, b = app
    page = open_page(b, base + "/indicator?code=DM.EGDI_RANK&lang=fr")
    assert page.locator("h1").first.inner_text() == EGDI_FR
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert (
        "Langue" in sidebar and "Méthodologie" in sidebar
    )  # app.py's navigation and language picker
    assert "code=DM.EGDI_RANK" in page.url
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    page.close()


def test_arabic_indicator_chart_reads_right_to_left(app):
    base, b = app
    page = open_page(b, base + "/indicator?code=IA.JOBS&lang=ar")
    assert (
        page.locator("h1").first.inner_text()
        == "مناصب الشغل المباشرة وغير المباشرة المرتبطة بالذكاء الاصطناعي"
    )
    x_range, y_side = page.evaluate(
        "() => { const l = document.querySelector('.js-plotly-plot')._fullLayout;"
        " return [l.xaxis.range, l.yaxis.side]; }"
    )
    assert x_range[0] > x_range[1] and y_side == "right"  # ISO dates: later date first
    # The time axis runs right to left: the 2024 tick label is right of the 2030 one.
    ticks = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.js-plotly-plot .xtick text')]"
        ".map(t => [t.textContent, t.getBoundingClientRect().x]))"
    )
    assert ticks["2024"] > ticks["2030"]
    plot = page.locator(".js-plotly-plot").first
    assert (
        plot.get_by_text("بيانات توضيحية — ليست أرقامًا رسمية").count() == 1
    )  # DEMO watermark on the chart
    # Lists of the explanation are flush right like the rest of the Arabic text.
    align = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stMain] li')).textAlign"
    )
    assert align == "right"
    page.close()


def test_picking_a_region_is_kept_in_the_url(app):
    base, b = app
    page = open_page(b, base + "/indicator?code=IA.JOBS&lang=en")
    _main_selectbox(page, 1).click()
    page.get_by_role("option", name="Casablanca-Settat").click()
    page.wait_for_url("**region=MA-06**")
    page.wait_for_function(
        "document.querySelector('h1').innerText === 'Direct and indirect AI-related jobs · Casablanca-Settat'"
    )
    page.close()


def test_the_overview_opens_an_indicator_page(app):
    base, b = app
    page = open_page(b, base + "/?lang=en")
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(
        has_text="Open an indicator"
    ).click()
    page.keyboard.type("available online")  # the list is long: filter it as a user would
    page.get_by_role(
        "option", name="Digitalisation of public services — Public services available online"
    ).click()
    page.wait_for_url("**/indicator?**code=DM.ESERVICES**")
    page.wait_for_function(
        "document.querySelector('h1') && "
        "document.querySelector('h1').innerText === 'Public services available online'"
    )
    assert "lang=en" in page.url
    page.close()


def test_regions_map_draws_offline_with_its_licence(app):
    base, b = app
    page = open_page(b, base + "/regions?code=IA.JOBS&lang=fr")
    assert page.locator("h1").first.inner_text() == "Régions"
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == 2  # the map and the ranking
    page.locator(".js-plotly-plot canvas").first.wait_for()
    # The licence is written on the map and again under it.
    licence = map_attribution("fr")
    assert plots.first.get_by_text(licence).count() == 1
    assert page.get_by_test_id("stCaptionContainer").get_by_text(licence).count() == 1
    # All twelve regions were drawn (one choropleth location each).
    n = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".reduce((k, t) => k + t.locations.length, 0)"
    )
    assert n == 12
    page.close()


def test_methodology_reads_in_french(app):
    base, b = app
    page = open_page(b, base + "/methodology?lang=fr")
    assert page.locator("h1").first.inner_text() == "Méthodologie"
    assert page.get_by_text("Pièges connus dans les sources").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    page.close()
