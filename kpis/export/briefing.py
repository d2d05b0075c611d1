"""The PDF briefing: the scorecard and chosen slides as an HTML page (real, shaped Arabic text, right to left)
printed to PDF by the installed Chromium, offline, with a printed link and a QR code to the live page."""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from loaders.i18n import fmt_date, translator

from ..slides import Slide
from .images import EXPORT_FONT, figure_image

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)
PRINT_TIMEOUT = 120


class BriefingError(Exception):
    """The PDF could not be printed (no Chromium, or it failed): `message` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def chromium() -> str | None:
    return (
        os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def qr_svg(link: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=2)
    return img.to_string(encoding="unicode")


CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: %(font)s; color: #000; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 22pt; margin: 0 0 4pt; }
h2 { font-size: 15pt; margin: 14pt 0 4pt; border-bottom: 1.5pt solid #000; page-break-after: avoid; }
.context { font-size: 11pt; }
.demo { background: #b45309; color: #fff; padding: 1pt 6pt; border-radius: 3pt; font-weight: 700; font-size: 0.6em;
  vertical-align: middle; }
.demo-note { color: #b45309; font-weight: 700; }
.link { display: flex; gap: 10pt; align-items: center; margin: 8pt 0; font-size: 9.5pt; }
.link svg { width: 26mm; height: 26mm; }
.link code { direction: ltr; unicode-bidi: isolate; word-break: break-all; }
.tiles { display: flex; gap: 6pt; flex-wrap: wrap; margin: 6pt 0; }
.tile { border: 1pt solid #000; border-radius: 3pt; padding: 2pt 6pt; }
.tile b { font-size: 15pt; display: block; }
figure { margin: 4pt 0; page-break-inside: avoid; direction: ltr; }
figure svg { width: 100%%; height: auto; }
.source { font-size: 8.5pt; color: #222; }
table { border-collapse: collapse; width: 100%%; font-size: 8.5pt; margin: 4pt 0 8pt; }
th, td { border: 0.5pt solid #888; padding: 2pt 3pt; vertical-align: top; text-align: start; }
th { background: #eee; }
section { page-break-inside: auto; }
.chart-block { page-break-inside: avoid; }
"""


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in r)
        + "</tr>"
        for r in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _svg(fig) -> str:
    svg = figure_image(fig, "svg", width=1100, height=620).decode("utf-8")
    return svg[svg.find("<svg") :]  # drop an XML prolog: the SVG goes inline


def briefing_html(
    slides: list[Slide],
    lang: str,
    *,
    title: str,
    context: str,
    link: str,
    sections: list[tuple[str, pd.DataFrame]] = (),
    generated: dt.date | None = None,
) -> str:
    """The briefing as one HTML document: header, link and QR code, each slide's chart, source and data."""
    _ = translator(lang)
    e = html.escape
    rtl = lang == "ar"
    demo = any(s.demo for s in slides)
    out = [
        f'<!doctype html><html lang="{lang}" dir="{"rtl" if rtl else "ltr"}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{CSS % {'font': EXPORT_FONT}}</style></head><body>",
        f"<h1>{e(title)}{' <span class=demo>' + e(_('DEMO')) + '</span>' if demo else ''}</h1>",
        f'<div class="context">{e(context)}</div>',
        f'<div class="context">{e(_("Printed on {date}", date=fmt_date(generated or dt.date.today(), lang, "long")))}</div>',
    ]
    if demo:
        out.append(
            f'<p class="demo-note">{e(_("DEMO data is shown: illustrative values, not official figures."))}</p>'
        )
    out.append(
        f'<div class="link">{qr_svg(link)}<div>{e(_("The live figures:"))}<br><code>{e(link)}</code></div></div>'
    )
    for s in slides:
        out.append('<section><div class="chart-block">')
        out.append(
            f"<h2>{e(s.title)}{' <span class=demo>' + e(_('DEMO')) + '</span>' if s.demo else ''}</h2>"
        )
        out.append(f'<div class="context">{e(s.subtitle)}</div>')
        if s.tiles:
            out.append(
                '<div class="tiles">'
                + "".join(f'<div class="tile"><b>{e(v)}</b>{e(lbl)}</div>' for lbl, v in s.tiles)
                + "</div>"
            )
        if s.figure is not None:
            out.append(f"<figure>{_svg(s.figure)}</figure>")
        elif s.note:
            out.append(f"<p>{e(s.note)}</p>")
        out.append(f'<div class="source">{e(s.source)}</div></div>')
        if s.ref.kind in ("pillar", "peers"):
            out.append(_table(s.data))
        out.append("</section>")
    for heading, df in sections:
        out.append(f"<section><h2>{e(heading)}</h2>{_table(df)}</section>")
    out.append("</body></html>")
    return "".join(out)


def print_pdf(page_html: str, out: str | os.PathLike) -> None:
    """Print an HTML document to PDF with the installed Chromium (headless, no network)."""
    exe = chromium()
    if not exe:
        raise BriefingError(
            "Chromium is needed to print the PDF briefing: sudo apt-get install -y chromium"
        )
    with tempfile.TemporaryDirectory(prefix="marsad-pdf-") as tmp:
        src = Path(tmp) / "briefing.html"
        src.write_text(page_html, encoding="utf-8")
        target = Path(tmp) / "briefing.pdf"
        cmd = [
            exe,
            *CHROMIUM_ARGS,
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={target}",
            src.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise BriefingError(f"Chromium could not print the briefing: {e}") from e
        if not target.exists() or target.stat().st_size == 0:
            tail = done.stderr.decode(errors="replace")[-400:]
            raise BriefingError(
                f"Chromium could not print the briefing (exit {done.returncode}): {tail}"
            )
        shutil.copyfile(target, out)
