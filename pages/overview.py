"""Overview: every pillar with its indicators, latest value, target and source."""

import streamlit as st

from pages._ui import ctx

c = ctx()
_ = c._
st.title(_("Roadmap progress"))
ind = c.store.read_table("indicator")
obs = c.store.current_observations()
for (prog, pil), g in ind.groupby(["programme", "pillar"], sort=False):
    st.subheader(f"{prog} · {pil}")
    st.dataframe(g[["code", c.name, "unit", "target_value", "target_year"]], hide_index=True)
