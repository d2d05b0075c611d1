"""Indicator page: one indicator (national or one region) with its figures, chart, explanation, sources and data."""

import datetime as dt

import streamlit as st

from kpis import charts
from kpis import view_choices as choices
from kpis import view_indicator as vi
from pages._ui import (
    ctx,
    https_link,
    literal,
    literal_table,
    load_kpi_inputs,
    plotly_chart,
    url_choice,
    write_url,
)

c = ctx()
_ = c._
inputs = load_kpi_inputs(c)

options = choices.indicator_options(inputs, c.lang)
codes = list(options)
url_choice("code", "indicator_code", codes, choices.first_with_data(inputs, codes))
cols = st.columns([3, 1])
code = cols[0].selectbox(_("Indicator"), codes, format_func=options.get, key="indicator_code")
write_url("code", "indicator_code", code)

region = ""
if inputs.indicator(code)["by_region"]:
    regions = choices.region_options(inputs, c.lang)
    isos = list(regions)
    url_choice("region", "indicator_region", isos, "")
    region = cols[1].selectbox(_("Region"), isos, format_func=regions.get, key="indicator_region")
write_url("region", "indicator_region", region)

v = vi.indicator_view(
    inputs, code, c.lang, region=region, today=c.as_of or dt.date.today(), method=c.method
)

st.title(literal(v.name if not region else f"{v.name} · {v.region_name}"))
st.caption(" · ".join(f"{literal(label)}: **{literal(text)}**" for label, text in v.facts))
st.badge(literal(v.status_text), color=v.badge_color, icon=":material/flag:")
st.caption(literal(v.method_text))
if v.demo:
    st.warning(
        _(
            "DEMO data is shown: illustrative values, not official figures. Remove it in Administration."
        ),
        icon=":material/science:",
    )

for row in (v.metrics[:3], v.metrics[3:]):
    if not row:
        continue
    for col, metric in zip(st.columns(len(row), border=True), row, strict=True):
        col.metric(literal(metric.label), metric.value, help=literal(metric.help) or None)
        if metric.note:
            col.caption(literal(metric.note))

if v.has_data:
    plotly_chart(c, charts.trajectory_chart(v.detail, c.lang), key="trajectory_chart")
    if v.chart_note:
        st.caption(literal(v.chart_note))
else:
    st.info(literal(v.empty_message), icon=":material/hourglass_empty:")
    st.markdown("\n".join(f"- {literal(line)}" for line in v.known))

st.header(_("How this is computed"), divider="gray")
st.markdown("\n".join(f"- **{literal(what)}**: {literal(how)}" for what, how in v.explain))
if v.flags:
    st.subheader(_("To keep in mind"))
    st.markdown("\n".join(f"- {literal(f)}" for f in v.flags))

st.subheader(_("Sources"))
if v.value_sources:
    st.markdown(f"**{_('Sources of the values shown')}**")
    st.markdown("\n".join(f"- {https_link(text, url)}" for text, url in v.value_sources))
st.markdown(f"**{_('Sources of the target and baseline (catalog)')}**")
st.markdown(
    "\n".join(f"- {https_link(text, url)}" for text, url in v.sources) or _("No source recorded.")
)
# The Methodology page of this app, never a repository path (a page link keeps the session's language).
st.caption(_("How sources are chosen and checked: see the Methodology page."))
st.page_link("pages/methodology.py", label=_("Methodology"))
if v.notes:
    st.caption(_("Catalog note: {note}", note=literal(v.notes)))

if not region:
    st.subheader(_("Milestones"))
    if len(v.milestones):
        st.table(literal_table(v.milestones).style.hide(axis="index"))
    else:
        st.caption(_("No dated commitment: this indicator has no target."))

st.subheader(_("Observations"))
if len(v.observations):
    # An HTML table wraps long sources and reads right to left in Arabic; the box scrolls past ~12 rows.
    box = st.container(height=min(560, 70 + 42 * len(v.observations)), border=False)
    box.table(literal_table(v.observations).style.hide(axis="index"))
else:
    st.caption(_("No observation loaded yet."))
