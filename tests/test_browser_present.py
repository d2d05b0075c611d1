"""Presenter mode in headless Chromium: a show opened from its URL in Arabic, full screen, advanced with the
keyboard (arrow, space, Page Up), with screenshots at 1920×1080 and 1280×720 left under screenshots/tmp/."""

import pytest

from tests.browser import ROOT, browser, open_page, running_app

OUT = ROOT / "screenshots" / "tmp"
SPEC = "scorecard,indicator:IA.JOBS,map:IA.JOBS,peers"


APP_DB = {}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    APP_DB["path"] = tmp_path_factory.mktemp("present") / "m.duckdb"
    with (
        running_app(APP_DB["path"], demo=True) as base,
        browser() as b,
    ):
        yield base, b


def _counter(page) -> str:
    return page.get_by_test_id("present-counter").inner_text()


def _wait_counter(page, text: str) -> None:
    page.wait_for_function(
        "t => { const e = document.querySelector('[data-testid=present-counter]'); return e && e.innerText === t; }",
        arg=text,
        timeout=30000,
    )


def test_arabic_show_opens_full_screen_and_advances_by_keyboard(app):
    base, b = app
    OUT.mkdir(parents=True, exist_ok=True)
    page = open_page(
        b,
        f"{base}/present?present=1&lang=ar&slides={SPEC}",
        width=1920,
        height=1080,
        wait_for=".ms-title",
    )
    assert _counter(page) == "1 / 4"
    assert page.locator(".ms-title").inner_text().startswith("تقدّم خارطة الطريق")
    assert not page.get_by_test_id("stSidebar").is_visible()  # full screen: no sidebar, no header
    assert not page.get_by_test_id("stHeader").is_visible()
    assert page.locator(".ms-demo").first.is_visible()
    page.screenshot(path=str(OUT / "present_ar_1920.png"))
    page.keyboard.press("ArrowRight")
    _wait_counter(page, "2 / 4")
    page.wait_for_selector(".js-plotly-plot")
    assert "مناصب الشغل" in page.locator(".ms-title").inner_text()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / "present_ar_1920_indicator.png"))
    page.keyboard.press(" ")
    _wait_counter(page, "3 / 4")
    page.keyboard.press("PageUp")
    _wait_counter(page, "2 / 4")
    assert "slide=2" in page.url and "slides=" in page.url
    # The slide fits the window: the counter (bottom of the slide) is on screen.
    box = page.get_by_test_id("present-counter").bounding_box()
    assert box["y"] + box["height"] <= 1080
    page.close()


@pytest.mark.parametrize(
    "lang,size", [("fr", (1280, 720)), ("ar", (1280, 720)), ("fr", (1920, 1080))]
)
def test_every_slide_fits_the_window(app, lang, size):
    base, b = app
    w, h = size
    page = open_page(
        b,
        f"{base}/present?present=1&lang={lang}&slides={SPEC}",
        width=w,
        height=h,
        wait_for=".ms-title",
    )
    for k in range(1, 5):
        _wait_counter(page, f"{k} / 4")
        page.wait_for_timeout(800)
        box = page.get_by_test_id("present-counter").bounding_box()
        assert box["y"] + box["height"] <= h, (k, box)
        page.screenshot(path=str(OUT / f"present_{lang}_{w}_{k}.png"))
        page.keyboard.press("ArrowRight")
    page.close()


def test_a_figure_loaded_during_the_show_appears_at_the_next_slide(app, tmp_path):
    import subprocess
    import sys

    base, b = app
    page = open_page(
        b,
        f"{base}/present?present=1&lang=en&slides=peers,indicator:DM.EGDI_RANK,peers",
        width=1280,
        height=720,
        wait_for=".ms-title",
    )
    assert "UN DESA 2026" not in page.locator(".ms-foot").inner_text()
    csv = tmp_path / "egdi.csv"
    csv.write_text(
        "indicator,period,region,value,source\nDM.EGDI_RANK,2026,National,77,UN DESA 2026\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "loaders",
            "ingest",
            str(csv),
            "--db",
            str(APP_DB["path"]),
            "--user",
            "analyst",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    page.keyboard.press("ArrowRight")
    _wait_counter(page, "2 / 3")
    page.wait_for_function(
        "() => document.querySelector('.ms-foot').innerText.includes('UN DESA 2026')", timeout=30000
    )
    page.close()


def test_the_timer_moves_the_show_on_and_stops_at_the_last_slide(app):
    base, b = app
    page = open_page(
        b,
        f"{base}/present?present=1&lang=fr&slides=peers,scorecard&timer=5",
        width=1280,
        height=720,
        wait_for=".ms-title",
    )
    assert _counter(page) == "1 / 2"
    _wait_counter(page, "2 / 2")  # after about five seconds, without a key
    page.wait_for_timeout(7000)
    assert _counter(page) == "2 / 2"
    assert "timer=5" in page.url
    page.close()
