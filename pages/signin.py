"""Sign-in: account name and password (local accounts), or the organisation's identity provider when configured."""

import os

import streamlit as st

from loaders.access.accounts import anonymous_view, sign_in
from loaders.store import StoreBusy
from pages._auth import remember, signed_in_user
from pages._ui import ctx, literal

c = ctx()
_ = c._
if signed_in_user() is not None:  # just signed in (or already): on to the figures
    st.switch_page("pages/overview.py", query_params={"lang": c.lang})

st.title(_("Sign in"))
with st.form("signin", enter_to_submit=True):
    name = st.text_input(_("Account name"), key="signin_name", autocomplete="username")
    password = st.text_input(
        _("Password"), type="password", key="signin_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(_("Sign in"), type="primary")
if submitted:
    try:
        result = sign_in(c.store, name, password)
    except StoreBusy as e:  # a load holds the database file: nothing was checked
        st.info(e.translated(_), icon=":material/hourglass_top:")
        st.stop()
    if result.user is None:
        st.error(literal(result.error.translated(_)), icon=":material/lock:")
    else:
        remember(result.token, result.user)
        st.rerun()

# An identity provider configured in .streamlit/secrets.toml ([auth] or [auth.NAME]): MARSAD_OIDC_PROVIDER
# names it (`default` for the unnamed [auth] section).
provider = os.environ.get("MARSAD_OIDC_PROVIDER", "").strip()
if provider:
    st.divider()
    if st.button(_("Sign in with the organisation's account"), key="signin_oidc"):
        st.login() if provider == "default" else st.login(provider)
if anonymous_view():
    st.caption(_("The figures can be read without signing in: pick a page in the menu."))
