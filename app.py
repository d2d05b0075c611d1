"""Marsad entry point: sets up language, styling and the store, then routes to the pages explicitly."""

from pathlib import Path

import streamlit as st

from kpis.methods import METHODS
from pages._state import keep_view_in_url
from pages._ui import admin_panel, build_ctx, language_picker, style, view_controls

# A bundled icon: a ":material/..." page icon makes every browser fetch it from a Google font host.
ICON = Path(__file__).resolve().parent / "data" / "icon.png"
st.set_page_config(page_title="Marsad · مرصد", page_icon=ICON, layout="wide")

c = build_ctx()
_ = c._
style(c)

# (path, title, icon, section); the list is the whole routing table.
PAGES = [
    ("pages/overview.py", _("Overview"), ":material/dashboard:", _("Roadmap")),
    ("pages/indicator.py", _("Indicator"), ":material/monitoring:", _("Roadmap")),
    ("pages/regions.py", _("Regions"), ":material/map:", _("Roadmap")),
    ("pages/pillar.py", _("Pillar"), ":material/view_module:", _("Roadmap")),
    ("pages/milestones.py", _("Milestones"), ":material/flag:", _("Roadmap")),
    ("pages/peers.py", _("Peers"), ":material/leaderboard:", _("Roadmap")),
    ("pages/methodology.py", _("Methodology"), ":material/menu_book:", _("Roadmap")),
    ("pages/present.py", _("Presenter mode"), ":material/slideshow:", _("Roadmap")),
    ("pages/upload.py", _("Upload"), ":material/upload_file:", _("Data")),
    ("pages/history.py", _("History"), ":material/history:", _("Data")),
    ("pages/review.py", _("Review"), ":material/fact_check:", _("Data")),
    ("pages/reporting.py", _("Reporting"), ":material/event_upcoming:", _("Data")),
    ("pages/targets.py", _("Targets"), ":material/flag:", _("Data")),
]
sections: dict[str, list] = {}
for path, title, icon, section in PAGES:
    sections.setdefault(section, []).append(
        st.Page(path, title=title, icon=icon, default=path == PAGES[0][0])
    )

nav = st.navigation(sections)
# A show prepared as a link on the root address (`/?present=1&slides=…`) opens the presenter page.
if st.query_params.get("present") == "1" and nav.url_path != "present":
    st.switch_page("pages/present.py")
with st.sidebar:
    st.markdown("### :material/radar: " + _("Marsad"))
    st.caption(_("Maroc IA 2030 · Maroc Digital 2030 — roadmap observatory"))
language_picker(c)
view_controls(c, {k: _(v) for k, v in METHODS.items()})
keep_view_in_url(c.as_of, c.method)
admin_panel(c)
nav.run()
