"""History: every batch loaded (who, when, what), undo with confirmation, and every version of one value."""

import streamlit as st

from kpis import view_history as vh
from loaders.batches import UndoError, history, undo, value_history, value_keys
from loaders.i18n import fmt_period
from loaders.store import StoreBusy, local_time
from pages._auth import may, signed_in_user
from pages._ui import (
    catalog,
    ctx,
    current_user,
    literal,
    load_kpi_inputs,
    reader,
    served,
    show_table,
)

c = ctx()
_ = c._
cat = catalog(c)
regions = dict(zip(cat["region"]["iso"], cat["region"][c.name], strict=True))
indicators = dict(zip(cat["indicator"]["code"], cat["indicator"][c.name], strict=True))


def _when(v) -> str:
    return vh.when(v, c.lang, local_time)


def _region(iso) -> str:
    return regions.get(iso, iso) if iso else _("National")


st.title(_("Loading history"))
st.caption(
    _(
        "Every upload is one batch. Undoing a batch marks it undone (nothing is deleted): its values go back "
        "to their previous versions, and figures as known on an earlier date stay reproducible."
    )
)

batches = served(c, "history", lambda: history(reader(c.store.url)))
table = vh.batches_frame(batches, c.lang, local_time)
# An HTML table that wraps: all nine columns stay readable at 1440 px in every language.
show_table(c, vh.styled(table, vh.undone_rows(batches)), key="batches_table", wrap=True)

# -- undo ---------------------------------------------------------------------------------------------
st.subheader(_("Undo a batch"))
undoable = batches[(batches["origin"] == "upload") & batches["undone_at"].isna()]
if not may(signed_in_user(), "undo"):  # H7: undo for validators and admins only
    st.caption(_("Only a validator or an admin can undo a batch."))
elif undoable.empty:
    st.caption(_("No upload can be undone."))
else:
    labels = {
        int(b.batch_id): _(
            "Batch {batch_id} · {files} · {when} · {user}",
            batch_id=int(b.batch_id),
            files=b.files,
            when=_when(b.created_at),
            user=b.user_name,
        )
        for b in undoable.itertuples()
    }
    picked = st.selectbox(_("Batch"), list(labels), format_func=labels.get, key="undo_pick")
    if st.button(_("Undo this batch…"), key="undo_ask", icon=":material/undo:"):
        st.session_state["undo_confirm"] = picked
    if st.session_state.get("undo_confirm") == picked:
        st.warning(
            _(
                "Undo batch {batch_id}? Its values go back to their previous versions; values it added "
                "disappear from the current figures. The batch stays in the history, marked undone.",
                batch_id=picked,
            )
        )
        left, right = st.columns(2)
        if left.button(_("Confirm the undo"), type="primary", key="undo_confirm_button"):
            st.session_state.pop("undo_confirm", None)
            try:
                result = undo(c.store, picked, user=current_user(c), lang=c.lang)
            except UndoError as e:
                st.session_state["undo_message"] = ("error", e.message)
            except StoreBusy as e:  # a load holds the database: nothing was undone
                st.session_state["undo_message"] = ("error", e.translated(_))
            else:
                st.cache_data.clear()
                st.session_state["undo_message"] = ("success", result.message)
            st.rerun()
        if right.button(_("Cancel"), key="undo_cancel"):
            st.session_state.pop("undo_confirm", None)
            st.rerun()
kind, message = st.session_state.pop("undo_message", (None, None))
if kind == "success":
    st.success(literal(message), icon=":material/check_circle:")
elif kind == "error":
    st.error(literal(message))

# -- one value's versions ---------------------------------------------------------------------------------
st.subheader(_("Versions of one value"))
inputs = load_kpi_inputs(c)
observed = set(inputs.observations["indicator"]) if inputs is not None else set()
if st.session_state.get("vh_indicator") not in indicators:  # open on an indicator that has values
    st.session_state["vh_indicator"] = vh.first_with_values(list(indicators), observed)
code = st.selectbox(
    _("Indicator"),
    list(indicators),
    format_func=lambda k: f"{indicators[k]} ({k})",
    key="vh_indicator",
)
keys = served(c, "value_keys", lambda k: value_keys(reader(c.store.url), k), code)
if keys.empty:
    st.caption(_("No value has been loaded for this indicator yet."))
else:
    periods = list(dict.fromkeys(keys["period"]))
    period = st.selectbox(
        _("Period"),
        periods,
        index=len(periods) - 1,
        format_func=lambda p: fmt_period(p, c.lang),
        key="vh_period",
    )
    region_choices = keys[keys["period"] == period]["region"].tolist()
    region = st.selectbox(_("Region"), region_choices, format_func=_region, key="vh_region")
    versions = served(
        c, "value_history", lambda *k: value_history(reader(c.store.url), *k), code, period, region
    )
    show_table(c, vh.versions_frame(versions, c.lang, local_time), key="versions_table")
