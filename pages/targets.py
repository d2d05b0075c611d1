"""Targets (admins): original and current target of an indicator with the source of each change, progress against
either, and changing or undoing a target or milestone."""

import os

import pandas as pd
import streamlit as st

from kpis import targets as kt
from loaders import review, targets
from loaders.i18n import fmt_date, fmt_number, fmt_percent
from loaders.ingest import store_catalog
from loaders.store import StoreBusy, local_time, local_today
from pages._auth import signed_in_user
from pages._ui import ctx, literal, load_kpi_inputs, reader, served, show_table

c = ctx()
_ = c._


def _when(v) -> str:
    if v is None or pd.isna(v):
        return ""
    return fmt_date(local_time(pd.Timestamp(v).to_pydatetime()), c.lang)


def _num(v) -> str:
    return "—" if v is None or pd.isna(v) else fmt_number(v, c.lang)


def _year(v) -> str:
    """A year as written ("2030"): a column with an empty year reads back as floats."""
    return "—" if v is None or pd.isna(v) else str(int(v))


st.title(_("Targets"))
st.caption(
    _(
        "A changed target keeps the catalog's original: both are shown with the date and source of the change,"
        " and progress can be read against either. Every change is recorded and can be undone."
    )
)
# The signed-in account and its role (app.py lists this page for admins only); with sign-in off the name is asked.
account = signed_in_user()
if account is not None and account.source != "open":
    user, role = account.name, account.role
else:
    user = st.text_input(
        _("Your name"), value=os.environ.get("MARSAD_USER", ""), key="targets_user"
    ).strip()
    role = review.role_of(user)
if not review.can(role, "edit_targets"):
    st.error(_("Only administrators change targets."))
    st.stop()

kind, message = st.session_state.pop("targets_message", (None, None))
if kind == "success":
    st.success(literal(message), icon=":material/check_circle:")
elif kind == "error":
    st.error(literal(message))

inputs = load_kpi_inputs(c)
names = dict(zip(inputs.indicators["code"], inputs.indicators[c.name], strict=True))
code = st.selectbox(
    _("Indicator"), list(names), format_func=lambda k: f"{names[k]} ({k})", key="targets_code"
)
store = reader(c.store.url)
history = served(
    c, "target_history", lambda v, a: kt.load_target_history(store, a), c.version, c.as_of
)
row = history.set_index("code").loc[code]
today = c.as_of or local_today()
progress = {
    which: kt.progress(inputs.only(code), history, target=which, today=today).get(code)
    for which in ("original", "current")
}

left, right = st.columns(2)
left.metric(
    _("Original target"),
    _("{value} in {year}", value=_num(row["original_value"]), year=_year(row["original_year"])),
)
right.metric(
    _("Current target"),
    _("{value} in {year}", value=_num(row["current_value"]), year=_year(row["current_year"])),
)
if row["changed"]:
    st.markdown(
        literal(
            _(
                "Changed on {date} by {user}. Source: {source}. Reason: {reason}",
                date=_when(row["changed_at"]),
                user=row["changed_by"],
                source=row["source"],
                reason=row["reason"] or "—",
            )
        )
    )
left, right = st.columns(2)
for col, which, label in (
    (left, "original", _("Progress against the original target")),
    (right, "current", _("Progress against the current target")),
):
    p = progress[which]
    col.metric(label, "—" if p is None or pd.isna(p) else fmt_percent(p, c.lang))

# -- change ----------------------------------------------------------------------------------------------
st.subheader(_("Change a target or a milestone"))
kinds = {"target": _("Final target"), "milestone": _("Milestone")}
what = st.radio(_("What"), list(kinds), format_func=kinds.get, horizontal=True, key="targets_kind")
year = st.number_input(_("Year"), min_value=2000, max_value=2100, value=2030, key="targets_year")
remove = what == "milestone" and st.checkbox(_("Remove this milestone"), key="targets_remove")
value = None if remove else st.number_input(_("Value"), value=0.0, key="targets_value")
source = st.text_input(_("Source of the change"), key="targets_source")
reason = st.text_input(_("Reason"), key="targets_reason")
if st.button(_("Save the change"), type="primary", key="targets_save", disabled=not user):
    try:
        targets.change(
            store,
            store_catalog(store),
            code,
            kind=what,
            year=int(year),
            value=value,
            user=user,
            role=role,
            source=source,
            reason=reason,
        )
    except (review.ReviewError, StoreBusy) as e:
        st.session_state["targets_message"] = ("error", e.translated(_))
    else:
        st.cache_data.clear()
        st.session_state["targets_message"] = ("success", _("Change saved"))
    st.rerun()

# -- changes made ----------------------------------------------------------------------------------------
revs = served(c, "target_revisions", lambda k, v: targets.revisions(store, k), code, c.version)
st.subheader(_("Changes to this indicator"))
if revs.empty:
    st.caption(_("No change: the catalog's targets apply."))
else:
    show_table(
        c,
        pd.DataFrame(
            {
                _("Change"): revs["revision_id"],
                _("What"): [kinds.get(k, k) for k in revs["kind"]],
                _("Year"): [_year(v) for v in revs["target_year"]],
                _("Value"): [_num(v) for v in revs["target_value"]],
                _("Changed on"): [_when(v) for v in revs["changed_at"]],
                _("By"): revs["changed_by"],
                _("Source"): revs["source"],
                _("Reason"): revs["reason"].fillna(""),
                _("Undone on"): [_when(v) for v in revs["undone_at"]],
            }
        ),
        key="targets_revisions",
    )
    live = [int(r) for r in revs.loc[revs["undone_at"].isna(), "revision_id"]]
    if live:
        pick = st.selectbox(_("Change to undo"), live, key="targets_undo_pick")
        if st.button(_("Undo this change"), key="targets_undo", disabled=not user):
            try:
                targets.undo(store, pick, user=user, role=role)
            except (review.ReviewError, StoreBusy) as e:
                st.session_state["targets_message"] = ("error", e.translated(_))
            else:
                st.cache_data.clear()
                st.session_state["targets_message"] = ("success", _("Change undone"))
            st.rerun()
