"""Audit trail (admins): every sign-in, upload, undo, DEMO and account change, filtered, exported as CSV."""

import datetime as dt

import streamlit as st

from loaders.access import audit
from loaders.store import StoreBusy, local_today
from pages._auth import require_page
from pages._ui import ctx, reader, show_table

c = ctx()
_ = c._
require_page(c, "view_audit")

st.title(_("Audit trail"))
st.caption(
    _("Every change, who made it and when (Morocco's time). Rows are never changed or deleted.")
)
try:
    users = audit.distinct(reader(c.store.url), "user_name")
    actions = audit.distinct(reader(c.store.url), "action")
except StoreBusy as e:
    st.info(e.translated(_))
    st.stop()
left, mid, right = st.columns(3)
who = left.selectbox(_("User"), [None, *users], format_func=lambda v: _("All") if v is None else v)
what = mid.selectbox(
    _("Action"), [None, *actions], format_func=lambda v: _("All") if v is None else v
)
today = local_today()
days = right.date_input(
    _("Dates"), value=(today - dt.timedelta(days=30), today), max_value=today, key="audit_days"
)
since, until = (days[0], days[-1]) if isinstance(days, (tuple, list)) and days else (None, None)
rows = audit.read(reader(c.store.url), user=who, action=what, since=since, until=until)
st.caption(_("{count} rows", count=len(rows)))
st.download_button(
    _("Export as CSV"),
    audit.to_csv(rows),
    file_name=f"marsad_audit_{today.isoformat()}.csv",
    mime="text/csv",
    key="audit_csv",
)
show_table(
    c,
    rows.head(500).rename(
        columns={
            "audit_id": "#",
            "local_at": _("When"),
            "user_name": _("User"),
            "action": _("Action"),
            "subject": _("Subject"),
            "before": _("Before"),
            "after": _("After"),
        }
    )[["#", _("When"), _("User"), _("Action"), _("Subject"), _("Before"), _("After")]],
    key="audit_table",
)
