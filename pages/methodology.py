"""Methodology page: how every status, score, projection and comparison is computed, from kpis.methods."""

import streamlit as st

from kpis import view_methodology as vm
from pages._ui import catalog, ctx, literal, literal_table

c = ctx()
_ = c._

st.title(_("Methodology"))
st.caption(
    _(
        "How Marsad turns reported values into progress, status, projections and regional comparisons. "
        "Every threshold below is read from the code that computes the figures."
    )
)

for section in vm.methodology_sections(c.lang, catalog(c)["indicator"], c.method):
    st.header(literal(section.title), divider="gray", anchor=section.key)
    for kind, block in section.blocks:
        if kind == "text":
            st.markdown(literal(block))
        elif kind == "bullets":
            st.markdown("\n".join(f"- {literal(b)}" for b in block))
        else:
            for col, (title, table) in zip(st.columns(len(block)), block, strict=True):
                if title:
                    col.markdown(f"**{literal(title)}**")
                col.table(literal_table(table).style.hide(axis="index"))
