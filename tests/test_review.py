"""Review before publication: submit → publish → undo with its trail, the published as-of view, the four-eyes rule,
send back with a comment, withdrawal, competing values and the migration of an older batch table."""

import datetime as dt
import io

import pytest
import sqlalchemy as sa

from loaders import review
from loaders.batches import export_csv
from loaders.ingest import ingest_long
from loaders.review import ReviewError
from loaders.store import Store, batch, open_store
from tests.test_ingest import long_rows

T_SUBMIT = dt.datetime(2026, 5, 4, 9, 30)  # UTC; 10:30 in Morocco
T_PUBLISH = dt.datetime(2026, 5, 6, 14, 0)
T_UNDO = dt.datetime(2026, 5, 8, 8, 0)


@pytest.fixture
def reviewed(db_url, monkeypatch):
    monkeypatch.setenv("MARSAD_REVIEW", "1")
    monkeypatch.delenv("MARSAD_SELF_PUBLISH", raising=False)
    return open_store(db_url)


def _submit(store, rows, user="amina", now=T_SUBMIT, source="HCP"):
    r = ingest_long(
        store, [long_rows(rows, source=source)], files=["report.csv"], user=user, now=now
    )
    assert r.status == "submitted", r.message
    assert "Submitted for review" in r.message
    return r.batch_id


def _value(store, indicator, period, as_of=None):
    df = store.current_observations(as_of)
    df = df[(df["indicator"] == indicator) & (df["period"] == period) & (df["region"] == "")]
    return None if df.empty else float(df["value"].iloc[0])


def _status(store, batch_id):
    with store.begin() as conn:
        return conn.execute(sa.select(batch.c.status).where(batch.c.batch_id == batch_id)).scalar()


def test_public_seed_batches_are_published_and_fresh_uploads_publish_without_review(
    db_url, monkeypatch
):
    monkeypatch.delenv("MARSAD_REVIEW", raising=False)
    store = open_store(db_url)
    seed = review.batches(store, statuses=("published",))
    assert len(seed) == 24 and (seed["published_at"] == seed["created_at"]).all()
    r = ingest_long(
        store,
        [long_rows([("DM.EGDI_RANK", "2014", None, 81, 2)])],
        files=["r.csv"],
        user="amina",
        now=T_SUBMIT,
    )
    assert _status(store, r.batch_id) == "published"
    assert _value(store, "DM.EGDI_RANK", "2014") == 81


def test_submit_publish_undo_flow_with_its_trail(reviewed):
    store = reviewed
    b = _submit(store, [("DM.EGDI_RANK", "2014", None, 81, 2), ("IA.GDP", "2026", None, 7.5, 3)])
    # Submitted: viewers still see the published rank 82 and no GDP figure.
    assert _status(store, b) == "submitted"
    assert _value(store, "DM.EGDI_RANK", "2014") == 82
    assert _value(store, "IA.GDP", "2026") is None
    assert list(review.batches(store)["batch_id"]) == [b]

    d = review.diff(store, b).set_index("indicator")
    assert d.loc["DM.EGDI_RANK", "change"] == "revised"
    assert (d.loc["DM.EGDI_RANK", "before"], d.loc["DM.EGDI_RANK", "after"]) == (82, 81)
    assert d.loc["IA.GDP", "change"] == "new" and d.loc["IA.GDP", "after"] == 7.5

    version = store.data_version()  # the pages' cache key must change with the publication
    review.publish(store, b, user="karim", role="validator", now=T_PUBLISH)
    assert store.data_version() != version
    assert _status(store, b) == "published"
    assert _value(store, "DM.EGDI_RANK", "2014") == 81
    assert _value(store, "IA.GDP", "2026") == 7.5

    review.undo(store, b, user="karim", role="validator", now=T_UNDO)
    assert _value(store, "DM.EGDI_RANK", "2014") == 82
    assert _value(store, "IA.GDP", "2026") is None

    trail = review.events(store, f"batch:{b}")
    assert list(trail["action"]) == ["submit", "publish", "undo"]
    assert list(trail["user_name"]) == ["amina", "karim", "karim"]
    assert list(trail["at"]) == [T_SUBMIT, T_PUBLISH, T_UNDO]
    assert '"status": "submitted"' in trail["before"].iloc[1]
    assert '"status": "published"' in trail["after"].iloc[1]


def test_as_of_view_and_export_show_what_was_published_on_a_date(reviewed):
    store = reviewed
    b = _submit(store, [("DM.EGDI_RANK", "2014", None, 81, 2)])
    review.publish(store, b, user="karim", role="validator", now=T_PUBLISH)
    # Submitted on 4 May, published on 6 May (15:00 in Morocco): on 5 May the published figure was 82.
    assert _value(store, "DM.EGDI_RANK", "2014", as_of="2026-05-05") == 82
    assert _value(store, "DM.EGDI_RANK", "2014", as_of="2026-05-06") == 81
    # 14:00 UTC is 15:00 in Morocco: at 14:59 Moroccan time (13:59 UTC) it was not yet published.
    assert _value(store, "DM.EGDI_RANK", "2014", as_of=dt.datetime(2026, 5, 6, 13, 59)) == 82

    def exported(as_of):
        out = io.BytesIO()
        export_csv(store, out, as_of=as_of)
        line = [
            x for x in out.getvalue().decode().splitlines() if x.startswith("DM.EGDI_RANK,2014,")
        ]
        return line[0].split(",")[3]

    assert exported("2026-05-05") == "82.0"
    assert exported("2026-05-06") == "81.0"


def test_an_analyst_cannot_publish_their_own_batch_nor_anyone_elses(reviewed, monkeypatch):
    store = reviewed
    b = _submit(store, [("DM.EGDI_RANK", "2014", None, 81, 2)])
    with pytest.raises(ReviewError) as e:
        review.publish(store, b, user="amina", role="analyst")
    assert e.value.code == "forbidden"
    with pytest.raises(ReviewError) as e:
        review.publish(store, b, user="other", role="analyst")
    assert e.value.code == "forbidden"
    # A validator who submitted it does not publish it either (four eyes) ...
    mine = _submit(store, [("IA.GDP", "2026", None, 7.5, 2)], user="karim")
    with pytest.raises(ReviewError) as e:
        review.publish(store, mine, user="karim", role="validator")
    assert e.value.code == "own-batch"
    # ... unless they publish directly what they load (the CLI's --publish).
    review.publish(store, mine, user="karim", role="validator", direct=True)
    assert _status(store, mine) == "published"
    assert _status(store, b) == "submitted" and _value(store, "DM.EGDI_RANK", "2014") == 82
    # Small teams: MARSAD_SELF_PUBLISH=1 lets the analyst publish their own batch.
    monkeypatch.setenv("MARSAD_SELF_PUBLISH", "1")
    review.publish(store, b, user="amina", role="analyst")
    assert _value(store, "DM.EGDI_RANK", "2014") == 81
    assert list(review.events(store, f"batch:{b}")["user_name"]) == ["amina", "amina"]


def test_send_back_needs_a_comment_and_keeps_the_batch_invisible(reviewed):
    store = reviewed
    b = _submit(store, [("DM.EGDI_RANK", "2014", None, 81, 2)])
    with pytest.raises(ReviewError) as e:
        review.send_back(store, b, user="karim", role="validator", comment="  ")
    assert e.value.code == "comment-required"
    with pytest.raises(ReviewError) as e:
        review.send_back(store, b, user="amina", role="analyst", comment="no")
    assert e.value.code == "forbidden"
    # A batch never published is withdrawn or sent back, not undone.
    with pytest.raises(ReviewError) as e:
        review.undo(store, b, user="karim", role="validator")
    assert e.value.code == "wrong-status"
    review.send_back(
        store, b, user="karim", role="validator", comment="Rank 81 is the 2016 edition"
    )
    with store.begin() as conn:
        row = conn.execute(sa.select(batch).where(batch.c.batch_id == b)).mappings().one()
    assert row["status"] == "sent_back"
    assert row["review_comment"] == "Rank 81 is the 2016 edition"
    assert row["published_at"] is None
    assert _value(store, "DM.EGDI_RANK", "2014") == 82
    with pytest.raises(ReviewError) as e:  # no longer submitted
        review.publish(store, b, user="karim", role="validator")
    assert e.value.code == "wrong-status"
    # Only its analyst withdraws it.
    with pytest.raises(ReviewError) as e:
        review.withdraw(store, b, user="someone", role="analyst")
    assert e.value.code == "not-own-batch"
    review.withdraw(store, b, user="amina", role="analyst")
    assert _status(store, b) == "withdrawn"
    assert list(review.events(store, f"batch:{b}")["action"]) == ["submit", "send_back", "withdraw"]


def test_warnings_of_a_submitted_batch_are_kept_for_the_validator(reviewed):
    store = reviewed
    # The same value given twice: accepted with a warning the validator must see.
    b = _submit(
        store, [("DM.EGDI_RANK", "2014", None, 81, 2), ("DM.EGDI_RANK", "2014", None, 81, 3)]
    )
    probs = review.problems(store, b)
    assert list(probs["code"]) == ["duplicate-key"]
    assert list(probs["severity"]) == ["warning"]
    assert list(probs["row_number"]) == [3]


def test_competing_values_are_listed_with_their_sources_and_one_is_chosen(reviewed):
    store = reviewed
    press = _submit(store, [("IA.GDP", "2026", None, 10, 2)], user="amina", source="press: Le360")
    ministry = _submit(
        store,
        [("IA.GDP", "2026", None, 7.5, 2)],
        user="amina",
        now=T_SUBMIT + dt.timedelta(hours=1),
        source="MTNRA",
    )
    comp = review.competing(store)
    assert list(comp["batch_id"]) == [press, ministry]
    assert list(comp["value"]) == [10, 7.5]
    assert list(comp["source"]) == ["press: Le360", "MTNRA"]
    assert set(comp["status"]) == {"submitted"}
    # The validator publishes the ministry's figure explicitly.
    chosen = review.choose(
        store,
        "IA.GDP",
        "2026",
        "",
        ministry,
        user="karim",
        role="validator",
        reason="official figure",
        now=T_PUBLISH,
    )
    cur = store.current_observations()
    row = cur[(cur["indicator"] == "IA.GDP") & (cur["period"] == "2026")].iloc[0]
    assert (row["value"], row["source"], row["batch_id"]) == (7.5, "MTNRA", chosen)
    comp = review.competing(store)  # still competing: the press figure waits, visible to validators
    assert sorted(zip(comp["status"], comp["value"], strict=True)) == [
        ("published", 7.5),
        ("submitted", 7.5),
        ("submitted", 10.0),
    ]
    with pytest.raises(ReviewError):
        review.choose(store, "IA.GDP", "2026", "", press, user="amina", role="analyst")
    # The choice is undone like any batch: no GDP figure again.
    review.undo(store, chosen, user="karim", role="validator")
    assert _value(store, "IA.GDP", "2026") is None


def test_an_older_batch_table_is_migrated_with_its_batches_published(tmp_path, monkeypatch):
    monkeypatch.delenv("MARSAD_REVIEW", raising=False)
    url = f"duckdb:///{tmp_path}/old.duckdb"
    store = open_store(url)
    with store.begin() as conn:
        for c in ("status", "submitted_at", "published_at", "published_by", "review_comment"):
            conn.execute(sa.text(f"ALTER TABLE batch DROP COLUMN {c}"))
        conn.execute(sa.text("DROP TABLE review_event"))
        conn.execute(sa.text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    store = Store(url)
    store.ensure()
    seed = review.batches(store, statuses=("published",))
    assert len(seed) == 24
    assert (seed["published_at"] == seed["created_at"]).all()
    assert (seed["published_by"] == seed["user_name"]).all()
    assert _value(store, "DM.EGDI_RANK", "2014") == 82
    assert review.events(store).empty


def test_cli_submits_publishes_sends_back_and_publishes_directly(
    reviewed, db_url, tmp_path, capsys
):
    from loaders.__main__ import main

    store = reviewed
    report = tmp_path / "rapport.csv"
    report.write_text("indicator,period,region,value\nDM.EGDI_RANK,2014,,81\n", encoding="utf-8")
    assert main(["ingest", str(report), "--db", db_url, "--user", "amina"]) == 0
    (b,) = review.batches(store)["batch_id"]
    assert "Submitted for review" in capsys.readouterr().out
    assert main(["publish", str(b), "--db", db_url, "--user", "amina"]) == 1
    assert "another validator must publish it" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:  # no --comment: argparse refuses, exit 2
        main(["send-back", str(b), "--db", db_url, "--user", "karim"])
    assert e.value.code == 2
    assert (
        main(["send-back", str(b), "--db", db_url, "--user", "karim", "--comment", "source?"]) == 0
    )
    assert _status(store, b) == "sent_back"
    assert main(["withdraw", str(b), "--db", db_url, "--user", "amina", "--lang", "fr"]) == 0
    assert _status(store, b) == "withdrawn"
    assert _value(store, "DM.EGDI_RANK", "2014") == 82
    # A validator loading with --publish publishes at once.
    assert main(["ingest", str(report), "--db", db_url, "--user", "karim", "--publish"]) == 0
    assert _value(store, "DM.EGDI_RANK", "2014") == 81
    actions = list(review.events(store)["action"])
    assert actions == ["submit", "send_back", "withdraw", "submit", "publish"]


def test_a_batch_never_published_cannot_be_undone_only_sent_back_or_withdrawn(reviewed, tmp_path):
    from loaders.batches import UndoError, undo
    from loaders.i18n import translator

    store = reviewed
    bid = _submit(store, [("IA.GDP", "2026", "", 7.5, 2)])
    with pytest.raises(UndoError) as e:
        undo(store, bid, user="karim", lang="fr")
    assert e.value.code == "not-published" and "jamais été publié (il est soumis)" in str(e.value)
    assert _status(store, bid) == "submitted"  # untouched: the validator still sees it
    review.send_back(store, bid, user="karim", role="validator", comment="Source ?")
    with pytest.raises(UndoError):
        undo(store, bid, user="karim")
    assert translator("ar")("sent back") != "sent back"
