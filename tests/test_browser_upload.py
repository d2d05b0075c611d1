"""The Upload and History pages in headless Chromium at 1440 px: the file uploader says nothing in English on
the French and Arabic pages, and every History column is visible in French and English.

Screenshots go to screenshots/tmp/ (not committed) for a person to look at.
"""

from pathlib import Path

import pytest

from loaders.i18n import translator
from tests.browser import browser, open_page, running_app

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots" / "tmp"
SAMPLE = ROOT / "data" / "samples" / "rapport_T3_2026_fr.xlsx"
# What Streamlit's uploader writes by itself, in English only.
ENGLISH = ("Upload", "Drag and drop", "per file", "Browse files", "Limit")
HINT = "Drop CSV, Excel (.xlsx, .xls) or LibreOffice (.ods) files here, up to {mb} MB each"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from loaders.batches import undo
    from loaders.ingest import ingest
    from loaders.store import open_store

    OUT.mkdir(parents=True, exist_ok=True)
    db = tmp_path_factory.mktemp("upload") / "m.duckdb"
    store = open_store(str(db))  # one batch loaded and undone: History's longest Status text
    undone = ingest(store, [SAMPLE], user="Salma Benali").batch_id
    undo(store, undone, user="Omar El Idrissi")
    del store
    with (
        running_app(db) as base,
        browser() as b,
    ):
        yield base, b


def _visible_uploader_text(page) -> str:
    """The uploader's text as a person sees it: rendered text plus generated (::after) content."""
    return page.evaluate(
        """() => {
            const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
            const seen = [];
            for (const el of zone.querySelectorAll('*')) {
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden') continue;
                for (const node of el.childNodes) {
                    if (node.nodeType === 3 && node.textContent.trim() && el.offsetParent !== null
                        && getComputedStyle(node.parentElement).display !== 'none') {
                        // a text node counts only if none of its ancestors inside the zone is hidden
                        let p = node.parentElement, hidden = false;
                        while (p && p !== zone) {
                            const s = getComputedStyle(p);
                            if (s.display === 'none' || s.visibility === 'hidden') { hidden = true; break; }
                            p = p.parentElement;
                        }
                        if (!hidden) seen.push(node.textContent.trim());
                    }
                }
                const after = getComputedStyle(el, '::after').content;
                if (after && after !== 'none' && after !== 'normal') seen.push(JSON.parse(after));
            }
            return seen.join(' | ');
        }"""
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_uploader_shows_no_english_text(app, lang):
    base, b = app
    page = open_page(b, f"{base}/upload?lang={lang}", width=1440, height=900)
    text = _visible_uploader_text(page)
    assert translator(lang)(HINT, mb=50) in text
    assert {"fr": "Choisir des fichiers", "ar": "اختيار الملفات"}[lang] in text
    assert not [w for w in ENGLISH if w in text], text
    page.screenshot(path=str(OUT / f"upload_{lang}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_history_column_is_visible_at_1440_px(app, lang):
    base, b = app
    page = open_page(b, f"{base}/history?lang={lang}", width=1440, height=900)
    table = page.get_by_test_id("stTable").first
    # Nothing overflows sideways: neither the table nor any of its cells (long texts wrap).
    overflow = table.evaluate(
        """t => {
            const out = [];
            const tbl = t.querySelector('table');
            if (tbl.scrollWidth > t.clientWidth + 1) out.push('table ' + tbl.scrollWidth + '>' + t.clientWidth);
            for (const cell of t.querySelectorAll('th, td')) {
                if (cell.scrollWidth > cell.clientWidth + 1) out.push(cell.innerText);
            }
            return out;
        }"""
    )
    headers = table.locator("thead th").all_inner_texts()
    status = table.locator("tbody tr").first.locator("td").last.inner_text()
    page.screenshot(path=str(OUT / f"history_{lang}.png"), full_page=True)
    assert len([h for h in headers if h.strip()]) == 9
    assert overflow == []
    assert status.startswith({"fr": "annulé le ", "en": "undone on "}[lang])
    assert status.endswith("Omar El Idrissi")
    page.close()
