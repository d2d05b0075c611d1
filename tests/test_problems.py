"""The problem registry, the one collector and the unreadable-file errors (loaders/problems)."""

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

from loaders import problems as P
from loaders.catalog import _WHY
from loaders.i18n import _messages
from loaders.normalize import ROLE_LABELS
from loaders.problems import (
    CODES,
    MAX_LISTED,
    Problem,
    Problems,
    ProblemSpecError,
    UnreadableFile,
)
from loaders.problems.codes import PARAM_KINDS

LOADERS = Path(__file__).resolve().parent.parent / "loaders"


def _placeholders(text: str) -> set[str]:
    return {name for _l, name, _f, _c in string.Formatter().parse(text) if name}


# ---------------------------------------------------------------------------------------------
# Building a problem


def test_a_problem_is_built_with_keywords_only():
    with pytest.raises(TypeError):
        Problem("a.csv", None, 3, "D", "bad-number", "'x' is not a number")  # the old shape


def test_an_unknown_code_or_variant_is_refused_where_the_problem_is_built():
    with pytest.raises(ProblemSpecError, match="unknown problem code 'bad-numbr'"):
        Problem(file="a.csv", code="bad-numbr", value="x")
    with pytest.raises(ProblemSpecError, match="no variant 'typo'"):
        Problem(file="a.csv", code="bad-number", variant="typo", value="x")


def test_a_missing_or_extra_parameter_is_refused():
    with pytest.raises(ProblemSpecError, match=r"missing \['value'\], unexpected \[\]"):
        Problem(file="a.csv", code="bad-number")
    with pytest.raises(ProblemSpecError, match=r"missing \[\], unexpected \['unit'\]"):
        Problem(file="a.csv", code="bad-number", value="x", unit="%")
    with pytest.raises(ProblemSpecError, match=r"missing \['value'\]"):
        Problem(file="a.csv", code="missing-value", variant="written")


def test_the_severity_is_the_code_s_and_a_summary_takes_what_it_counts():
    assert Problem(file="a.csv", code="skipped-row", text="Note").severity == "warning"
    with pytest.raises(ProblemSpecError, match="always a warning"):
        Problem(file="a.csv", code="skipped-row", severity="error", text="Note")
    with pytest.raises(ProblemSpecError, match="needs the severity"):
        Problem(file="a.csv", code="too-many-problems", count=3, kind="bad-number")


def test_a_problem_cannot_be_changed_and_survives_the_worker_pickle():
    p = Problem(file="a.csv", row=4, column="D", code="bad-number", value="x", lang="fr")
    with pytest.raises(AttributeError):
        p.row = 5
    back = pickle.loads(pickle.dumps(p))
    assert back == p and back.message == "« x » n'est pas un nombre"


# ---------------------------------------------------------------------------------------------
# The registry and its translations


def test_every_template_declares_exactly_the_parameters_it_shows():
    for spec in CODES.values():
        assert spec.severity in ("error", "warning", "summary"), spec.code
        assert spec.templates, spec.code
        for variant, t in spec.templates.items():
            assert set(t.params) == _placeholders(t.msgid), (spec.code, variant)
            assert set(t.params.values()) <= PARAM_KINDS, (spec.code, variant)
            assert not set(t.params) & set(P._OWN), (spec.code, variant)


def _needs_translation(msgid: str) -> bool:
    return bool(re.sub(r"\{\w+\}", "", msgid).strip(" ()"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_title_and_message_is_translated_with_the_same_parameters(lang):
    catalog = _messages(lang)
    ids = []
    for spec in CODES.values():
        ids.append(spec.title)
        ids += [t.msgid for t in spec.templates.values() if _needs_translation(t.msgid)]
    ids += [cls.msgid for cls in [UnreadableFile, *UnreadableFile.__subclasses__()]]
    # the labels that `label`/`labels` parameters carry
    ids += list(ROLE_LABELS.values()) + list(_WHY.values())
    missing = [i for i in ids if i not in catalog]
    assert missing == []
    for msgid in ids:
        assert _placeholders(catalog[msgid]) == _placeholders(msgid), msgid
    titles = [catalog[spec.title] for spec in CODES.values()]
    assert len(set(titles)) == len(titles), "two codes would show the same title"


def test_a_message_renders_in_each_language_with_its_number_formats():
    p = Problem(
        file="a.csv", code="total-mismatch", total=1600.0, sum=1500.0, indicator="IA.JOBS",
        period="2026-Q1",
    )  # fmt: skip
    assert p.message == (
        "The total 1,600 differs from the sum of the regions 1,500 (IA.JOBS, 2026-Q1)"
    )
    assert "1\u202f600" in p.message("fr") and "1.600" in p.message("ar")
    assert p.title == "Total differs from the regions"
    assert p.title("fr") == "Total différent de la somme des régions"
    assert p.as_dict("ar")["title"] == "المجموع يختلف عن مجموع الجهات"
    assert p.as_dict()["code"] == "total-mismatch"  # the code stays the stable id


# ---------------------------------------------------------------------------------------------
# One collector, one cap


def test_the_collector_lists_max_listed_per_column_and_counts_the_rest():
    probs = Problems(lang="fr", file="a.csv")
    for row in range(2, 2 + MAX_LISTED + 20):
        probs.add(code="bad-number", row=row, column="D", value="x")
    probs.add(code="bad-number", row=2, column="E", value="y")
    probs.count_more("bad-number", 5, column="E")
    out = probs.done()
    assert [p.column for p in out if p.code == "bad-number"] == ["D"] * MAX_LISTED + ["E"]
    summaries = [p for p in out if p.code == "too-many-problems"]
    assert [(p.column, p.params["count"], p.severity) for p in summaries] == [
        ("D", 20, "error"),
        ("E", 5, "error"),
    ]
    assert summaries[0].message == (
        "20 autres problèmes du même type (« Pas un nombre ») dans la colonne D ne sont pas listés"
    )


def test_there_is_one_collector_and_one_cap_in_the_code():
    """No module builds its own `too-many-problems` or keeps a second collector or cap."""
    for path in LOADERS.rglob("*.py"):
        if path.parent.name == "problems":
            continue
        text = path.read_text(encoding="utf-8")
        assert "too-many-problems" not in text, path
        assert "class _Problems" not in text, path
        assert not re.search(r"^MAX_PER_\w+ = \d", text, re.M), path


# ---------------------------------------------------------------------------------------------
# Unreadable files


def test_each_unreadable_file_error_has_a_translated_title():
    for cls in [UnreadableFile, *UnreadableFile.__subclasses__()]:
        params = {name: "X" for name in _placeholders(cls.msgid)}
        e = cls("report.xlsx", lang="ar", **params)
        assert e.title == e.title_in("ar") != e.title_in("en"), cls.__name__
        assert e.title_in("fr") != e.title_in("en"), cls.__name__
        p = e.problem()
        assert (p.code, p.file, p.message("fr")) == (
            "unreadable-file",
            "report.xlsx",
            e.title_in("fr"),
        )
        back = pickle.loads(pickle.dumps(e))
        assert (type(back), back.title) == (cls, e.title)


def _raises_without_cause(tree: ast.AST) -> list[int]:
    family = {"UnreadableFile", *(c.__name__ for c in UnreadableFile.__subclasses__())}
    lines = []
    for handler in ast.walk(tree):
        if not isinstance(handler, ast.ExceptHandler):
            continue
        for node in ast.walk(handler):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) in family
                and node.cause is None
            ):
                lines.append(node.lineno)
    return lines


def test_every_unreadable_file_raised_while_handling_another_error_is_chained():
    for path in LOADERS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert _raises_without_cause(tree) == [], path
