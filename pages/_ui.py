"""What every page shares: the run context (language, translator, store), right-to-left styling and small render helpers."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from loaders import settings
from loaders.i18n import DEFAULT_LANG, LANG_LABELS, LANGS, RTL_LANGS, name_col, translator
from loaders.store import Store, StoreBusy, local_time, local_today, open_store, resolve_url, utcnow
from pages._chrome import chrome_css, chrome_script, css_text
from pages._chrome import plotly_chart as plotly_chart  # the pages' one way to draw a chart

# A viewer waits this long for a DuckDB file another process is writing, then sees the last figures read.
READ_LOCK_WAIT = 2.0
# The last result of every read the pages make, per process (url, name, arguments): served, with a note, while
# a load holds the DuckDB file. A new session during a load gets what the process last read.
_LAST_GOOD: dict[tuple, object] = {}
LAST_GOOD_ENTRIES = 64
_LAST_READ_AT: dict[str, object] = {}


def cli_options() -> argparse.Namespace:
    """Options after `streamlit run app.py --`: --db URL, --demo (add the DEMO data at start)."""
    p = argparse.ArgumentParser(prog="streamlit run app.py --", add_help=False)
    p.add_argument("--db", default=None)
    p.add_argument("--demo", action="store_true")
    args, _ = p.parse_known_args(sys.argv[1:])
    return args


@st.cache_resource(show_spinner=False)
def get_store(url: str, demo: bool) -> Store:
    store = open_store(url)
    if demo:
        from loaders.catalog import load_catalog
        from loaders.seed import add_demo, has_demo

        if not has_demo(store):
            add_demo(store, load_catalog())
    return store


def reader(url: str) -> Store:
    """A store for the pages' reads: it waits briefly for a busy DuckDB file, then raises StoreBusy."""
    return Store(url, lock_wait=READ_LOCK_WAIT)


@dataclass
class Ctx:
    lang: str
    _: callable
    store: Store
    rtl: bool
    as_of: dt.date | None = None  # None = now; else "as known on" that date
    method: str = "trajectory"
    # A load holds the database: the page shows the last figures read, with a note.
    busy: bool = False

    @property
    def name(self) -> str:
        return name_col(self.lang)

    @cached_property
    def version(self) -> str:
        """The data version, read once per script run (the context is rebuilt every run)."""
        return served(self, "version", lambda: reader(self.store.url).data_version())


def served(c: Ctx, name: str, read, *args):
    """`read(*args)`, remembered; while a load holds the database, the last result (same arguments if read
    before, else the last of its kind) with a note instead of an error page."""
    url = c.store.url
    key = (url, name, *args)
    try:
        out = read(*args)
    except StoreBusy:
        c.busy = True
        fallback = _LAST_GOOD.get(key)
        if fallback is None:
            fallback = next(
                (v for k, v in reversed(_LAST_GOOD.items()) if k[:2] == (url, name)), None
            )
        busy_note(c, have_figures=fallback is not None)
        return fallback
    _LAST_GOOD.pop(key, None)
    _LAST_GOOD[key] = out  # the newest last, for the fallback above
    while len(_LAST_GOOD) > LAST_GOOD_ENTRIES:
        _LAST_GOOD.pop(next(iter(_LAST_GOOD)))
    _LAST_READ_AT[url] = utcnow()
    return out


def busy_note(c: Ctx, *, have_figures: bool) -> None:
    """Say once per run that a load is in progress; with nothing read before, stop the page there."""
    if not have_figures:
        st.info(
            c._(
                "Data is being loaded: the figures will appear when the load has finished. Reload the page"
                " in a moment."
            ),
            icon=":material/hourglass_top:",
        )
        st.stop()
    if st.session_state.get("_busy_noted_run") == id(c):
        return
    st.session_state["_busy_noted_run"] = id(c)
    at = _LAST_READ_AT.get(c.store.url)
    st.warning(
        c._(
            "Data is being loaded: these are the figures read at {time}; they will update when the load has"
            " finished.",
            time=local_time(at).strftime("%H:%M") if at else "—",
        ),
        icon=":material/hourglass_top:",
    )


def current_lang() -> str:
    qp = st.query_params.get("lang")
    lang = st.session_state.get("lang") or (qp if qp in LANGS else DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def ctx() -> Ctx:
    """The context set up by app.py for this run."""
    c = st.session_state.get("_ctx")
    if c is None:
        # Streamlit routes the first request after start by the legacy pages/ folder when the folder
        # exists (PagesManager.uses_pages_directory), so a shared deep link such as /regions?lang=ar
        # runs the page without app.py: no language switch, no right-to-left styling. st.navigation
        # would clear that flag, but the legacy path never calls it; clear it and rerun through app.py.
        # tests/test_browser.py::test_a_deep_link_on_a_fresh_server_opens_inside_the_app guards this.
        # A page run on its own (AppTest of one page file) has no app.py to reach: after one try, build
        # the same context here rather than rerun forever.
        if not st.session_state.get("_shell_retried"):
            from streamlit.runtime.pages_manager import PagesManager

            st.session_state["_shell_retried"] = True
            PagesManager.uses_pages_directory = False
            st.rerun()
        c = build_ctx()
        style(c)
    return c


def build_ctx() -> Ctx:
    from pages._state import seed_view_from_url

    seed_view_from_url()  # a shared link's ?as_of= and ?method=
    args = cli_options()
    lang = current_lang()
    try:
        store = get_store(resolve_url(args.db), args.demo)
    except StoreBusy:  # the very first open of this database met a load in progress
        st.info(
            translator(lang)(
                "Data is being loaded: the figures will appear when the load has finished. Reload the page"
                " in a moment."
            ),
            icon=":material/hourglass_top:",
        )
        st.stop()
    c = Ctx(
        lang=lang,
        _=translator(lang),
        store=store,
        rtl=lang in RTL_LANGS,
        as_of=st.session_state.get("as_of"),
        method=st.session_state.get("method") or settings.get("MARSAD_STATUS_METHOD"),
    )
    st.session_state["_ctx"] = c
    return c


@st.cache_data(show_spinner=False, max_entries=8)
def kpi_inputs(url: str, version: str, as_of: dt.date | None):
    """Observations and catalog for one data version and date; read once, shared by every page."""
    from kpis.inputs import load_inputs

    return load_inputs(reader(url), as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_status(url: str, version: str, as_of: dt.date | None, method: str, by_region: bool = False):
    """Status table for one data version; recomputed only when data, date or method change."""
    from kpis.engine import status_table

    inputs = kpi_inputs(url, version, as_of)
    return status_table(inputs, today=as_of or local_today(), method=method, by_region=by_region)


def load_kpi_inputs(c: Ctx):
    return served(c, "inputs", kpi_inputs, c.store.url, c.version, c.as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def catalog_tables(url: str, version: str) -> dict[str, pd.DataFrame]:
    from loaders.texts import apply_to_tables

    store = reader(url)
    return apply_to_tables(
        store, {t: store.read_table(t) for t in ("pillar", "indicator", "milestone", "region")}
    )


def status(c: Ctx, by_region: bool = False):
    return served(c, "status", kpi_status, c.store.url, c.version, c.as_of, c.method, by_region)


def catalog(c: Ctx) -> dict[str, pd.DataFrame]:
    return served(c, "catalog", catalog_tables, c.store.url, c.version)


def _set_lang() -> None:
    st.session_state["lang"] = st.session_state["lang_picker"]
    st.query_params["lang"] = st.session_state["lang"]


def language_picker(c: Ctx) -> None:
    """Sidebar language switch; the choice goes into the URL so a shared link opens in the same language.

    The callback runs before the next script run, so the whole page is rebuilt in the new language.
    """
    if st.session_state.get("lang_picker") != c.lang:
        st.session_state["lang_picker"] = c.lang
    st.sidebar.selectbox(
        c._("Language"), LANGS, format_func=LANG_LABELS.get, key="lang_picker", on_change=_set_lang
    )
    st.query_params["lang"] = c.lang


def url_choice(param: str, key: str, choices: list[str], default: str) -> None:
    """Seed a selectbox from the URL. The URL wins when it differs from what this page last wrote there
    (a shared link, or the Overview's "open an indicator"); otherwise the widget keeps its value."""
    url = st.query_params.get(param)
    last = st.session_state.get(f"_{key}_url")
    if url in choices and url != last:
        st.session_state[key] = url
    elif st.session_state.get(key) not in choices:
        st.session_state[key] = last if last in choices else default


def write_url(param: str, key: str, value: str) -> None:
    """Put the widget's choice in the URL (a shared link opens on it) and remember it was this page's."""
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
    st.session_state[f"_{key}_url"] = value


def signed_in_user() -> str | None:
    """The signed-in person's account name (pages/_auth.py), or None while sign-in is off."""
    from pages._auth import signed_in_user as account

    user = account()
    if user is None or user.source == "open":
        return None
    return user.name


def current_user(c: Ctx) -> str:
    """Who loads or undoes, as recorded in the batch: the signed-in person; until sign-in exists, the name
    typed on the Upload page (kept for the session), else MARSAD_USER, else "app"."""
    return (
        signed_in_user()
        or st.session_state.get("user_name", "").strip()
        or settings.get("MARSAD_USER")
        or "app"
    )


def user_name_input(c: Ctx) -> str:
    """Until sign-in exists: ask who is loading, once per session (the batch records it). Returns the name,
    "" while none is given."""
    if signed_in_user():
        return current_user(c)
    # A widget's own state is dropped on pages that do not show it: the name lives under another key.
    if "user_name" not in st.session_state:
        st.session_state["user_name"] = settings.get("MARSAD_USER") or ""
    st.session_state["user_name_input"] = st.session_state["user_name"]
    st.text_input(
        c._("Your name (recorded with the batch)"),
        key="user_name_input",
        max_chars=80,
        placeholder=c._("e.g. Salma Benali, Ministry of Digital Transition"),
        on_change=_keep_user_name,
    )
    return st.session_state["user_name"]


def _keep_user_name() -> None:
    st.session_state["user_name"] = st.session_state["user_name_input"].strip()


def uploader_css(c: Ctx) -> None:
    """Streamlit's file uploader writes its button ("Upload"), the size limit ("50MB per file") and, while a
    file is dragged, "Drag and drop files here" in English only: they are hidden and replaced by the
    translated instruction and button text."""
    from loaders.limits import limits

    hint = c._(
        "Drop CSV, Excel (.xlsx, .xls) or LibreOffice (.ods) files here, up to {mb} MB each",
        mb=limits().upload_mb,
    )
    st.html(
        f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: {css_text(hint)};
  font-size: .875rem; color: rgba(49, 51, 63, .6); }}
[data-testid="stFileUploaderDropzone"] button > * {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {css_text(c._("Choose files"))}; }}
[data-testid="stFileUploaderDropzone"]
  > :not(input):not(:has(button)):not([data-testid="stFileUploaderDropzoneInstructions"]) {{
  visibility: hidden; }}
</style>"""
    )


RTL_CSS = """
<style>
/* rtl on the app container puts the sidebar on the right and mirrors the main column. */
[data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stSidebar"] { direction: rtl; }
[data-testid="stMain"] .stMarkdown, [data-testid="stSidebar"] .stMarkdown,
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stMetric"], [data-testid="stCaptionContainer"] { text-align: right; }
[data-testid="stSidebarNav"] a { flex-direction: row-reverse; justify-content: flex-end; }
[data-testid="stSidebarNav"] span { text-align: right; }
[data-testid="stExpander"] summary { flex-direction: row-reverse; }
/* Charts and data grids keep their own left-to-right engines; their labels are Arabic already. */
.js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stTable"] { direction: ltr; }
/* ...so each chart label takes the direction of its first letter: an Arabic sentence holding Latin words
(the map's licence, a source) keeps its order; text-anchor still follows the ltr direction above. */
.js-plotly-plot text { unicode-bidi: plaintext; }
[data-testid="stTable"] table { direction: rtl; }
/* Streamlit puts an inline text-align:left on table cells and lists: !important is needed here. */
[data-testid="stTable"] th, [data-testid="stTable"] td { text-align: right !important; }
[data-testid="stMain"] :is(ul, ol, li) { text-align: right; }
[data-testid="stDateInput"] input { direction: ltr; text-align: right; }
/* The date field is a row of year, month and day boxes: in rtl the row reversed 2026-12-02 into 02-12-2026. */
[data-testid="stDateInputField"] [role="group"] { direction: ltr; }
body, [data-testid="stMain"], [data-testid="stSidebar"] {
  font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", sans-serif;
}
</style>
"""

BASE_CSS = """
<style>
.marsad-source { color:#555; font-size:.85em; }
.marsad-empty { color:#666; font-style:italic; }
/* A metric's value wraps rather than ending in "…" ("12 من أصل 12" in a fifth of the page at 1440 px). */
[data-testid="stMetricValue"] :is(div, p) { white-space: normal; overflow: visible; text-overflow: clip;
  line-height: 1.2; }
</style>
"""


def style(c: Ctx) -> None:
    st.html(BASE_CSS + (RTL_CSS if c.rtl else "") + chrome_css(c.lang, c._))
    chrome_script(c.lang, c._)


# -- text from files, people and the catalog shown as text -------------------------------------------------
# Streamlit renders Markdown (and its :directives:, $math$) in st.markdown, captions, alerts, titles, metric
# labels and help, and in every st.table cell. A source, comment, sheet or file name, user name or a problem
# quoting a cell must never become an image, a link or formatting there: it goes through `literal`.
# Only what can start Markdown syntax is escaped, so plain names (observations_public.csv, 1.5, a-b) read
# the same in the page source: emphasis and code marks, brackets (links, images, :color[...] directives),
# HTML, math, entities, :shortcodes:, bare URLs and e-mail addresses, and block marks at the start.
_MARKDOWN_SPECIAL = re.compile(
    r"[\\`*~\[\]$|]|<(?=[\w/!?])"  # always; < where it can open a tag or an autolink
    r"|(?<!\w)_|_(?!\w)"  # an underscore that can open or close emphasis (not inside a word)
    r"|&(?=#?\w+;)"  # an HTML entity
    r"|:(?=[\w/+-]+:)|:(?=//)"  # :shortcode: / :material/icon:, and the colon of scheme://
    r"|(?<=\bwww)\.|(?<=\w)@(?=\w)"  # www. and e-mail autolinks
)
_BLOCK_START = re.compile(r"^(\s*)(>|[#+=-](?=[\s#+=-]|$))|^(\s*\d+)([.)])(?=\s|$)")


def literal(text) -> str:
    """Any text as Markdown that shows exactly that text: no image, link, HTML, formatting or directive."""
    if text is None:
        return ""
    one_line = re.sub(r"[\r\n]+", " ", str(text))
    escaped = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m[0], one_line)
    return _BLOCK_START.sub(
        lambda m: (m[1] or m[3] or "") + "\\" + (m[2] or m[4]), escaped, count=1
    )


def literal_table(data):
    """A DataFrame or pandas Styler for st.table with every text cell passed through `literal`."""
    styler = data if isinstance(data, Styler) else None
    df = styler.data if styler is not None else data
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [v if not isinstance(v, str) else literal(v) for v in out[col]]
    if styler is None:
        return out
    styler.data = out
    return styler


def https_link(text: str, url: str | None) -> str:
    """A Markdown link only for an https URL built by the code, its characters percent-encoded; else literal text."""
    if not url or not url.startswith("https://"):
        return literal(text)
    return f"[{literal(text)}]({quote(url, safe=':/?=&#%~@,;')})"


def show_table(c: Ctx, df, *, key: str | None = None, wrap: bool = False) -> None:
    """A table that reads in the page's direction; `df` a DataFrame or a pandas Styler.

    In Arabic, and wherever `wrap` is asked, an HTML table: it follows the right-to-left layout (first
    column at the right) and wraps long texts, so every column stays visible; the data grid keeps a
    left-to-right column order and clips long cells. Elsewhere the interactive grid (sorting, search).
    Callers cap their rows (PREVIEW_ROWS).
    """
    if not (c.rtl or wrap):
        st.dataframe(df, hide_index=True, key=key)
        return
    rows = len(df.data if isinstance(df, Styler) else df)
    table = literal_table(df)
    styler = table if isinstance(table, Styler) else table.style
    with st.container(height=600 if rows > 14 else "content", border=False):
        st.table(styler.hide(axis="index"))


def view_controls(c: Ctx, methods: dict[str, str]) -> None:
    """Sidebar: 'as known on' date (reproduce a past presentation) and the status method."""
    _ = c._
    with st.sidebar:
        today = local_today()  # the date in Morocco, whatever the server's clock zone
        picked = st.date_input(
            _("Figures as known on"),
            value=c.as_of or today,
            max_value=today,
            min_value=dt.date(2024, 1, 1),
            key="as_of_picker",
            format="YYYY-MM-DD",
        )
        as_of = None if picked == today else picked
        method = st.selectbox(
            _("Status method"),
            list(methods),
            format_func=methods.get,
            index=list(methods).index(c.method) if c.method in methods else 0,
            key="method_picker",
        )
    if as_of != c.as_of or method != c.method:
        st.session_state["as_of"] = as_of
        st.session_state["method"] = method
        c.as_of, c.method = as_of, method


def _demo(store: Store, add: bool) -> None:
    from loaders.access import require
    from loaders.access.audit import record
    from loaders.catalog import load_catalog
    from loaders.seed import add_demo, remove_demo
    from pages._auth import signed_in_user

    user = require(signed_in_user(), "demo")  # H7: checked again on the server, and audited
    if add:
        record(store, user, "demo_add", add_demo(store, load_catalog()))
    else:
        record(store, user, "demo_remove", None, after={"batches": remove_demo(store)})
    st.cache_data.clear()


def admin_panel(c: Ctx) -> None:
    """DEMO data switch (admins only). Demo values are illustrative and marked DEMO wherever they appear."""
    from loaders.seed import has_demo
    from pages._auth import may, signed_in_user

    _ = c._
    if not may(signed_in_user(), "demo"):  # H7: DEMO and Administration for admins only
        return
    try:
        demo = has_demo(reader(c.store.url))
    except StoreBusy:  # no switch while a load holds the database
        return
    with st.sidebar.expander(_("Administration")):
        if demo:
            st.caption(_("DEMO data is loaded: illustrative values, marked DEMO everywhere."))
            st.button(
                _("Remove DEMO data"), key="demo_remove", on_click=_demo, args=(c.store, False)
            )
        else:
            st.caption(
                _(
                    "Add illustrative quarterly data (2024-Q1 to the last complete quarter) to see every chart."
                )
            )
            st.button(_("Add DEMO data"), key="demo_add", on_click=_demo, args=(c.store, True))
