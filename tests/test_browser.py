"""The real app in headless Chromium: right-to-left layout, language switch kept in the URL, DEMO switch, charts."""

import pytest

from tests.browser import browser, open_page, running_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("app") / "m.duckdb") as base, browser() as b:
        yield base, b


def _box(page, testid):
    return page.get_by_test_id(testid).first.bounding_box()


def test_arabic_reads_right_to_left_with_the_sidebar_on_the_right(app):
    base, b = app
    page = open_page(b, base + "/?lang=ar")
    assert page.locator("h1").first.inner_text() == "تقدّم خارطة الطريق"
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
    )
    assert direction == "rtl"
    assert _box(page, "stSidebar")["x"] > _box(page, "stMain")["x"]
    # A heading's text is flush right: its right edge is at the content's right edge.
    h1 = page.locator("h1").first.bounding_box()
    row = page.get_by_test_id("stHorizontalBlock").first.bounding_box()  # the filters, full width
    assert abs((h1["x"] + h1["width"]) - (row["x"] + row["width"])) < 40
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.get_by_test_id("stException").count() == 0
    page.close()


def test_french_reads_left_to_right(app):
    base, b = app
    page = open_page(b, base + "/?lang=fr")
    assert page.locator("h1").first.inner_text() == "Avancement de la feuille de route"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('[data-testid=stMain]')).direction")
        == "ltr"
    )
    assert _box(page, "stSidebar")["x"] < _box(page, "stMain")["x"]
    page.close()


def test_switching_language_rewrites_the_page_and_the_url(app):
    base, b = app
    page = open_page(b, base + "/?lang=en")
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_text("Français").click()
    page.wait_for_url("**lang=fr**")
    page.wait_for_function("document.querySelector('h1').innerText.startsWith('Avancement')")
    page.close()


def test_demo_data_added_and_removed_from_administration(app):
    base, b = app
    page = open_page(b, base + "/?lang=en")
    assert page.get_by_text("DEMO data is shown").count() == 0
    page.get_by_test_id("stSidebarUserContent").get_by_text("Administration", exact=True).click()
    page.get_by_role("button", name="Add DEMO data").click()
    page.get_by_text("DEMO data is shown").wait_for(timeout=30000)
    page.get_by_role("button", name="Remove DEMO data").click()
    page.get_by_role("button", name="Add DEMO data").wait_for(timeout=30000)
    page.get_by_text("DEMO data is shown").wait_for(state="detached", timeout=30000)
    page.close()


def test_a_deep_link_on_a_fresh_server_opens_inside_the_app(app, tmp_path):
    """The first request after start, straight to a page, still gets the language switch and RTL layout."""
    b = app[1]  # one Playwright per module: a second one inside it fails
    with running_app(tmp_path / "m.duckdb") as base:
        page = open_page(b, base + "/history?lang=ar")
        assert page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").count() >= 1
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
            )
            == "rtl"
        )
        page.close()
