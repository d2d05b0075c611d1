"""Overview: how the roadmap stands, pillar by pillar, filtered by pillar, status and region: latest value,
trend, progress against the expected path, stale data, target, source."""

import streamlit as st

from kpis import view_overview as vo
from kpis import views
from kpis.methods import METHODS
from loaders.i18n import fmt_date
from pages._officials import grid_config, overview_view, stale_total, status_bars
from pages._state import keep_in_url, widget_from_url
from pages._ui import catalog, ctx, literal, plotly_chart, status

c = ctx()
_ = c._
cat = catalog(c)
st_df = status(c)

st.title(_("Roadmap progress"))
method = _(METHODS[c.method])
if c.as_of:
    st.caption(
        _(
            "Maroc IA 2030 and Maroc Digital 2030 · figures as known on {date} · status method: {method}",
            date=fmt_date(c.as_of, c.lang, "long"),
            method=method,
        )
    )
else:
    st.caption(
        _(
            "Maroc IA 2030 and Maroc Digital 2030 · latest figures · status method: {method}",
            method=method,
        )
    )
if st_df["demo"].any():
    st.warning(
        _(
            "DEMO data is shown: illustrative values, not official figures. Remove it in Administration."
        ),
        icon=":material/science:",
    )

# Filters, kept in the URL (?pillar=IMP,ECO&status=bad,stale&region=MA-04).
pillars = cat["pillar"].sort_values("position")
pillar_names = dict(zip(pillars["pillar"], pillars[c.name], strict=True))
regions = cat["region"]
region_names = {"": _("National")} | dict(zip(regions["iso"], regions[c.name], strict=True))
group_names = {g: _(views.TONE_LABELS[g]) for g in views.TONE_ORDER} | {
    "stale": f"{_(vo.STALE_LABEL)} ({stale_total(c)})"  # how many in all
}
widget_from_url("ov_pillar", "pillar", list(pillar_names), many=True)
widget_from_url("ov_status", "status", list(group_names), many=True)
widget_from_url("ov_region", "region", list(region_names), default="")
f1, f2, f3 = st.columns(3)
picked_pillars = f1.multiselect(
    _("Pillars"),
    list(pillar_names),
    format_func=pillar_names.get,
    key="ov_pillar",
    placeholder=_("All pillars"),
)
picked_groups = f2.multiselect(
    _("Status"),
    list(group_names),
    format_func=group_names.get,
    key="ov_status",
    placeholder=_("All statuses"),
)
region = f3.selectbox(
    _("Region"), list(region_names), format_func=region_names.get, key="ov_region"
)
keep_in_url(pillar=picked_pillars, status=picked_groups, region=region)

view = overview_view(c, region, picked_pillars, picked_groups)
counts = view["counts"]
cols = st.columns(len(views.TONE_ORDER) + 1)
cols[0].metric(_("Indicators"), view["n"])
for col, tone in zip(cols[1:], views.TONE_ORDER, strict=False):
    col.metric(_(views.TONE_LABELS[tone]), counts[tone], help=views.group_help(tone, c.lang))
plotly_chart(c, status_bars(c))

# Open one indicator's page (figures, chart, explanation, sources), keeping the language in the URL.
choices = view["choices"]
picked = st.selectbox(
    _("Open an indicator"),
    list(choices),
    index=None,
    format_func=choices.get,
    placeholder=_("Choose an indicator to see its detail…"),
    key="overview_open_indicator",
)
if picked:
    st.switch_page("pages/indicator.py", query_params={"code": picked, "lang": c.lang})

grids = view["grids"]
if region:
    st.caption(_("Indicators reported by region, for {region}.", region=region_names[region]))
if not grids:
    st.info(_("No indicator matches these filters."), icon=":material/filter_alt_off:")
programme = None
for prog, prog_label, pillar, pillar_label, table, wider, details, overdue in grids:
    if prog != programme:
        programme = prog
        st.header(literal(prog_label), divider="gray")
    st.subheader(literal(pillar_label))
    if (
        overdue
    ):  # figures the reporting calendar says are late: the tooltip says which, when, from whom
        with st.container(horizontal=True, gap="small"):
            for name, tip in overdue:
                st.badge(
                    f"{_(vo.OVERDUE_LABEL)} · {literal(name)}",
                    icon=":material/schedule:",
                    color="orange",
                    help=literal(tip),
                )
    st.dataframe(
        table,
        hide_index=True,
        column_config=grid_config(c.lang, wider=wider),
        key=f"ov_grid_{pillar}",
    )
    with st.expander(_("Baseline, period and source of each figure")):
        st.table(details)

st.caption(_(vo.STALE_HELP))
st.caption(
    _(
        "Sources: each figure names where it was published or the file and row it was loaded from. "
        "How sources are chosen and checked: see the Methodology page."
    )
)
st.page_link("pages/methodology.py", label=_("Methodology"))
