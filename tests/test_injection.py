"""Text from a file or a person is shown as text on every page and in every language: no image, link or
formatting it carries comes alive (AppTest, on the page source Streamlit renders as Markdown)."""

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from streamlit.testing.v1 import AppTest

from loaders.ingest import ingest
from loaders.store import open_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))

# Port 9 (discard) on loopback: a browser that tries it fails at once, and tests/test_offline.py records it.
HOST = "http://127.0.0.1:9"
SOURCE = f"![x]({HOST}/source.png) ANAPEC"
COMMENT = f'[t]({HOST}/comment) **b** <img src="{HOST}/comment.png"> :red[c] $x$'
SHEET = f"**s** [s]({HOST}/sheet)"
FILE = f"**f** ![f]({HOST}/file.png).xlsx"
USER = f"**u** ![u]({HOST}/user.png)"
BAD_CELL = f"![q]({HOST}/cell.png)"

# What must never reach Streamlit unescaped: an image or link opener, bold marks, an HTML tag, a bare URL.
LIVE = [
    (re.compile(r"(?<!\\)\]\((?!https://)"), "a link or image target (only catalog https links)"),
    (re.compile(r"(?<!\\)\*\*[bsfu]\*\*"), "bold"),
    (re.compile(r"(?<!\\)<img"), "an HTML image"),
    (re.compile(r"http://127\.0\.0\.1"), "a bare URL (autolinked)"),
    (re.compile(r"(?<!\\):red(?<!\\)\["), "a colour directive"),
]


def injection_workbook(path: Path) -> Path:
    """An .xlsx whose source, comment and sheet name carry Markdown and HTML aimed at a viewer's browser.

    Excel forbids '*' and '[' in sheet names, but a file can be written by anything: the name is set in
    the workbook part directly.
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet("PLACEHOLDER")
    ws.write_row(0, 0, ["indicator", "period", "region", "value", "unit", "source", "comment"])
    ws.write_row(1, 0, ["DM.EXPORTS", "2025", "National", 18.5, "Mds MAD", SOURCE, COMMENT])
    wb.close()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    escaped = SHEET.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="PLACEHOLDER"', f'name="{escaped}"'.encode())
            out.writestr(info, data)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A database holding one batch loaded from the hostile workbook, by a user with a hostile name."""
    tmp = tmp_path_factory.mktemp("inj")
    path = injection_workbook(tmp / "injection_markdown_in_every_field.xlsx")
    url = f"duckdb:///{tmp}/m.duckdb"
    result = ingest(open_store(url), [path], user=USER, display_names=[FILE])
    assert result.status == "committed", result.problems
    return url


def _texts(at) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown."""
    out = []
    for kind in (
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
        "error",
        "warning",
        "info",
        "success",
        "expander",
    ):
        for el in at.get(kind):
            out.append(getattr(el, "value", None) or getattr(el, "label", "") or "")
    for m in at.get("metric"):
        out += [m.label, m.proto.help]
    for t in at.get("table"):
        df = t.value
        out += [str(v) for v in df.to_numpy().ravel()] + [str(c) for c in df.columns]
    return [s.translate(ISOLATES) for s in out if s]


def _assert_literal(at, *shown: str) -> None:
    texts = _texts(at)
    for text in texts:
        for pattern, what in LIVE:
            assert not pattern.search(text), f"{what} in {text!r}"
    joined = "\n".join(texts)
    for s in shown:  # the hostile text is still there, as text
        assert s in joined, s


def _app(db_url, page, lang, monkeypatch, **params):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", db_url])
    monkeypatch.setenv("MARSAD_USER", USER)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_indicator_page_shows_source_comment_sheet_file_and_user_as_text(db, monkeypatch, lang):
    at = _app(db, "pages/indicator.py", lang, monkeypatch, code="DM.EXPORTS")
    _assert_literal(at, "source.png", "sheet", "file.png", "user.png")


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_overview_and_history_show_file_and_user_names_as_text(db, monkeypatch, lang):
    _assert_literal(_app(db, "pages/overview.py", lang, monkeypatch))
    at = _app(db, "pages/history.py", lang, monkeypatch)
    _assert_literal(at, *(("file.png", "user.png") if lang == "ar" else ()))  # ar: an HTML table


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_upload_problems_quoting_a_cell_are_text(db, monkeypatch, lang):
    at = _app(db, "pages/upload.py", lang, monkeypatch)
    data = f"indicator,period,region,value\n{BAD_CELL},2025,National,3\n".encode()
    at.file_uploader(key="upload_files").set_value(
        [(FILE.replace(".xlsx", ".csv"), data, "text/csv")]
    )
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error  # refused: the indicator is unknown
    # In Arabic the problems are an HTML table whose cells are Markdown: the quoted cell must stay text.
    _assert_literal(at, *(("cell.png",) if lang == "ar" else ()))


def test_catalog_sources_are_the_only_links_and_are_https():
    from pages._ui import https_link

    assert https_link("a.ma/x", "https://a.ma/x") == "[a.ma/x](https://a.ma/x)"
    # A source that tries to close the link and open an image stays inside one encoded https URL.
    hostile = f"a.ma/x){BAD_CELL}"
    link = https_link(hostile, "https://" + hostile)
    assert link.startswith("[") and link.count("](https://") == 1
    target = link.rsplit("](https://", 1)[1][:-1]
    assert not set("()[]<> ") & set(target)
    assert https_link("x", "http://a.ma/x") == "x"
    assert https_link("x", "javascript:alert(1)") == "x"
