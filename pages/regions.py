"""Regions page: one regional indicator compared across the 12 regions (map, ranking, disparity, gaps)."""

import streamlit as st

from kpis import charts, charts_regions
from kpis import view_choices as choices
from kpis import view_regions as vr
from loaders.i18n import fmt_period
from pages._ui import (
    ctx,
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

st.title(_("Regions"))
st.caption(
    _(
        "Regional indicators compared across the 12 regions, each the way the catalog says: per inhabitant, "
        "as a share of the national total, or as reported. Region names and populations come from the "
        "catalog (2024 census)."
    )
)

options = choices.indicator_options(inputs, c.lang, regional_only=True)
codes = list(options)
url_choice("code", "regions_code", codes, choices.first_with_data(inputs, codes, regional=True))
cols = st.columns([3, 1])
code = cols[0].selectbox(_("Indicator"), codes, format_func=options.get, key="regions_code")
write_url("code", "regions_code", code)

periods = choices.regional_periods(inputs, code)
latest = vr.regions_view(inputs, code, c.lang)
default = latest.period if latest.period in periods else (periods[0] if periods else None)
period = None
if periods:
    key = f"regions_period_{code}"  # one per indicator: a quarter of one is not a year of another
    period = cols[1].selectbox(
        _("Period"),
        periods,
        index=periods.index(default) if default in periods else 0,
        format_func=lambda p: fmt_period(p, c.lang),
        key=key,
    )
v = (
    latest
    if period in (None, latest.period)
    else vr.regions_view(inputs, code, c.lang, period=period)
)

if v.demo:
    st.warning(
        _(
            "DEMO data is shown: illustrative values, not official figures. Remove it in Administration."
        ),
        icon=":material/science:",
    )

if not v.has_data:
    st.info(_("No region has reported this indicator yet."), icon=":material/hourglass_empty:")
    st.markdown("\n".join(f"- {literal(line)}" for line in v.known))
    st.caption(literal(v.definition))
    st.stop()

st.subheader(literal(_("{indicator} — {period}", indicator=v.name, period=v.period_label)))
st.info(literal(v.comparison_text))
st.caption(literal(v.coverage))
for col, metric in zip(st.columns(len(v.metrics), border=True), v.metrics, strict=True):
    col.metric(literal(metric.label), metric.value, help=literal(metric.help) or None)
    if metric.note:
        col.caption(literal(metric.note))

left, right = st.columns([3, 2])
with left:
    plotly_chart(
        c,
        charts_regions.region_map(
            v.frame,
            c.lang,
            value_col="measure",
            label_col="label",
            hover_col="hover",
            title=_("Compared measure: {measure}", measure=v.measure_label),
            colorbar_title="",
            demo=v.demo,
            reverse_scale=v.reverse_scale,
            lagging=set(v.lagging),
        ),
        key="region_map",
        scrollZoom=False,
    )
    st.caption(_("Map: {attribution}", attribution=charts.map_attribution(c.lang)))
with right:
    plotly_chart(
        c,
        charts_regions.region_bars(
            v.frame,
            c.lang,
            value_col="measure",
            label_col="label",
            text_col="measure_text",
            title=_("Ranking of the regions"),
            lagging=set(v.lagging),
            demo=v.demo,
            reference=v.reference,
            reference_label=v.reference_text,
            lagging_label=_("Lagging region"),
            other_label=_("Other regions"),
        ),
        key="region_bars",
    )

lag_col, missing_col = st.columns(2)
with lag_col:
    st.subheader(_("Lagging regions"))
    if not v.lagging_judged:
        st.markdown(_("Not judged for this comparison (see above)."))
    else:
        st.markdown(
            "\n".join(f"- {literal(n)}" for n in v.lagging_names)
            if v.lagging_names
            else _("No region lags.")
        )
with missing_col:
    st.subheader(_("Regions with no report"))
    st.markdown(literal(v.coverage))
    if v.missing_names:
        st.markdown("\n".join(f"- {literal(n)}" for n in v.missing_names))
st.caption(literal(v.definition))
for note in v.notes[1:]:  # the first is the coverage, shown above
    st.caption(literal(note))

st.subheader(_("All regions"))
st.table(literal_table(v.table).style.hide(axis="index"))
