"""Where figures come from, as a reader sees it: catalog source entries and stored source texts turned into
institution names in the page language with their links (data/catalog/sources.csv), and the catalog notes in the language."""

from __future__ import annotations

import re
from functools import cache

from loaders.catalog import load_catalog
from loaders.catalog_sources import Source
from loaders.i18n import gettext

from .text import SYSTEM_SOURCES

# "host/path (a note)": a catalog entry; the host names the institution, the path the page.
_ENTRY = re.compile(r"^(?P<host>[\w-]+(\.[\w-]+)+)(?P<path>/\S*)?(\s*\(.*\))?$", re.IGNORECASE)


@cache
def _catalog():
    return load_catalog()


@cache
def _by_id() -> dict[str, Source]:
    return {s.id: s for s in _catalog().sources}


@cache
def _by_host() -> dict[str, Source]:
    out = {}
    for s in _catalog().sources:
        host = s.url.removeprefix("https://").split("/")[0].lower().removeprefix("www.")
        if host:
            out[host] = s
    return out


def _source_of_host(host: str) -> Source | None:
    host = host.lower().removeprefix("www.")
    hosts = _by_host()
    while host:
        if host in hosts:
            return hosts[host]
        host = host.partition(".")[2] if host.count(".") > 1 else ""
    return None


def entry(text: str, lang: str, source_id: str | None = None) -> tuple[str, str | None]:
    """One source entry as (name in the language, https link or None). A catalog entry
    ("lematin.ma/economie/…", "cafrad.io (launch report)") becomes its institution, linked to the page
    when it has a path, else to the institution's site; any other text (typed in an upload) stays as is."""
    text = text.strip()
    if text in SYSTEM_SOURCES:  # the DEMO generator's: in the language, no link
        return gettext(SYSTEM_SOURCES[text], lang), None
    m = _ENTRY.match(text)
    src = _by_id().get(source_id or "") or (_source_of_host(m["host"]) if m else None)
    if src is None:
        return text, None
    url = f"https://{m['host']}{m['path']}" if m and m["path"] else (src.url or None)
    return src.name(lang), url


def entries(text: str | None, lang: str, source_ids=()) -> list[tuple[str, str | None]]:
    """Every entry of a `;`-separated source text, each as (name, link), duplicates removed."""
    parts = [p for p in (text or "").split(";") if p.strip()]
    ids = list(source_ids or ()) if len(source_ids or ()) == len(parts) else [None] * len(parts)
    out: list[tuple[str, str | None]] = []
    for part, sid in zip(parts, ids, strict=True):
        item = entry(part, lang, sid)
        if item not in out:
            out.append(item)
    return out


def names(text: str | None, lang: str) -> str:
    """The institutions of a source text, by name, for a table cell (no links there)."""
    return ", ".join(dict.fromkeys(name for name, _url in entries(text, lang)))


def indicator_sources(code: str, sources: str | None, lang: str) -> list[tuple[str, str | None]]:
    """The catalog sources of an indicator's target and baseline, by the ids of the shipped catalog."""
    ids = ()
    try:
        ind = _catalog().indicator(code)
        ids = ind.source_ids if ind.sources == sources else ()
    except KeyError:
        pass
    return entries(sources, lang, ids)


def catalog_note(code: str, notes: str | None, lang: str, corrected: str | None = None) -> str:
    """The catalog's note on an indicator in the language (the English note when none is written);
    `corrected`: an admin's correction of the note in this language (loaders/texts.py), which wins."""
    if isinstance(corrected, str) and corrected:
        return corrected
    try:
        ind = _catalog().indicator(code)
    except KeyError:
        return notes or ""
    translated = {"fr": ind.notes_fr, "ar": ind.notes_ar}.get(lang, "")
    return translated or (notes or "")


@cache
def _data_notes() -> dict[str, dict[str, str]]:
    """The catalog's English notes on published values and index editions -> their French and Arabic."""
    c = _catalog()
    out = {o.note: {"fr": o.note_fr, "ar": o.note_ar} for _row, o in c.observations if o.note}
    out |= {
        e.series_note: {"fr": e.series_note_fr, "ar": e.series_note_ar}
        for e in c.index_editions
        if e.series_note
    }
    return out


def data_note(text: str | None, lang: str) -> str:
    """A note stored with a value or an edition, in the language when the catalog translates it (a
    note typed in an upload stays as written)."""
    if not isinstance(text, str):
        return ""
    return _data_notes().get(text, {}).get(lang) or text


@cache
def _by_producer() -> dict[str, Source]:
    return {s.producer: s for s in _catalog().sources if s.producer}


def producer_name(code: str | None, lang: str) -> str:
    """A catalog producer ("ANRT", "Office des Changes") by its institution's name in the language, its
    code (an acronym) kept as a short tag when the name does not already carry it; an unknown code as written."""
    if not isinstance(code, str) or not code:
        return ""
    s = _by_producer().get(code)
    if s is None:
        return code
    name = s.name(lang)
    if (
        " " in code or code.casefold() in name.casefold()
    ):  # "Office des Changes" is a name, not a tag
        return name
    tag = f"\u2066{code}\u2069" if lang == "ar" else code  # a Latin code kept whole in Arabic text
    return f"{name} ({tag})"
