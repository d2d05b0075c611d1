"""The Overview (filtered) and the Pillar, Milestones and Peers pages in headless Chromium, in Arabic and French: charts drawn, no error,
right-to-left in Arabic, filters kept in the link; screenshots at 1440×900 under screenshots/tmp/."""

import os
from pathlib import Path

import pytest

from tests.browser import ROOT, browser, open_page, running_app

OUT = Path(os.environ.get("MARSAD_TEST_OUTPUT", ROOT / "screenshots" / "tmp"))
PAGES = {
    "overview": "?pillar=IMP,CAT",
    "pillar": "?pillar=CAT&sort=gap",
    "milestones": "?kind=event,jazari",
    "peers": "",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with (
        running_app(tmp_path_factory.mktemp("officials") / "m.duckdb", demo=True) as base,
        browser() as b,
    ):
        open_page(b, base + "/?lang=fr").close()  # the first request goes through app.py
        yield base, b


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("slug", list(PAGES))
def test_officials_pages_draw_in_every_language(app, slug, lang):
    base, b = app
    query = PAGES[slug]
    path = "" if slug == "overview" else slug  # the Overview is the app's root
    url = f"{base}/{path}{query + '&' if query else '?'}lang={lang}"
    page = open_page(b, url, width=1440, height=900)
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"officials_{slug}_{lang}.png"))
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator(".js-plotly-plot .main-svg").count() >= 1  # drawn, not only placed
    for key in query.lstrip("?").split("&") if query else []:
        assert key.replace(",", "%2C") in page.url or key in page.url
    assert f"lang={lang}" in page.url
    h1 = page.locator("h1").first
    box, main = h1.bounding_box(), page.get_by_test_id("stMain").bounding_box()
    direction = page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction"
    )
    if lang == "ar":
        # Flush right: the title ends near the main column's right edge, text runs right to left.
        assert direction == "rtl"
        assert main["x"] + main["width"] - (box["x"] + box["width"]) < 120
    else:
        assert direction == "ltr"
    # The whole page too (Streamlit scrolls inside its own container, so a taller window shows it all).
    page.set_viewport_size({"width": 1440, "height": 2600})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(OUT / f"officials_{slug}_{lang}_full.png"))
    page.close()


def test_a_shared_link_keeps_date_method_and_filters(app):
    base, b = app
    page = open_page(
        b, f"{base}/?lang=en&as_of=2025-06-30&method=growth-ratio&status=stale&region=MA-04"
    )
    main = page.get_by_test_id("stMain").inner_text()
    assert "figures as known on June 30, 2025" in main
    assert "Growth ratio" in main
    assert "Indicators reported by region, for Rabat-Sale-Kenitra." in main
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stDateInput").locator("input").input_value() == "2025-06-30"
    for part in ("as_of=2025-06-30", "method=growth-ratio", "status=stale", "region=MA-04"):
        assert part in page.url
    assert page.get_by_test_id("stException").count() == 0
    page.close()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
@pytest.mark.parametrize("slug", ["overview", "pillar"])
def test_the_indicator_grids_fit_without_scrolling_at_1440(app, slug, lang):
    base, b = app
    path = "" if slug == "overview" else slug
    page = open_page(b, f"{base}/{path}{PAGES[slug]}&lang={lang}", width=1440, height=900)
    page.wait_for_selector("[data-testid=stDataFrame] .dvn-scroller")
    # Every column readable: no grid is wider than the main column (an Arabic one would open scrolled).
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
          .map(s => s.scrollWidth - s.clientWidth)"""
    )
    page.close()
    assert overflow and max(overflow) <= 0, overflow
