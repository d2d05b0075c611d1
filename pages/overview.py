"""Overview: how the roadmap stands, pillar by pillar, filtered by pillar, status and region: latest value,
trend, progress against the expected path, stale data, target, source."""

import streamlit as st

from kpis import charts, views
from kpis import view_overview as vo
from kpis.detail_views import catalog_indicator_options
from kpis.methods import METHODS, STATUS_BY_METHOD, STATUS_LABELS
from loaders.i18n import fmt_date
from pages._officials import fit_grid, spark, today
from pages._state import keep_in_url, widget_from_url
from pages._ui import catalog, ctx, literal, literal_table, status

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
day = today(c)
group_names = {g: _(views.TONE_LABELS[g]) for g in views.TONE_ORDER} | {
    "stale": f"{_(vo.STALE_LABEL)} ({vo.stale_count(st_df, day)})"  # how many, before filtering
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

counts = views.headline_counts(st_df)
cols = st.columns(len(views.TONE_ORDER) + 1)
cols[0].metric(_("Indicators"), len(st_df[st_df["region"].fillna("") == ""]))
for col, tone in zip(cols[1:], views.TONE_ORDER, strict=False):
    col.metric(_(views.TONE_LABELS[tone]), counts[tone], help=views.group_help(tone, c.lang))

order = [
    code for code in STATUS_BY_METHOD[c.method] + STATUS_BY_METHOD["trend"] if code != "no-data"
]
order = list(dict.fromkeys(order + ["no-data"]))
labels = {k: _(v) for k, v in STATUS_LABELS.items()}
st.plotly_chart(
    charts.status_bars(
        views.pillar_status_counts(st_df, cat["pillar"], c.lang), c.lang, labels=labels, order=order
    ),
    config={"displaylogo": False},
)

# Open one indicator's page (figures, chart, explanation, sources), keeping the language in the URL.
choices = catalog_indicator_options(cat["indicator"], cat["pillar"], c.lang)
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

rows = status(c, by_region=True) if region else st_df
grids = vo.overview_grids(
    rows,
    cat["indicator"],
    cat["pillar"],
    c.lang,
    today=day,
    region=region,
    pillar_codes=picked_pillars,
    groups=picked_groups,
    spark=spark(c),
)
if region:
    st.caption(_("Indicators reported by region, for {region}.", region=region_names[region]))
if not grids:
    st.info(_("No indicator matches these filters."), icon=":material/filter_alt_off:")
programme = None
for g in grids:
    if g.programme != programme:
        programme = g.programme
        st.header(literal(g.programme_label), divider="gray")
    st.subheader(literal(g.pillar_label))
    table, config = fit_grid(g.table, c.lang, rtl=c.rtl)  # the grid itself is left to right
    st.dataframe(table, hide_index=True, column_config=config, key=f"ov_grid_{g.pillar}")
    with st.expander(_("Baseline, period and source of each figure")):
        st.table(literal_table(g.details).style.hide(axis="index"))

st.caption(_(vo.STALE_HELP))
st.caption(
    _(
        "Sources: each figure names where it was published or the file and row it was loaded from. "
        "Catalog of targets and sources: data/catalog (see SOURCES.md)."
    )
)
