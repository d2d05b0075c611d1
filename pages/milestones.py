"""Milestones: regulatory milestones, intermediate milestones and the JAZARI institutes by region and date,
each done, due or overdue."""

import streamlit as st

from kpis import view_milestones as vm
from pages._officials import milestones, observations, today
from pages._state import keep_in_url, widget_from_url
from pages._ui import catalog, ctx, plotly_chart, show_table

c = ctx()
_ = c._
cat = catalog(c)

st.title(_("Milestones"))
st.caption(
    _(
        "Done when a reported value reaches it (the period it was reported); due until 31 December of its"
        " year, overdue after. JAZARI institutes region by region, from the observations."
    )
)
kinds = {k: _(v) for k, v in vm.KINDS.items()}
states = {k: _(v) for k, v in vm.STATES.items()}
regions = cat["region"]
region_names = {"": _("All regions")} | dict(zip(regions["iso"], regions[c.name], strict=True))
if "ms_kind" not in st.session_state and "kind" not in st.query_params:
    st.session_state["ms_kind"] = list(vm.DEFAULT_KINDS)
widget_from_url("ms_kind", "kind", list(kinds), many=True)
widget_from_url("ms_state", "state", list(states), many=True)
widget_from_url("ms_region", "region", list(region_names), default="")
f1, f2, f3 = st.columns(3)
picked_kinds = f1.multiselect(
    _("Show"), list(kinds), format_func=kinds.get, key="ms_kind", placeholder=_("Everything")
)
picked_states = f2.multiselect(
    _("State"), list(states), format_func=states.get, key="ms_state", placeholder=_("Any state")
)
region = f3.selectbox(
    _("Region (JAZARI institutes)"),
    list(region_names),
    format_func=region_names.get,
    key="ms_region",
)
keep_in_url(
    kind=picked_kinds if set(picked_kinds) != set(vm.DEFAULT_KINDS) else None,
    state=picked_states,
    region=region,
)

day = today(c)
t = vm.timeline(
    milestones(c),
    observations(c),
    cat["indicator"],
    regions,
    c.lang,
    today=day,
    kinds=picked_kinds,
    states=picked_states,
    region=region,
)
if not len(t):
    st.info(_("Nothing matches these filters."), icon=":material/filter_alt_off:")
    st.stop()
counts = t["state"].value_counts()
cols = st.columns(len(vm.STATES))
for col, (k, label) in zip(cols, states.items(), strict=True):
    col.metric(label, int(counts.get(k, 0)))
if t["demo"].any():
    st.warning(
        _("Some items were completed by DEMO data: illustrative, not official."),
        icon=":material/science:",
    )
plotly_chart(c, vm.timeline_chart(t, c.lang, rtl=c.rtl, today=day))
show_table(c, vm.timeline_table(t, c.lang), key="ms_table")
