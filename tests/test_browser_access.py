"""Signing in in a real browser as each role: the menu, a typed URL, the session kept across page loads by its
cookie (checked in the database), sign-out; and a typed URL as the very first request on a fresh server."""

import pytest

from loaders.access import accounts as acc
from loaders.store import open_store
from tests.browser import browser, open_page, running_app

PW = "correct horse battery"
ROLES = ("viewer", "analyst", "validator", "admin")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("app") / "m.duckdb"
    store = open_store(str(db))
    for role in ROLES:
        acc.add_user(store, "ops", role, role, PW, display_name=role.title())
    store.engine.dispose()
    with running_app(db) as base, browser() as b:
        yield base, b


def _h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def _menu(page) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()
    return [t.strip().split("\n")[-1] for t in links if t.strip()]  # the label after the icon


def test_a_typed_url_as_the_first_request_on_a_fresh_server_asks_to_sign_in(app):
    """Streamlit routes the first request after start by the pages/ folder: it must not skip the sign-in."""
    base, b = app
    page = open_page(b, base + "/upload?lang=en")
    assert _h1(page) == "Sign in"
    assert page.get_by_test_id("stFileUploader").count() == 0
    page.close()


def _sign_in(b, base, role):
    context = b.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(base + "/?lang=en", wait_until="domcontentloaded")
    page.locator('input[aria-label="Account name"]').wait_for(timeout=30000)
    page.locator('input[aria-label="Account name"]').fill(role)
    page.locator('input[aria-label="Password"]').fill(PW)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    page.locator("h1", has_text="Roadmap progress").wait_for(timeout=30000)
    return context, page


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_reaches_only_its_pages(app, role):
    base, b = app
    context, page = _sign_in(b, base, role)
    page.get_by_text(f"Signed in as {role.title()} ({role})").wait_for(timeout=30000)
    menu = _menu(page)
    assert ("Upload" in menu) == (role in ("analyst", "admin")), menu
    assert ("Audit trail" in menu) == (role == "admin"), menu
    assert "Sign in" not in menu
    admin = page.get_by_test_id("stSidebarUserContent").get_by_text("Administration", exact=True)
    assert (admin.count() > 0) == (role == "admin")
    # A new page load (typed URL): a new Streamlit session, the same signed-in user through the cookie.
    page.goto(base + "/upload?lang=en", wait_until="domcontentloaded")
    page.get_by_text(f"Signed in as {role.title()} ({role})").wait_for(timeout=30000)
    page.wait_for_timeout(1500)
    if role in ("analyst", "admin"):
        assert _h1(page) == "Upload reports"
    else:
        assert _h1(page) == "Roadmap progress"
        assert page.get_by_test_id("stFileUploader").count() == 0
    context.close()


def test_sign_out_ends_the_session_for_later_page_loads(app):
    base, b = app
    context, page = _sign_in(b, base, "validator")
    page.get_by_role("button", name="Sign out").click()
    page.locator("h1", has_text="Sign in").wait_for(timeout=30000)
    page.goto(base + "/history?lang=en", wait_until="domcontentloaded")
    page.locator('input[aria-label="Account name"]').wait_for(timeout=30000)
    assert _h1(page) == "Sign in"
    context.close()


def test_a_wrong_password_is_refused(app):
    base, b = app
    page = open_page(b, base + "/?lang=en")
    page.locator('input[aria-label="Account name"]').fill("admin")
    page.locator('input[aria-label="Password"]').fill("not the password")
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    page.get_by_text("Wrong account name or password.").wait_for(timeout=30000)
    assert _h1(page) == "Sign in"
    page.close()


def test_a_session_opened_on_one_replica_is_known_to_another(app):
    """Two app processes on one PostgreSQL database, as behind a reverse proxy: signed in through the first,
    the browser's next page load answered by the second is still signed in (the session is in the database)."""
    from tests.conftest import _drop, _pg_database

    b = app[1]
    admin, name, url = _pg_database()
    try:
        store = open_store(url)
        acc.add_user(store, "ops", "analyst", "analyst", PW, display_name="Analyst")
        store.engine.dispose()
        with running_app(url) as first, running_app(url) as second:
            context, page = _sign_in(b, first, "analyst")
            # Cookies belong to the host, not the port: the second replica gets the same cookie.
            page.goto(second + "/upload?lang=en", wait_until="domcontentloaded")
            page.get_by_text("Signed in as Analyst (analyst)").wait_for(timeout=30000)
            page.locator("h1", has_text="Upload reports").wait_for(timeout=30000)
            context.close()
    finally:
        _drop(admin, name)
