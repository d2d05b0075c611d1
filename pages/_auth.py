"""Who is using the app (session cookie, identity provider, or nobody to ask when sign-in is off), what their role
reaches, and the sidebar's account box with sign-out. The rules themselves are in loaders/access."""

from __future__ import annotations

import os

import streamlit as st

from loaders.access import PermissionDenied, User, can, require
from loaders.access.accounts import (
    account_state,
    anonymous_view,
    session_user,
    sign_out,
    signin_required,
)
from loaders.access.audit import record
from loaders.access.oidc import user_from_claims
from loaders.store import Store, StoreBusy

COOKIE = "marsad_session"
# Reads here wait as briefly as the pages' reads for a DuckDB file a load holds (pages/_ui.py READ_LOCK_WAIT).
LOCK_WAIT = 2.0
# Whether sign-in was on when last read, per database (this process): a new visit while a load holds the DuckDB
# file is answered from it.
_SIGNIN_ON: dict[str, bool] = {}


def open_user() -> User:
    """Sign-in off (no account, MARSAD_AUTH not `required`): the local user may do everything, as before."""
    return User(os.environ.get("MARSAD_USER") or "app", "admin", source="open")


def resolve_user(store: Store) -> User | None:
    """The user of this run, checked against the database every run (a disabled account or an ended session
    stops at once, on every replica). None: nobody is signed in and sign-in is on."""
    reads = Store(store.url, lock_wait=LOCK_WAIT)
    try:
        _SIGNIN_ON[store.url] = signin_required(reads)
        if not _SIGNIN_ON[store.url]:
            user = open_user()
        else:
            user = _token_user(reads) or _oidc_user(reads)
    except StoreBusy:
        # A load holds the file: who this session was; a new visit is open only if sign-in was off.
        user = st.session_state.get("_user")
        if user is None and _SIGNIN_ON.get(store.url) is False:
            user = open_user()
    st.session_state["_user"] = user
    st.session_state["_signin_on"] = user is None or user.source != "open"
    return user


def _token_user(store: Store) -> User | None:
    token = st.session_state.get("_auth_token")
    if token is None and not st.session_state.get("_cookie_spent"):
        token = st.context.cookies.get(COOKIE)  # sent by the browser when this session opened
        token = token if isinstance(token, str) else None  # AppTest has no request
    user = session_user(store, token)
    if user is None:
        st.session_state.pop("_auth_token", None)
    else:
        st.session_state["_auth_token"] = token
    return user


def _oidc_user(store: Store) -> User | None:
    """A user vouched for by the identity provider (st.login), with the role from its claim."""
    try:
        if not st.user.is_logged_in:
            return None
        claims = st.user.to_dict()
    except Exception:  # no identity provider configured
        return None
    user = user_from_claims(claims)
    if user is None or account_state(store, user.name) == "disabled":
        return None
    if st.session_state.get("_oidc_audited") != user.name:
        st.session_state["_oidc_audited"] = user.name
        record(store, user, "signin_success", user.name, after={"via": "oidc", "role": user.role})
    return user


def signed_in_user() -> User | None:
    """Who is using the app in this run (resolved by app.py; a page run on its own resolves it here)."""
    if "_user" not in st.session_state:
        from pages._ui import ctx

        return resolve_user(ctx().store)
    return st.session_state["_user"]


def may(user: User | None, action: str) -> bool:
    """Whether this user (None: not signed in) may do `action`; an anonymous visitor may only read, and only
    when MARSAD_ANONYMOUS_VIEW=1."""
    if user is None:
        return action == "view" and anonymous_view()
    return can(user.role, action)


def require_page(c, action: str) -> User | None:
    """Stop the page with one sentence unless the user may do `action` (the page list already leaves it out;
    this also covers a page reached some other way)."""
    user = signed_in_user()
    if may(user, action):
        return user
    try:
        require(user, action)
    except PermissionDenied as e:
        st.warning(e.translated(c._), icon=":material/lock:")
    st.stop()


def set_cookie_once() -> None:
    """Give the browser the session token set at sign-in (or clear it at sign-out), so a reload, or a reload
    answered by another replica, keeps the session. SameSite=Strict; Secure behind https."""
    pending = st.session_state.pop("_cookie_pending", None)
    if pending is None:
        return
    token, age = pending
    # `token` is URL-safe base64 made by the server (secrets.token_urlsafe) or empty: safe inside the script.
    st.html(
        "<script>document.cookie = '"
        + f"{COOKIE}={token}; Path=/; Max-Age={int(age)}; SameSite=Strict'"
        + " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def remember(token: str, user: User) -> None:
    """After a successful sign-in: this session's token, and the cookie for the next page loads."""
    hours = float(os.environ.get("MARSAD_SESSION_HOURS", 12))
    st.session_state["_auth_token"] = token
    st.session_state["_user"] = user
    st.session_state["_cookie_pending"] = (token, hours * 3600)


def _sign_out(url: str) -> None:
    user = st.session_state.get("_user")
    sign_out(Store(url), st.session_state.pop("_auth_token", None))
    st.session_state["_cookie_spent"] = (
        True  # the cookie this session opened with is no longer valid
    )
    st.session_state["_cookie_pending"] = ("", 0)
    st.session_state.pop("_user", None)
    if user is not None and user.source == "oidc":
        record(Store(url), user, "signout", user.name, after={"via": "oidc"})
        st.logout()


def account_box(c, user: User | None) -> None:
    """The sidebar's line saying who is signed in, with the sign-out button (nothing when sign-in is off)."""
    set_cookie_once()
    if user is None or user.source == "open":
        return
    from loaders.access import ROLE_LABELS
    from pages._ui import literal

    st.sidebar.caption(
        c._(
            "Signed in as {user} ({role})",
            user=literal(user.label),
            role=c._(ROLE_LABELS[user.role]),
        )
    )
    st.sidebar.button(
        c._("Sign out"), key="signout", on_click=_sign_out, args=(c.store.url,), icon="🚪"
    )
