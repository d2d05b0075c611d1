"""Marsad entry point: sets up language, styling and the store, then routes to the pages explicitly."""

from pathlib import Path

import streamlit as st

# Streamlit lists every file of pages/ (helpers included) until this script reaches st.navigation, which
# comes after the imports and, on a first start, the creation of the store: hide that provisional list
# (it links "/ui") before anything slow runs.
st.html('<style>[data-testid="stSidebarNav"]:has(a[href$="/ui"]){visibility:hidden}</style>')

from kpis.methods import METHODS  # noqa: E402
from pages._auth import account_box, may, resolve_user  # noqa: E402
from pages._state import keep_view_in_url  # noqa: E402
from pages._ui import admin_panel, build_ctx, language_picker, style, view_controls  # noqa: E402

# A bundled icon: a ":material/..." page icon makes every browser fetch it from a Google font host.
ICON = Path(__file__).resolve().parent / "data" / "icon.png"
st.set_page_config(page_title="Marsad · مرصد", page_icon=ICON, layout="wide")

c = build_ctx()
_ = c._
style(c)
user = resolve_user(c.store)  # who signed in, checked in the database on every run

# (path, title, icon, section, what the role must allow); the list is the whole routing table, built on the
# server from the role: a page left out here cannot be reached, not even by typing its URL.
PAGES = [
    ("pages/overview.py", _("Overview"), ":material/dashboard:", _("Roadmap"), "view"),
    ("pages/indicator.py", _("Indicator"), ":material/monitoring:", _("Roadmap"), "view"),
    ("pages/regions.py", _("Regions"), ":material/map:", _("Roadmap"), "view"),
    ("pages/pillar.py", _("Pillar"), ":material/view_module:", _("Roadmap"), "view"),
    ("pages/milestones.py", _("Milestones"), ":material/flag:", _("Roadmap"), "view"),
    ("pages/peers.py", _("Peers"), ":material/leaderboard:", _("Roadmap"), "view"),
    ("pages/methodology.py", _("Methodology"), ":material/menu_book:", _("Roadmap"), "view"),
    ("pages/present.py", _("Presenter mode"), ":material/slideshow:", _("Roadmap"), "view"),
    ("pages/upload.py", _("Upload"), ":material/upload_file:", _("Data"), "upload"),
    ("pages/history.py", _("History"), ":material/history:", _("Data"), "view"),
    ("pages/review.py", _("Review"), ":material/fact_check:", _("Data"), "publish"),
    ("pages/reporting.py", _("Reporting"), ":material/event_upcoming:", _("Data"), "view"),
    ("pages/targets.py", _("Targets"), ":material/track_changes:", _("Data"), "edit_catalog"),
    ("pages/translations.py", _("Translations"), ":material/translate:", _("Data"), "edit_catalog"),
    ("pages/audit.py", _("Audit trail"), ":material/policy:", _("Data"), "view_audit"),
]
PAGES = [p for p in PAGES if may(user, p[4])]
if st.session_state[
    "_signin_on"
]:  # listed while nobody is signed in; hidden after, so it can move on
    PAGES.append(("pages/signin.py", _("Sign in"), ":material/login:", _("Account"), None))
sections: dict[str, list] = {}
for path, title, icon, section, _action in PAGES:
    sections.setdefault(section, []).append(
        st.Page(
            path,
            title=title,
            icon=icon,
            default=path == PAGES[0][0],
            visibility="hidden" if path == "pages/signin.py" and user else "visible",
        )
    )

nav = st.navigation(sections, expanded=True)  # every page listed, none behind "View more"
# A show prepared as a link on the root address (`/?present=1&slides=…`) opens the presenter page.
if st.query_params.get("present") == "1" and nav.url_path != "present":
    st.switch_page("pages/present.py")
with st.sidebar:
    st.markdown("### :material/radar: " + _("Marsad"))
    st.caption(_("Maroc IA 2030 · Maroc Digital 2030 — roadmap observatory"))
language_picker(c)
account_box(c, user)
if may(user, "view"):
    view_controls(c, {k: _(v) for k, v in METHODS.items()})
keep_view_in_url(c.as_of, c.method)
admin_panel(c)
nav.run()
