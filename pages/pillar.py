"""Pillar: one pillar's indicators as a sortable table and as small multiples."""

import streamlit as st

from kpis import view_overview as vo
from kpis import view_pillar as vp
from pages._officials import fit_grid, spark, today
from pages._state import keep_in_url, widget_from_url
from pages._ui import catalog, ctx, literal, plotly_chart, status

c = ctx()
_ = c._
cat = catalog(c)
st_df = status(c)

pillars = cat["pillar"].sort_values("position")
names = dict(zip(pillars["pillar"], pillars[c.name], strict=True))
sorts = {k: _(v) for k, v in vp.SORTS.items()}
widget_from_url("pl_pillar", "pillar", list(names), default=next(iter(names)))
widget_from_url("pl_sort", "sort", list(sorts), default="position")
a, b = st.columns([2, 1])
pillar = a.selectbox(_("Pillar"), list(names), format_func=names.get, key="pl_pillar")
sort = b.selectbox(_("Sort by"), list(sorts), format_func=sorts.get, key="pl_sort")
keep_in_url(pillar=pillar, sort=sort if sort != "position" else None)

st.title(literal(names[pillar]))
if st_df["demo"].any():
    st.warning(
        _(
            "DEMO data is shown: illustrative values, not official figures. Remove it in Administration."
        ),
        icon=":material/science:",
    )
series = spark(c)
grids = vo.overview_grids(
    st_df,
    cat["indicator"],
    cat["pillar"],
    c.lang,
    today=today(c),
    pillar_codes=[pillar],
    spark=series,
)
if not grids:
    st.info(_("This pillar has no indicator in the catalog."), icon=":material/info:")
    st.stop()
grid = grids[0]
table = vp.pillar_table(grid, st_df, c.lang, sort)
st.caption(
    _(
        "{n} indicators · click a column header to sort by it; the order chosen above is kept in the link.",
        n=len(table),
    )
)
shown, config = fit_grid(table, c.lang, rtl=c.rtl)
st.dataframe(shown, hide_index=True, column_config=config, key="pl_table")
st.subheader(_("Each indicator over time"))
st.caption(
    _(
        "Values as assessed (years for flows); the dashed line is the target. Each panel has its own scale."
    )
)
plotly_chart(c, vp.small_multiples(grid, st_df, series, c.lang, rtl=c.rtl))
