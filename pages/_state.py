"""A page's state in its URL (as-of date, method, each page's filters), so a shared link reopens the same view."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kpis.methods import DEFAULT_METHOD, METHODS
from loaders.store import local_today


def _qp(key: str) -> str | None:
    v = st.query_params.get(key)
    return v if isinstance(v, str) and v else None


def seed_view_from_url() -> None:
    """On a session's first run, take the 'as known on' date and the method from the URL (?as_of=, ?method=)."""
    if "_view_seeded" in st.session_state:
        return
    st.session_state["_view_seeded"] = True
    raw = _qp("as_of")
    if raw and "as_of" not in st.session_state:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is not None and dt.date(2024, 1, 1) <= day < local_today():
            st.session_state["as_of"] = day
    method = _qp("method")
    if method in METHODS and "method" not in st.session_state:
        st.session_state["method"] = method


def keep_view_in_url(as_of: dt.date | None, method: str) -> None:
    """Write the date and method into the URL (left out when they are today's figures and the default)."""
    keep_in_url(
        as_of=as_of.isoformat() if as_of else None,
        method=method if method != DEFAULT_METHOD else None,
    )


def keep_in_url(**params: str | list[str] | None) -> None:
    """Set each parameter (a list is joined with commas); None or empty removes it."""
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        if value:
            if st.query_params.get(key) != value:
                st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]


def url_choice(key: str, allowed, default=None):
    """One allowed value from the URL, else the default."""
    v = _qp(key)
    return v if v in allowed else default


def url_choices(key: str, allowed) -> list[str]:
    """Allowed values from a comma-separated URL parameter, in the allowed order."""
    picked = set((_qp(key) or "").split(","))
    return [a for a in allowed if a in picked]


def widget_from_url(widget_key: str, url_key: str, allowed, *, many: bool = False, default=None):
    """Before a widget is drawn the first time in a session, give it the URL's value."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = (
            url_choices(url_key, allowed) if many else url_choice(url_key, allowed, default)
        )
