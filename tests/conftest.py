"""Shared fixtures: a database URL per engine (a DuckDB file in tmp_path, a fresh PostgreSQL database)."""

import os
import uuid

import pytest
import sqlalchemy as sa

from tests.system import installed, missing_message

# Set by `make test` (./marsad), which starts a local PostgreSQL; MARSAD_REQUIRE_PG=1 turns a missing server
# into a failure.
PG_ADMIN_URL = os.environ.get("MARSAD_TEST_PG_URL")


def _pg_database():
    if not PG_ADMIN_URL:
        if os.environ.get("MARSAD_REQUIRE_PG") == "1":
            if not installed("postgresql"):
                pytest.fail("PostgreSQL " + missing_message(["postgresql"]), pytrace=False)
            pytest.fail("MARSAD_REQUIRE_PG=1 but MARSAD_TEST_PG_URL is not set", pytrace=False)
        pytest.skip("no PostgreSQL server (set MARSAD_TEST_PG_URL)")
    name = "marsad_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')  # name generated above, not user input
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    return admin, name, url


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request, tmp_path):
    """The same test on a DuckDB file and on PostgreSQL: the store must behave the same on both."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path}/marsad.duckdb"
        return
    admin, name, url = _pg_database()
    try:
        yield url
    finally:
        _drop(admin, name)


def _drop(admin, name: str) -> None:
    """Drop a test database. An autovacuum worker (a superuser process) that happens to be in it makes a
    non-superuser's DROP ... WITH (FORCE) fail: wait for it and try again; a database left behind is only a
    throwaway one, never a reason to fail the test that used it."""
    import time

    try:
        for _attempt in range(10):
            try:
                with admin.connect() as c:
                    c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except sa.exc.DBAPIError as e:
                if "InsufficientPrivilege" not in type(e.orig).__name__:
                    raise
                time.sleep(0.5)
    finally:
        admin.dispose()
