"""The event pack from a playlist: the deck and the briefing with their title, context and live link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd

from loaders import settings
from loaders.i18n import translator

from .. import views
from ..engine import status_table
from ..inputs import KpiInputs
from ..slides import SlideRef, build_slides, default_refs, format_spec, show_context

# Where the QR code and the printed link point: the dashboard as the audience can reach it.
DEFAULT_PUBLIC_URL = "http://localhost:8501"


def public_url() -> str:
    return (settings.get("MARSAD_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


def live_link(
    refs: list[SlideRef], lang: str, as_of: dt.date | None, base: str | None = None
) -> str:
    """The presenter page showing the same slides (and the same date when frozen)."""
    params = {"present": "1", "lang": lang, "slides": format_spec(refs)}
    if as_of:
        params["as_of"] = as_of.isoformat()
    return f"{(base or public_url()).rstrip('/')}/present?{urlencode(params, safe=':,')}"


def _prepare(inputs: KpiInputs, refs, lang, as_of, method):
    today = as_of or dt.date.today()
    status = status_table(inputs, today=today, method=method)
    refs = list(refs) if refs else default_refs(inputs)
    return refs, status, build_slides(inputs, refs, lang, today=today, method=method, status=status)


def deck(
    inputs: KpiInputs, refs, lang: str, *, as_of=None, method="trajectory", base=None
) -> bytes:
    from .deck import build_deck

    _ = translator(lang)
    refs, _status, slides = _prepare(inputs, refs, lang, as_of, method)
    return build_deck(
        slides,
        lang,
        title=_("Maroc IA 2030 · Maroc Digital 2030 — roadmap progress"),
        context=show_context(lang, as_of, method),
        link=live_link(refs, lang, as_of, base),
    )


def scorecard_sections(
    inputs: KpiInputs, status: pd.DataFrame, lang: str
) -> list[tuple[str, pd.DataFrame]]:
    from ..slides import _ordered

    ind, pil = _ordered(inputs)
    return [
        (f"{s.programme_label} — {s.pillar_label}", s.table)
        for s in views.overview_sections(status, ind, pil, lang)
    ]


def briefing_html_for(
    inputs: KpiInputs, refs, lang: str, *, as_of=None, method="trajectory", base=None
) -> str:
    """The scorecard (its chart, then every pillar's table), then the chosen slides."""
    from .briefing import briefing_html

    _ = translator(lang)
    chosen = [r for r in (refs or []) if r.kind != "scorecard"]
    refs_all = [SlideRef("scorecard"), *[r for r in chosen if r.kind != "pillar"]]
    refs_all, status, slides = _prepare(inputs, refs_all, lang, as_of, method)
    return briefing_html(
        slides,
        lang,
        title=_("Maroc IA 2030 · Maroc Digital 2030 — roadmap briefing"),
        context=show_context(lang, as_of, method),
        link=live_link([SlideRef("scorecard"), *chosen], lang, as_of, base),
        sections=scorecard_sections(inputs, status, lang),
        generated=dt.date.today(),
    )


def briefing_pdf(inputs: KpiInputs, refs, lang: str, out, **kw) -> None:
    from .briefing import print_pdf

    print_pdf(briefing_html_for(inputs, refs, lang, **kw), out)
