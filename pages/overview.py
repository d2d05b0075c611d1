"""Overview: how the roadmap stands, pillar by pillar: latest value, baseline, target, progress, status, source."""

import streamlit as st

from kpis import charts, views
from kpis.detail_views import catalog_indicator_options
from kpis.methods import METHODS, STATUS_BY_METHOD, STATUS_LABELS
from loaders.i18n import fmt_date
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

counts = views.headline_counts(st_df)
cols = st.columns(len(views.TONE_ORDER) + 1)
cols[0].metric(_("Indicators"), len(st_df[st_df["region"].fillna("") == ""]))
for col, tone in zip(cols[1:], views.TONE_ORDER, strict=True):
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

programme = None
for sec in views.overview_sections(st_df, cat["indicator"], cat["pillar"], c.lang):
    if sec.programme != programme:
        programme = sec.programme
        st.header(literal(sec.programme_label), divider="gray")
    st.subheader(literal(sec.pillar_label))
    st.table(literal_table(views.styled_section(sec, c.lang)))

st.caption(
    _(
        "Sources: each figure names where it was published or the file and row it was loaded from. "
        "Catalog of targets and sources: data/catalog (see SOURCES.md)."
    )
)
