"""Corrected catalog texts: an admin's correction of an indicator's or a pillar's name or note in one language is
a revision row (the catalog's text stays the original), checked by the catalog's text rules, recorded in the
audit trail and undoable; the pages read the catalog's tables with the live corrections laid over them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import sqlalchemy as sa

from .access import User, require
from .access.audit import record
from .catalog import Catalog
from .i18n import N_
from .review import ReviewError
from .store import Store, utcnow
from .store.schema import text_revision, text_revision_seq
from .targets import mark_undone

LANGS = ("fr", "ar", "en")
# What may be corrected: (kind of catalog row, field) -> longest text. Names are table cells and titles; notes
# are paragraphs. The shipped catalog's longest are 73 and 358 characters.
LIMITS = {("indicator", "name"): 120, ("indicator", "notes"): 1000, ("pillar", "name"): 120}
COLUMNS = [c.name for c in text_revision.columns]

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# Texts are shown literally (pages/_ui.literal): markup or a link would show as raw characters, and the only
# links the app shows are the catalog's sources, built by the code. Refused rather than shown broken.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&[A-Za-z]+;|&#\d+;|\]\(|!\[|`")
_LINK = re.compile(r"\b(?:https?|ftp|file|javascript|data|mailto):|\bwww\.", re.IGNORECASE)


class TextError(ReviewError):
    """A correction refused (`code` stable, `translated(_)` one sentence saying why)."""


def column(field: str, lang: str) -> str:
    """The catalog column holding `field` in `lang` (the English note is the reference's `notes`)."""
    if field == "notes":
        return "notes" if lang == "en" else f"notes_{lang}"
    return f"{field}_{lang}"


def catalog_texts(catalog: Catalog) -> dict[tuple[str, str, str], str]:
    """Every correctable text of the catalog: {(key, field, language): text}, in catalog order."""
    out: dict[tuple[str, str, str], str] = {}
    for p in catalog.pillars:
        for lang in LANGS:
            out[(f"pillar:{p.programme}/{p.pillar}", "name", lang)] = getattr(p, f"name_{lang}")
    for i in catalog.indicators:
        for field in ("name", "notes"):
            for lang in LANGS:
                out[(f"indicator:{i.code}", field, lang)] = getattr(i, column(field, lang))
    return out


def catalog_of(store: Store) -> Catalog:
    """The catalog the store was built on (the store keeps its catalog directory in `meta`)."""
    from .catalog import CATALOG_DIR, load_catalog

    return load_catalog(store.meta_value("catalog_dir") or CATALOG_DIR)


def labels(catalog: Catalog, lang: str, current: dict) -> dict[str, str]:
    """{key: "name in the language (code)"} for every catalog row with texts, pillars first; `current`: the
    texts as shown now ({(key, field, language): text})."""
    out = {}
    for p in catalog.pillars:
        key = f"pillar:{p.programme}/{p.pillar}"
        out[key] = f"{current.get((key, 'name', lang), '')} ({p.programme}/{p.pillar})"
    for i in catalog.indicators:
        key = f"indicator:{i.code}"
        out[key] = f"{current.get((key, 'name', lang), '')} ({i.code})"
    return out


def check(text: str, field: str, lang: str, kind: str = "indicator") -> str:
    """The text as it will be stored (spaces trimmed), or TextError saying which rule it breaks."""
    text = unicodedata.normalize("NFC", text or "").strip()
    limit = LIMITS.get((kind, field))
    if limit is None or lang not in LANGS:
        raise TextError("not-correctable", N_("This text cannot be corrected here"))
    if not text:
        raise TextError(
            "empty-text", N_("The text is empty: write the corrected text, or undo a correction")
        )
    if len(text) > limit:
        raise TextError(
            "text-too-long",
            N_("The text has {length} characters; at most {limit} are allowed here"),
            length=len(text),
            limit=limit,
        )
    if field == "name" and ("\n" in text or "\r" in text):
        raise TextError("text-lines", N_("A name is one line: remove the line breaks"))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text):
        raise TextError("text-control", N_("The text holds invisible control characters"))
    if _MARKUP.search(text):
        raise TextError(
            "text-markup",
            N_("Texts are shown as written: remove the markup (<…>, &…;, [..](..), backquotes)"),
        )
    if _LINK.search(text):
        raise TextError(
            "text-link",
            N_("Texts are shown as written, without links: remove the web address"),
        )
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if lang == "ar" and arabic < max(latin, 1):
        raise TextError(
            "text-not-arabic",
            N_("The Arabic text must be written mostly in Arabic letters"),
        )
    if lang != "ar" and arabic:
        raise TextError(
            "text-arabic-letters",
            N_(
                "The French or English text holds Arabic letters: was it pasted in the wrong language?"
            ),
        )
    return text


def revisions(store: Store, *, conn=None):
    """Every correction (undone ones included), oldest first, as a pandas DataFrame (COLUMNS). `conn`: one
    from Store.begin() or Store.transaction() (plain SQL, so the driver's own DuckDB connection works)."""
    import pandas as pd

    names = ", ".join('"' + c + '"' for c in COLUMNS)  # the table's own column names
    sql = f"SELECT {names} FROM text_revision ORDER BY revision_id"
    if conn is None:
        with store.transaction() as c:
            rows = store.execute(c, sql)
    else:
        rows = store.execute(conn, sql)
    return pd.DataFrame(rows, columns=COLUMNS)


def live(revs) -> dict[tuple[str, str, str], str]:
    """{(key, field, language): text} of the corrections in force: the latest not undone for each text."""
    out: dict[tuple[str, str, str], str] = {}
    if revs.empty:
        return out
    for r in revs[revs["undone_at"].isna()].itertuples():
        out[(r.key, r.field, r.language)] = r.new_text
    return out


def change(
    store: Store,
    catalog: Catalog,
    key: str,
    field: str,
    lang: str,
    text: str,
    *,
    user: User | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Correct one catalog text; returns the revision id. Admins only (checked here, whoever calls)."""
    require(user, "edit_catalog")
    original = catalog_texts(catalog)
    if (key, field, lang) not in original:
        raise TextError("not-correctable", N_("This text cannot be corrected here"))
    text = check(text, field, lang, key.partition(":")[0])
    now = now or utcnow()
    with store.begin(write=True) as conn:
        before = live(revisions(store, conn=conn)).get(
            (key, field, lang), original[(key, field, lang)]
        )
        if text == before:
            raise TextError("text-unchanged", N_("The text is already this one: nothing to save"))
        rid = int(conn.execute(sa.select(text_revision_seq.next_value())).scalar_one())
        conn.execute(
            sa.insert(text_revision).values(
                revision_id=rid,
                key=key,
                field=field,
                language=lang,
                old_text=before,
                new_text=text,
                changed_at=now,
                changed_by=user.name,
                reason=(reason or "").strip() or None,
            )
        )
        what = {"field": field, "language": lang}
        record(
            conn,
            user,
            "text_change",
            key,
            {**what, "text": before},
            {**what, "text": text, "revision_id": rid},
            at=now,
        )
        _bump(store, conn)
    return rid


def undo(
    store: Store, revision_id: int, *, user: User | None, now: dt.datetime | None = None
) -> None:
    """Undo one correction: the text goes back to the one before it (in the end, the catalog's)."""
    require(user, "edit_catalog")
    now = now or utcnow()
    with store.begin(write=True) as conn:
        row = mark_undone(conn, text_revision, revision_id, by=user.name, at=now, error=TextError)
        what = {"field": row["field"], "language": row["language"], "revision_id": revision_id}
        record(
            conn,
            user,
            "text_undo",
            row["key"],
            {**what, "text": row["new_text"]},
            {**what, "undone": True},
            at=now,
        )
        _bump(store, conn)


def _bump(store: Store, conn) -> None:
    # Pages cache on Store.data_version, which reads this counter (loaders/submit.record bumps it too).
    n = store.meta_value("review_version", conn)
    store.set_meta(conn, "review_version", str(int(n or 0) + 1))


def apply_to_frames(indicators, pillars, revs):
    """The indicator and pillar frames (as the store holds the catalog) with the live corrections laid over;
    a corrected French or Arabic note adds the column `notes_fr` / `notes_ar` (blank where not corrected)."""
    texts = live(revs)
    if not texts:
        return indicators, pillars
    indicators, pillars = indicators.copy(), pillars.copy()
    for (key, field, lang), text in texts.items():
        kind, _sep, ident = key.partition(":")
        col = column(field, lang)
        if kind == "indicator":
            frame, at = indicators, indicators["code"] == ident
        elif kind == "pillar":
            programme, _sep, pillar = ident.partition("/")
            frame, at = pillars, (pillars["programme"] == programme) & (pillars["pillar"] == pillar)
        else:
            continue
        if col not in frame.columns:
            frame[col] = ""
        frame.loc[at, col] = text
    return indicators, pillars


def apply_to_tables(store: Store, tables: dict) -> dict:
    """The catalog tables read from `store` ({"indicator": frame, "pillar": frame, …}) with the corrections."""
    ind, pil = apply_to_frames(tables["indicator"], tables["pillar"], revisions(store))
    return {**tables, "indicator": ind, "pillar": pil}
