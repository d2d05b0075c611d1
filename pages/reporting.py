"""Reporting: per producer, which figures are due, received or overdue, and when each was last reported."""

import datetime as dt

import pandas as pd
import streamlit as st

from kpis import calendar
from kpis.sources import producer_name
from loaders.i18n import fmt_date, fmt_period
from loaders.store import local_today
from pages._auth import signed_in_user
from pages._ui import ctx, load_kpi_inputs, show_table

c = ctx()
_ = c._
STATUS = {
    "overdue": _("overdue"),
    "due": _("due"),
    "received": _("received"),
    "upcoming": _("not yet due"),
    "unscheduled": _("not chased"),
}
FREQUENCY = {
    "quarterly": _("quarterly"),
    "annual": _("annual"),
    "biennial": _("every two years"),
    "event": _("event"),
}

st.title(_("Reporting calendar"))
st.caption(
    _(
        "Each indicator's producer owes the figure of each period a number of days after the period ends"
        " (the catalog's due rule). A figure is received once published; it is overdue from the day after its"
        " due date. Periods from 2026 on are counted. DEMO values do not count."
    )
)
inputs = load_kpi_inputs(c)
today = c.as_of or local_today()
table = calendar.reporting(inputs, today)
names = dict(zip(inputs.indicators["code"], inputs.indicators[c.name], strict=True))

counts = calendar.summary(table)
cols = st.columns(4)
for col, s in zip(cols, ("overdue", "due", "received", "upcoming"), strict=True):
    col.metric(STATUS[s], counts[s])

producers = sorted(p for p in table.loc[table["status"] != "unscheduled", "producer"].unique() if p)
# A signed-in account's producer (`users set-producer`) is preselected; anyone may pick another.
own = getattr(signed_in_user(), "producer", None)
options = ["", *producers]
mine = st.selectbox(
    _("Your producer (listed first)"),
    options,
    index=options.index(own) if own in options else 0,
    format_func=lambda p: producer_name(p, c.lang) or _("none"),
    key="reporting_producer",
)


def _p(p) -> str:
    return fmt_period(p if isinstance(p, str) else None, c.lang)


def _d(d) -> str:
    return fmt_date(d if isinstance(d, dt.date) else None, c.lang)


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Indicator"): [f"{names.get(k, k)} ({k})" for k in rows["code"]],
            _("Frequency"): [FREQUENCY.get(f, f) for f in rows["frequency"]],
            _("Period"): [_p(p) for p in rows["period"]],
            _("Due on"): [_d(d) for d in rows["due_date"]],
            _("Status"): [STATUS[s] for s in rows["status"]],
            _("Days late"): [int(d) if d else "" for d in rows["days_overdue"]],
            _("Periods late"): [int(n) if n else "" for n in rows["overdue_periods"]],
            _("Last period reported"): [_p(p) for p in rows["last_period"]],
            _("Last reported on"): [_d(d) for d in rows["last_reported"]],
        }
    )


st.caption(_("As of {date}", date=fmt_date(today, c.lang)))
for producer, rows in calendar.by_producer(table, first=mine or None):
    late = int((rows["status"] == "overdue").sum())
    name = producer_name(producer, c.lang)
    title = name if not late else _("{producer}: {n} overdue", producer=name, n=late)
    st.subheader(title)
    show_table(c, _frame(rows), key=f"reporting_{producer}")

loose = table[table["status"] == "unscheduled"]
if not loose.empty:
    with st.expander(_("Not chased: international indices and one-off events")):
        show_table(
            c,
            pd.DataFrame(
                {
                    _("Indicator"): [f"{names.get(k, k)} ({k})" for k in loose["code"]],
                    _("Producer"): [producer_name(p, c.lang) for p in loose["producer"]],
                    _("Last period reported"): [_p(p) for p in loose["last_period"]],
                    _("Last reported on"): [_d(d) for d in loose["last_reported"]],
                }
            ),
            key="reporting_unscheduled",
        )
