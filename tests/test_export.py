"""The event pack: the PowerPoint deck (slides, Arabic text as right-to-left text, source lines), the PDF briefing
(pages, extractable Arabic and French), the chart data as CSV and XLSX (formulas escaped, Arabic sheet right to
left), chart images, and the `python -m kpis export-deck | export-pdf` commands."""

import io
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from kpis import slides as sl
from kpis.export import images, pack, tables
from kpis.inputs import load_inputs
from loaders.catalog import load_catalog
from loaders.i18n import translator
from loaders.seed import add_demo
from loaders.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SPEC = "scorecard,pillar:SOV,indicator:IA.JOBS,map:IA.JOBS,peers"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "m.duckdb"
    store = open_store(f"duckdb:///{path}")
    add_demo(store, load_catalog())
    return path, load_inputs(store)


def _texts(slide):
    return [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]


def test_arabic_deck_has_a_title_slide_then_one_slide_per_chart_with_rtl_text_and_sources(demo_db):
    _path, inputs = demo_db
    refs, _bad = sl.parse_spec(SPEC)
    data = pack.deck(inputs, refs, "ar", method="trajectory")
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 1 + 5
    _ = translator("ar")
    first = " ".join(s.text_frame.text for s in _texts(prs.slides[0]))
    assert (
        _("Latest figures · status method: {method}", method=_("Trajectory to the target")) in first
    )
    assert _("DEMO") in first  # DEMO data is loaded: the title slide says so
    jobs = prs.slides[3]
    titles = [s.text_frame.text for s in _texts(jobs)]
    assert "مناصب الشغل المباشرة وغير المباشرة المرتبطة بالذكاء الاصطناعي" in titles
    assert any(
        t.startswith(_("Source: {source}", source="")[:6]) for t in titles
    )  # the source line
    assert sum(1 for s in jobs.shapes if s.shape_type == 13) == 1  # the chart, as a picture
    # Arabic paragraphs are right to left, in an Arabic font for complex scripts.
    para = next(s for s in _texts(jobs) if s.text_frame.text == titles[0]).text_frame.paragraphs[0]
    assert para._p.pPr.get("rtl") == "1"
    cs = para.runs[0]._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}cs")
    assert cs.get("typeface") == "Noto Sans Arabic"
    # Every chart slide has its source line and, with DEMO data, its DEMO badge.
    for slide in list(prs.slides)[1:]:
        texts = [s.text_frame.text for s in _texts(slide)]
        assert any("المصدر" in t or "المصادر" in t for t in texts), texts
    assert any(s.name == "DEMO" for s in jobs.shapes)
    assert not any(
        s.name == "DEMO" for s in prs.slides[5].shapes
    )  # the international ranks are real


def test_default_deck_is_the_scorecard_and_every_pillar(demo_db):
    _path, inputs = demo_db
    prs = Presentation(io.BytesIO(pack.deck(inputs, [], "fr")))
    assert len(prs.slides) == 1 + 1 + 6  # title, scorecard, six pillars
    assert "Avancement de la feuille de route" in [s.text_frame.text for s in _texts(prs.slides[1])]


def _pdf_text(path) -> tuple[int, str]:
    r = PdfReader(str(path))
    # Chromium writes shaped Arabic (presentation forms); NFKC gives the letters back.
    return len(r.pages), unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in r.pages))


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_pdf_briefing_has_real_text_the_scorecard_a_link_and_a_qr_code(demo_db, tmp_path, lang):
    from tests.system import require

    require("chromium", "fonts-noto-core")
    _path, inputs = demo_db
    refs, _bad = sl.parse_spec("indicator:IA.JOBS")
    out = tmp_path / f"b-{lang}.pdf"
    pack.briefing_pdf(inputs, refs, lang, out, base="http://marsad.local:8501")
    pages, text = _pdf_text(out)
    assert 3 <= pages <= 12
    _ = translator(lang)
    flat = " ".join(text.split())
    title = _("Maroc IA 2030 · Maroc Digital 2030 — roadmap briefing")
    if lang == "ar":
        for word in ("مذكرة", "إحاطة", "السيادة", "والثقة", "الشغل"):
            assert word in flat, word
    else:
        assert " ".join(title.split()) in flat
        assert {"fr": "Souveraineté et confiance", "en": "Sovereignty and trust"}[lang] in flat
    assert "marsad.local:8501/present?present=1" in flat.replace(" ", "")
    html = pack.briefing_html_for(inputs, refs, lang, base="http://marsad.local:8501")
    assert html.count("<svg") >= 3  # the QR code, the scorecard chart, the indicator's chart
    assert f'lang="{lang}"' in html and (('dir="rtl"' in html) == (lang == "ar"))


def test_chart_data_escapes_formulas_in_csv_and_xlsx_and_arabic_sheet_reads_right_to_left():
    df = pd.DataFrame(
        {
            "المؤشر": ['=HYPERLINK("http://x")', "+1", "-cmd", "@SUM(A1)", "ok"],
            "value": [1.5, -2, 3, 4, 5],
        }
    )
    csv = tables.csv_bytes(df).decode("utf-8-sig").splitlines()
    assert (
        csv[1].startswith("\"'=HYPERLINK(") and csv[2] == "'+1,-2.0" and csv[3].startswith("'-cmd")
    )
    assert csv[4].startswith("'@SUM") and csv[5] == "ok,5.0"
    data = tables.xlsx_bytes(df, "ar", title="=عنوان")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert 'rightToLeft="1"' in sheet
    assert "<f>" not in sheet  # no cell is a formula
    assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
    assert "'=عنوان" in strings
    fr = tables.xlsx_bytes(df, "fr")
    with zipfile.ZipFile(io.BytesIO(fr)) as z:
        assert 'rightToLeft="1"' not in z.read("xl/worksheets/sheet1.xml").decode()
    import fastexcel

    back = fastexcel.read_excel(fr).load_sheet(0).to_pandas()
    assert list(back["value"]) == [1.5, -2, 3, 4, 5]  # numbers stay numbers


def test_chart_images_are_png_and_svg_with_the_arabic_font(demo_db):
    _path, inputs = demo_db
    slide = sl.build_slides(
        inputs,
        [sl.SlideRef("scorecard")],
        "ar",
        today=pd.Timestamp.today().date(),
        method="trajectory",
    )[0]
    png = images.figure_image(slide.figure, "png", width=800, height=450)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = images.figure_image(slide.figure, "svg", width=800, height=450).decode()
    assert "<svg" in svg and "Noto Sans Arabic" in svg and "السيادة والثقة" in svg


def test_cli_writes_a_deck_and_a_pdf_and_refuses_an_unknown_slide(demo_db, tmp_path):
    path, _inputs = demo_db
    run = [sys.executable, "-m", "kpis"]
    deck = tmp_path / "d.pptx"
    out = subprocess.run(
        [
            *run,
            "export-deck",
            "-o",
            str(deck),
            "--lang",
            "ar",
            "--as-of",
            "2026-06-30",
            "--db",
            str(path),
            "--slides",
            "scorecard,indicator:IA.JOBS",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    prs = Presentation(str(deck))
    assert len(prs.slides) == 3
    first = " ".join(s.text_frame.text for s in _texts(prs.slides[0]))
    assert "2026" in first and "30" in first  # the "as known on" date is on the title slide
    pdf = tmp_path / "b.pdf"
    out = subprocess.run(
        [*run, "export-pdf", "-o", str(pdf), "--lang", "fr", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert _pdf_text(pdf)[0] >= 2
    bad = subprocess.run(
        [*run, "export-pdf", "-o", str(tmp_path / "x.pdf"), "--db", str(path), "--slides", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "nope" in bad.stderr and not (tmp_path / "x.pdf").exists()
