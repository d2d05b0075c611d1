"""What the presenter page draws: its styles (full screen, large type, high contrast), a slide's header and
footer as escaped HTML, and the export buttons (images, data, deck, PDF)."""

from __future__ import annotations

import html

import streamlit as st

from kpis import slides as sl

# Full screen: no sidebar, header, toolbar or decoration; the slide fills the window.
SHOW_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff !important; }
[data-testid="stMainBlockContainer"] { padding: 10px 28px 0 !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] > div { gap: 6px; }
/* The slide fills the window: its texts are laid out for 1280×720 and scaled on larger screens (zoom), the
chart takes the height left between them (plotly resizes to its box; a map would not survive a zoom). */
.st-key-present_chart_box { --ms-chrome: 170px; }
.st-key-present_chart_box_tiles { --ms-chrome: 240px; }
div:is(.st-key-present_chart_box, .st-key-present_chart_box_tiles) {
  height: calc(100vh - var(--ms-chrome)) !important; min-height: 240px; flex: 0 0 auto !important; }
:is(.st-key-present_chart_box, .st-key-present_chart_box_tiles) :is([data-testid="stElementContainer"],
  [data-testid="stFullScreenFrame"], [data-testid="stPlotlyChart"], .js-plotly-plot) { height: 100% !important; }
/* A click on the slide (to give it the keyboard) must not draw a focus frame around it. */
:focus:not(button) { outline: none !important; box-shadow: none !important; }
@media (min-width: 1500px) and (min-height: 840px) {
  .ms-head, .ms-foot { zoom: 1.25; }
  .st-key-present_chart_box { --ms-chrome: 210px; } .st-key-present_chart_box_tiles { --ms-chrome: 295px; } }
@media (min-width: 1800px) and (min-height: 1000px) {
  .ms-head, .ms-foot { zoom: 1.5; }
  .st-key-present_chart_box { --ms-chrome: 250px; } .st-key-present_chart_box_tiles { --ms-chrome: 355px; } }
</style>
"""
BUILDER_CSS = """
<style>
.marsad-slide { border: 2px solid #000; border-radius: 6px; padding: 12px 18px; }
</style>
"""
# Black on white (the highest contrast a projector keeps), sizes that follow the window: 1280×720 to 1920×1080.
SLIDE_CSS = """
<style>
.ms-head { color: #000; }
.ms-titlebar { display: flex; align-items: flex-start; gap: 14px; }
.ms-title { flex: 1; font-size: 34px; font-weight: 800; line-height: 1.25; margin: 0; padding: 0; color: #000; }
.ms-sub { font-size: 20px; color: #000; margin-top: 2px; }
.ms-demo { flex: none; background: #b45309; color: #fff; border-radius: 6px; padding: 2px 12px; font-size: 20px;
  font-weight: 700; letter-spacing: .04em; margin-top: 6px; }
.ms-tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 6px; }
.ms-tile { border: 3px solid #000; border-radius: 8px; padding: 0 12px; color: #000; }
.ms-tile b { display: block; font-size: 28px; line-height: 1.2; }
.ms-tile span { font-size: 15px; }
.ms-foot { display: flex; gap: 24px; justify-content: space-between; align-items: flex-end; color: #000;
  border-top: 2px solid #000; padding-top: 4px; font-size: 14px; line-height: 1.35; }
.ms-source { flex: 1; }
.ms-counter { font-weight: 800; white-space: nowrap; font-size: 22px; direction: ltr; unicode-bidi: isolate; }
.ms-note { font-size: 26px; color: #000; padding: 40px 0; }
.st-key-present_keys { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
</style>
"""


def slide_header(slide: sl.Slide, c) -> str:
    e = html.escape
    demo = f'<span class="ms-demo">{e(c._("DEMO"))}</span>' if slide.demo else ""
    tiles = ""
    if slide.tiles:
        tiles = (
            '<div class="ms-tiles">'
            + "".join(
                f'<div class="ms-tile"><b>{e(v)}</b><span>{e(lbl)}</span></div>'
                for lbl, v in slide.tiles
            )
            + "</div>"
        )
    return (
        f'<div class="ms-head" dir="{"rtl" if c.rtl else "ltr"}">'
        f'<div class="ms-titlebar"><h1 class="ms-title">{e(slide.title)}</h1>{demo}</div>'
        f'<div class="ms-sub">{e(slide.subtitle)}</div>{tiles}</div>'
    )


def slide_footer(slide: sl.Slide, c, k: int, n: int, context: str) -> str:
    e = html.escape
    return (
        f'<div class="ms-foot" dir="{"rtl" if c.rtl else "ltr"}">'
        f'<div class="ms-source">{e(slide.source)}<br>{e(context)}</div>'
        f'<div class="ms-counter" data-testid="present-counter">{k} / {n}</div></div>'
    )


def exports_panel(c, slide: sl.Slide, refs, slide_at, inputs) -> None:
    """Downloads of the slide shown (chart as PNG/SVG, its data as CSV/XLSX) and of the whole playlist
    (PowerPoint, PDF). Files are made only when a button is pressed."""
    from kpis.export import images, pack, tables

    _ = c._
    st.subheader(_("Exports"))
    base = f"marsad-{slide.slug}-{c.lang}"
    cols = st.columns(4)
    if slide.figure is not None:
        cols[0].download_button(
            _("Chart as PNG"),
            lambda: images.figure_image(slide.figure, "png"),
            file_name=f"{base}.png",
            mime="image/png",
            on_click="ignore",
            key="dl_png",
        )
        cols[1].download_button(
            _("Chart as SVG"),
            lambda: images.figure_image(slide.figure, "svg"),
            file_name=f"{base}.svg",
            mime="image/svg+xml",
            on_click="ignore",
            key="dl_svg",
        )
    cols[2].download_button(
        _("Data as CSV"),
        lambda: tables.csv_bytes(slide.data),
        file_name=f"{base}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dl_csv",
    )
    cols[3].download_button(
        _("Data as Excel"),
        lambda: tables.xlsx_bytes(slide.data, c.lang, title=slide.title),
        file_name=f"{base}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="dl_xlsx",
    )
    cols = st.columns(2)
    cols[0].download_button(
        _("The playlist as a PowerPoint deck"),
        lambda: pack.deck(inputs, refs, c.lang, as_of=c.as_of, method=c.method),
        file_name=f"marsad-deck-{c.lang}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
        key="dl_deck",
    )

    def _pdf() -> bytes:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "b.pdf"
            pack.briefing_pdf(inputs, refs, c.lang, out, as_of=c.as_of, method=c.method)
            return out.read_bytes()

    cols[1].download_button(
        _("PDF briefing (scorecard and the chosen slides)"),
        _pdf,
        file_name=f"marsad-briefing-{c.lang}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key="dl_pdf",
    )
