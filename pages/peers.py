"""Peers: Morocco's international ranks by edition, with the countries ranked, the rank as a percentile
and method changes marked as series breaks."""

import streamlit as st

from kpis import view_peers as vpe
from kpis.peers import editions_table
from pages._officials import index_editions, observations
from pages._state import keep_in_url, widget_from_url
from pages._ui import catalog, ctx, plotly_chart, show_table

c = ctx()
_ = c._
cat = catalog(c)

st.title(_("International ranks"))
st.caption(_(vpe.PERCENTILE_RULE))
ranks = vpe.rank_indicators(cat["indicator"], c.lang)
t = editions_table(index_editions(), observations(c), ranks)
indices = list(dict.fromkeys(t["index"]))
labels = {x: vpe.index_label(x, c.lang) for x in indices}
widget_from_url("pe_index", "index", indices, many=True)
picked = st.multiselect(
    _("Indices"), indices, format_func=labels.get, key="pe_index", placeholder=_("All indices")
)
keep_in_url(index=picked)
if picked:
    t = t[t["index"].isin(picked)]
if not len(t):
    st.info(_("No edition to show."), icon=":material/info:")
    st.stop()
plotly_chart(c, vpe.percentile_chart(t, c.lang, rtl=c.rtl))
if t["countries_ranked"].isna().any():
    st.caption(
        _(
            "Editions whose number of countries ranked was not published have no percentile and are"
            " left out of the chart."
        )
    )
show_table(c, vpe.editions_view(t, c.lang), key="pe_table")
