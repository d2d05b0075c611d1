"""Each role's reach in the app (AppTest through app.py): the page list is built on the server from the role, so a
typed URL of a page the role lacks opens the Overview instead; DEMO and Administration for admins, undo for
validators and admins, the sign-in form, sign-out and the audit page."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.access import accounts as acc
from loaders.access import audit
from loaders.ingest import ingest
from loaders.store import open_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PW = "correct horse battery"
FIX = ROOT / "tests" / "fixtures" / "ingest" / "good_long_three_values.csv"
TITLES = {
    "overview": "Roadmap progress",
    "upload": "Upload reports",
    "audit": "Audit trail",
    "signin": "Sign in",
}
VIEW_PAGES = {
    "overview",
    "indicator",
    "regions",
    "pillar",
    "milestones",
    "peers",
    "methodology",
    "present",
    "history",
    "reporting",
}
# Written by hand from the issue: the pages each role is given.
REACH = {
    "viewer": VIEW_PAGES,
    "analyst": VIEW_PAGES | {"upload"},
    "validator": VIEW_PAGES | {"review"},
    "admin": VIEW_PAGES | {"upload", "review", "targets", "translations", "audit"},
}


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setattr(acc, "FAIL_SLEEP", 0)
    for var in ("MARSAD_AUTH", "MARSAD_ANONYMOUS_VIEW", "MARSAD_DB_URL", "MARSAD_USER"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "m.duckdb"
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(path)])
    return path


@pytest.fixture
def accounts(db):
    store = open_store(str(db))
    for role in REACH:
        acc.add_user(store, "ops", role, role, PW)
    return store


def visit(page: str, token: str | None = None) -> AppTest:
    """Open the app at /<page> as a fresh browser would (the URL typed), with a session token or none."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    if token:
        at.session_state["_auth_token"] = token
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def pages(at) -> set[str]:
    return {
        Path(str(v["script_path"])).stem
        for v in at._registered_pages.values()
        if Path(str(v["script_path"])).stem != "signin"
    }


def test_without_accounts_the_app_is_open_as_before(db):
    at = visit("upload")
    assert at.title[0].value == TITLES["upload"]
    assert pages(at) == REACH["admin"]
    assert at.sidebar.button(key="demo_add")  # the DEMO switch
    assert not [c for c in at.sidebar.caption if c.value.startswith("Signed in")]


@pytest.mark.parametrize("role", list(REACH))
def test_each_role_gets_its_pages_and_a_typed_url_of_another_page_opens_the_overview(
    accounts, role
):
    token = acc.sign_in(accounts, role, PW).token
    for page in ("upload", "audit"):
        at = visit(page, token)
        assert pages(at) == REACH[role]
        expected = page if page in REACH[role] else "overview"
        assert at.title[0].value == TITLES[expected], (role, page)
        assert bool(at.get("file_uploader")) == (expected == "upload")
    assert [c.value for c in at.sidebar.caption if c.value.startswith("Signed in")] == [
        f"Signed in as {role} ({role})"
    ]
    demo_buttons = [b for b in at.sidebar.button if b.key in ("demo_add", "demo_remove")]
    assert bool(demo_buttons) == (role == "admin")


def test_nobody_signed_in_sees_only_the_sign_in_page_unless_anonymous_view(accounts, monkeypatch):
    for page in ("overview", "upload", "history"):
        at = visit(page)
        assert at.title[0].value == TITLES["signin"]
        assert pages(at) == set()
    monkeypatch.setenv("MARSAD_ANONYMOUS_VIEW", "1")
    at = visit("upload")
    assert at.title[0].value == TITLES["overview"]
    assert pages(at) == VIEW_PAGES
    assert not at.sidebar.button  # no DEMO switch, no sign-out


def test_undo_on_history_only_for_validators_and_admins(accounts):
    ingest(accounts, [FIX], user="analyst")
    for role in REACH:
        at = visit("history", acc.sign_in(accounts, role, PW).token)
        can_undo = bool([b for b in at.button if b.key == "undo_ask"])
        assert can_undo == (role in ("validator", "admin")), role
        if not can_undo:
            assert "Only a validator or an admin can undo a batch." in [c.value for c in at.caption]


def test_sign_in_form_wrong_then_right_password_audited(accounts):
    at = visit("signin")
    at.text_input(key="signin_name").input("analyst")
    at.text_input(key="signin_password").input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong account name or password."]
    at.text_input(key="signin_password").input(PW)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == TITLES["overview"]
    assert at.session_state["_user"].role == "analyst"
    assert list(audit.read(accounts, user="analyst")["action"]) == [
        "signin_success",
        "signin_failure",
    ]
    # The session is in the database: a new browser session with the same token is the same user.
    token = at.session_state["_auth_token"]
    assert acc.session_user(open_store(str(accounts.url.split(":///")[1])), token).name == "analyst"


def test_sign_out_ends_the_session_in_the_database(accounts):
    token = acc.sign_in(accounts, "validator", PW).token
    at = visit("overview", token)
    at.sidebar.button(key="signout").click().run()
    assert acc.session_user(accounts, token) is None
    assert "signout" in list(audit.read(accounts, user="validator")["action"])
    at = visit("overview", token)  # the old token, reused
    assert at.title[0].value == TITLES["signin"]


def test_a_page_run_outside_the_navigation_still_refuses(accounts):
    """Defence in depth: the Upload page checks the role itself too."""
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["_auth_token"] = acc.sign_in(accounts, "viewer", PW).token
    at.run()
    assert [w.value for w in at.warning] == ["viewer (viewer) may not upload or check files."]
    assert not at.get("file_uploader")


def test_admin_audit_page_filters_and_exports(accounts):
    audit.record(accounts, "badr", "upload", "25", after={"files": ["T3.xlsx"]})
    at = visit("audit", acc.sign_in(accounts, "admin", PW).token)
    assert at.title[0].value == TITLES["audit"]
    assert at.get("download_button")
    table = at.dataframe[0].value
    assert list(table["Action"][:2]) == ["signin_success", "upload"]
    at.selectbox[0].select("badr").run()
    table = at.dataframe[0].value
    assert list(table["User"]) == ["badr"] and list(table["Subject"]) == ["25"]


def test_an_identity_provider_user_gets_the_role_of_its_claim(accounts, monkeypatch):
    monkeypatch.setenv("MARSAD_OIDC_ROLE_CLAIM", "realm_access.roles")

    def visit_as_provider_user():
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["lang"] = "en"
        at.user = {
            "is_logged_in": True,
            "preferred_username": "kc.nadia",
            "realm_access": {"roles": ["marsad-analyst"]},
        }
        at.switch_page("pages/upload.py")
        at.run()
        assert not at.exception
        return at

    at = visit_as_provider_user()
    assert at.title[0].value == TITLES["upload"]
    assert at.session_state["_user"].source == "oidc"
    assert list(audit.read(accounts, user="kc.nadia")["action"]) == ["signin_success"]
    # An account of the same name disabled by an admin stops the provider's user too.
    acc.add_user(accounts, "admin", "kc.nadia", "analyst", PW)
    acc.set_active(accounts, "admin", "kc.nadia", False)
    assert visit_as_provider_user().title[0].value == TITLES["signin"]
