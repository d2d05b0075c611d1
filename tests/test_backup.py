"""Backup and restore: every table out to Parquet and back, with the same figures to the byte, on both engines."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpis.__main__ import main as kpis_main
from loaders.__main__ import main as loaders_main
from loaders.batches import undo
from loaders.ingest import ingest
from loaders.store import Store, md, open_store
from tests.conftest import _drop, _pg_database

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _figures(url: str, tmp: Path, capsys) -> tuple[bytes, bytes]:
    """What a person gets out of a database: `kpis status --json` and `loaders export`, as bytes."""
    capsys.readouterr()
    assert kpis_main(["status", "--json", "--db", url]) == 0
    status = capsys.readouterr().out.encode()
    out = tmp / "export.csv"
    assert loaders_main(["export", "--db", url, "-o", str(out)]) == 0
    return status, out.read_bytes()


def _loaded(url: str) -> Store:
    """Public seed, two uploads (the second revises the first), and the second undone then redone."""
    store = open_store(url)
    ingest(store, [FIX / "good_long_three_values.csv"], user="analyste")
    second = ingest(store, [FIX / "revision_casa_jobs.csv"], user="analyste")
    undo(store, second.batch_id, user="chef")
    ingest(store, [FIX / "conflict_casa_jobs_1300.csv"], user="analyste")
    return store


@pytest.fixture
def target_url(db_url, tmp_path):
    """An empty database on the same engine as db_url."""
    if db_url.startswith("duckdb"):
        yield f"duckdb:///{tmp_path}/restored.duckdb"
        return
    admin, name, url = _pg_database()
    try:
        yield url
    finally:
        _drop(admin, name)


def test_restore_gives_byte_identical_status_and_export(db_url, target_url, tmp_path, capsys):
    store = _loaded(db_url)
    before = _figures(db_url, tmp_path, capsys)
    assert before[1].count(b"\n") > 10

    assert loaders_main(["backup", "--db", db_url, "-o", str(tmp_path / "bk")]) == 0
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    # Every table the store defines is in the backup (a table added later is picked up by itself).
    assert set(manifest["tables"]) == {t.name for t in md.sorted_tables}
    with store.begin() as conn:
        n_obs = conn.execute(sa.text("SELECT count(*) FROM observation")).scalar_one()
        n_batches = conn.execute(sa.text("SELECT count(*) FROM batch")).scalar_one()
    assert manifest["tables"]["observation"]["rows"] == n_obs
    assert (
        manifest["tables"]["batch"]["rows"] == n_batches == 27
    )  # 24 public batches (one per publication date) + 3 uploads
    assert manifest["sequences"]["batch_id_seq"] == 27

    assert loaders_main(["restore", str(tmp_path / "bk"), "--db", target_url]) == 0
    assert _figures(target_url, tmp_path, capsys) == before

    # The restored database goes on where the old one stopped: the next batch is number 28, and the undone
    # batch is still undone (its provenance kept).
    restored = Store(target_url)
    nxt = ingest(restored, [FIX / "revision_casa_jobs.csv"], user="analyste")
    assert nxt.batch_id == 28
    with restored.begin() as conn:
        undone = conn.execute(
            sa.text("SELECT batch_id, undone_by FROM batch WHERE undone_at IS NOT NULL")
        ).all()
        files = conn.execute(
            sa.text("SELECT DISTINCT file FROM observation WHERE batch_id = 25")
        ).all()
    assert [tuple(r) for r in undone] == [(26, "chef")]
    assert [tuple(r) for r in files] == [("good_long_three_values.csv",)]


def test_a_tampered_backup_is_refused_and_writes_nothing(db_url, target_url, tmp_path, capsys):
    _loaded(db_url)
    bk = tmp_path / "bk"
    assert loaders_main(["backup", "--db", db_url, "-o", str(bk)]) == 0
    # One value changed in the observations file, the rest of the backup untouched.
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    obs = pq.read_table(bk / "observation.parquet")
    changed = obs.set_column(
        obs.schema.get_field_index("value"), "value", pc.multiply(obs["value"], 2.0)
    )
    pq.write_table(changed, bk / "observation.parquet", compression="zstd")
    capsys.readouterr()
    assert loaders_main(["restore", str(bk), "--db", target_url]) == 1
    err = capsys.readouterr().err
    assert "observation.parquet" in err and "checksum" in err
    engine = sa.create_engine(target_url)
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
    engine.dispose()
    assert names == []  # nothing created, nothing written


def test_restore_refuses_a_database_that_has_data(db_url, tmp_path, capsys):
    _loaded(db_url)
    assert loaders_main(["backup", "--db", db_url, "-o", str(tmp_path / "bk")]) == 0
    capsys.readouterr()
    assert loaders_main(["restore", str(tmp_path / "bk"), "--db", db_url]) == 1
    assert "not empty" in capsys.readouterr().err


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, capsys):
    url = f"duckdb:///{tmp_path}/m.duckdb"
    open_store(url)
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "keep.txt").write_text("x")
    assert loaders_main(["backup", "--db", url, "-o", str(tmp_path / "bk")]) == 1
    assert (tmp_path / "bk" / "keep.txt").read_text() == "x"
