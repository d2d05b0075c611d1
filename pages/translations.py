"""Translations (admins): correct an indicator's or a pillar's name or note in one language from the app; every
correction is checked, recorded in the audit trail, shown on every page and can be undone."""

import pandas as pd
import streamlit as st

from loaders import texts
from loaders.access import PermissionDenied
from loaders.i18n import LANG_LABELS, fmt_date
from loaders.store import StoreBusy, local_time
from pages._auth import require_page
from pages._ui import ctx, literal, reader, served, show_table

c = ctx()
_ = c._
user = require_page(
    c, "edit_catalog"
)  # the page list leaves it out for other roles; this covers a typed URL


def _when(v) -> str:
    if v is None or pd.isna(v):
        return ""
    return fmt_date(local_time(pd.Timestamp(v).to_pydatetime()), c.lang)


st.title(_("Translations"))
st.caption(
    _(
        "Correct a name or a note of the catalog in one language. The catalog's text is kept: every"
        " correction is recorded with its author and reason, shown on every page, and can be undone."
    )
)
kind, message = st.session_state.pop("texts_message", (None, None))
if kind == "success":
    st.success(literal(message), icon=":material/check_circle:")
elif kind == "error":
    st.error(literal(message))

store = reader(c.store.url)
catalog = texts.catalog_of(store)
original = texts.catalog_texts(catalog)
revs = served(c, "text_revisions", lambda v: texts.revisions(store), c.version)
current = {**original, **texts.live(revs)}
labels = texts.labels(catalog, c.lang, current)
FIELDS = {"name": _("Name"), "notes": _("Note")}

left, mid, right = st.columns([3, 1, 1])
key = left.selectbox(_("Text of"), list(labels), format_func=labels.get, key="texts_key")
fields = [f for f in FIELDS if (key, f, "en") in original]
field = mid.radio(_("Text"), fields, format_func=FIELDS.get, horizontal=True, key="texts_field")
lang = right.selectbox(
    _("Language"), list(texts.LANGS), format_func=LANG_LABELS.get, key="texts_lang"
)
here = (key, field, lang)
st.markdown(_("In the catalog: {text}", text=literal(original[here] or "—")))
if current[here] != original[here]:
    st.markdown(_("Shown now: {text}", text=literal(current[here])))
new = st.text_area(
    _("Corrected text"),
    value=current[here],
    height=68 if field == "name" else 160,
    key=f"texts_new_{key}_{field}_{lang}",  # a new box per text, holding that text
)
reason = st.text_input(_("Reason"), key="texts_reason")
if st.button(_("Save the correction"), type="primary", key="texts_save"):
    try:
        texts.change(store, catalog, key, field, lang, new, user=user, reason=reason)
    except (texts.TextError, PermissionDenied, StoreBusy) as e:
        st.session_state["texts_message"] = ("error", e.translated(_))
    else:
        st.cache_data.clear()
        st.session_state["texts_message"] = ("success", _("Correction saved"))
    st.rerun()

# -- corrections made --------------------------------------------------------------------------------------
st.subheader(_("Corrections"))
if revs.empty:
    st.caption(_("No correction: the catalog's texts are shown."))
    st.stop()
show_table(
    c,
    pd.DataFrame(
        {
            _("Change"): revs["revision_id"],
            _("Text of"): [labels.get(k, k) for k in revs["key"]],
            _("Text"): [FIELDS.get(f, f) for f in revs["field"]],
            _("Language"): [LANG_LABELS.get(v, v) for v in revs["language"]],
            _("Before"): revs["old_text"],
            _("After"): revs["new_text"],
            _("Changed on"): [_when(v) for v in revs["changed_at"]],
            _("By"): revs["changed_by"],
            _("Reason"): revs["reason"].fillna(""),
            _("Undone on"): [_when(v) for v in revs["undone_at"]],
        }
    ),
    key="texts_revisions",
    wrap=True,
)
live = [int(r) for r in revs.loc[revs["undone_at"].isna(), "revision_id"]]
if live:
    pick = st.selectbox(_("Correction to undo"), live[::-1], key="texts_undo_pick")
    if st.button(_("Undo this correction"), key="texts_undo"):
        try:
            texts.undo(store, pick, user=user)
        except (texts.TextError, PermissionDenied, StoreBusy) as e:
            st.session_state["texts_message"] = ("error", e.translated(_))
        else:
            st.cache_data.clear()
            st.session_state["texts_message"] = ("success", _("Correction undone"))
        st.rerun()
