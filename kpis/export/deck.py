"""The PowerPoint deck of a playlist: a title slide (as-known-on date, method, DEMO), then one slide per chart
as a static image with its title and source line as real text (Arabic right to left, in an Arabic font)."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from loaders.i18n import translator

from ..slides import Slide
from .images import figure_image

ARABIC_FONT = "Noto Sans Arabic"
LATIN_FONT = "Noto Sans"
WIDE, HIGH = Inches(13.333), Inches(7.5)
DEMO_ORANGE = RGBColor(0xB4, 0x53, 0x09)
# The picture of a chart: the width of the slide less margins, between the title and the source line.
PIC_TOP, PIC_BOTTOM = Inches(1.45), Inches(6.55)


def _text(
    slide, left, top, width, height, text: str, lang: str, *, size: int, bold=False, color=None
):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    rtl = lang == "ar"
    for n, line in enumerate(str(text).split("\n")):
        p = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
        p.alignment = PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT
        if rtl:
            p._p.get_or_add_pPr().set("rtl", "1")
        run = p.add_run()
        run.text = line
        f = run.font
        f.size = Pt(size)
        f.bold = bold
        f.name = ARABIC_FONT if rtl else LATIN_FONT
        if color is not None:
            f.color.rgb = color
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", {"ar": "ar-MA", "fr": "fr-FR"}.get(lang, "en-US"))
        # PowerPoint draws Arabic with the complex-script font (a:cs), not the Latin one.
        cs = rpr.find(qn("a:cs"))
        if cs is None:
            cs = rpr.makeelement(qn("a:cs"), {})
            rpr.append(cs)
        cs.set("typeface", ARABIC_FONT)
    return box


def _demo_badge(slide, lang: str) -> None:
    _ = translator(lang)
    left = Inches(0.4) if lang == "ar" else WIDE - Inches(2.6)
    box = _text(
        slide,
        left,
        Inches(0.15),
        Inches(2.2),
        Inches(0.5),
        _("DEMO"),
        lang,
        size=18,
        bold=True,
        color=RGBColor(0xFF, 0xFF, 0xFF),
    )
    box.fill.solid()
    box.fill.fore_color.rgb = DEMO_ORANGE
    box.name = "DEMO"
    for p in box.text_frame.paragraphs:
        p.alignment = PP_ALIGN.CENTER


def build_deck(
    slides: list[Slide], lang: str, *, title: str, context: str, link: str = ""
) -> bytes:
    """The .pptx bytes: title slide, then one slide per entry of `slides`."""
    _ = translator(lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE, HIGH
    blank = prs.slide_layouts[6]
    margin = Inches(0.5)
    width = WIDE - 2 * margin

    first = prs.slides.add_slide(blank)
    _text(first, margin, Inches(2.2), width, Inches(1.4), title, lang, size=40, bold=True)
    _text(first, margin, Inches(3.7), width, Inches(1.0), context, lang, size=22)
    if link:
        _text(first, margin, Inches(4.8), width, Inches(0.6), link, "en", size=14)
    if any(s.demo for s in slides):
        _demo_badge(first, lang)
        _text(
            first,
            margin,
            Inches(5.6),
            width,
            Inches(0.8),
            _("DEMO data is shown: illustrative values, not official figures."),
            lang,
            size=18,
            color=DEMO_ORANGE,
        )

    for s in slides:
        page = prs.slides.add_slide(blank)
        _text(
            page,
            margin,
            Inches(0.2),
            width - Inches(2.4),
            Inches(0.8),
            s.title,
            lang,
            size=28,
            bold=True,
        )
        _text(page, margin, Inches(0.9), width, Inches(0.5), s.subtitle, lang, size=16)
        if s.figure is not None:
            h = PIC_BOTTOM - PIC_TOP
            px_w, px_h = 1600, int(1600 * h / width)
            png = figure_image(s.figure, "png", width=px_w, height=px_h)
            page.shapes.add_picture(io.BytesIO(png), margin, PIC_TOP, width=width, height=Emu(h))
        else:
            _text(page, margin, Inches(3), width, Inches(1), s.note, lang, size=24)
        _text(page, margin, Inches(6.65), width, Inches(0.75), s.source, lang, size=12)
        if s.demo:
            _demo_badge(page, lang)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
