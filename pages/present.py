"""Presenter mode: a playlist of slides kept in the URL, shown full screen with large type, advanced by keyboard
or timer; the builder (without `present=1`) chooses the slides and offers the exports."""

import datetime as dt
import html
import time

import streamlit as st

from kpis import slides as sl
from kpis.methods import METHODS
from loaders.store import local_today
from pages._present_ui import (
    BUILDER_CSS,
    SHOW_CSS,
    SLIDE_CSS,
    exports_panel,
    slide_footer,
    slide_header,
)
from pages._ui import ctx, kpi_inputs, kpi_status, load_kpi_inputs, served

c = ctx()
_ = c._
qp = st.query_params
show = qp.get("present") == "1"


def _url_date(text):
    try:
        d = dt.date.fromisoformat(text or "")
    except ValueError:
        return None
    return d if d <= local_today() else None


def _url_int(text, lo, hi):
    try:
        n = int(text or "")
    except ValueError:
        return None
    return n if lo <= n <= hi else None


# The URL freezes the show: "as known on" a date and a status method, whatever the sidebar says.
frozen = _url_date(qp.get("as_of"))
if frozen:
    c.as_of = frozen
if qp.get("method") in METHODS:
    c.method = qp.get("method")
inputs = load_kpi_inputs(c)
refs, bad = sl.parse_spec(qp.get("slides"))
refs, missing = sl.check_refs(refs, inputs)
bad += missing
if not refs:
    refs = sl.default_refs(inputs)
n = len(refs)
i = min(_url_int(qp.get("slide"), 1, sl.MAX_SLIDES) or 1, n)
timer = _url_int(qp.get("timer"), 5, 600)


@st.cache_data(show_spinner=False, max_entries=128)
def _slide(url, version, as_of, method, lang, token):
    """One slide for one data version: a load during the show gives new figures at the next slide."""
    ins = kpi_inputs(url, version, as_of)
    status = kpi_status(url, version, as_of, method)
    ref = sl.parse_spec(token)[0][0]
    return sl.build_slide(
        ins, ref, lang, today=as_of or local_today(), method=method, status=status
    )


def slide_at(k: int) -> sl.Slide:
    return served(
        c, "slide", _slide, c.store.url, c.version, c.as_of, c.method, c.lang, refs[k - 1].token
    )


def go(k: int) -> None:
    st.query_params["slide"] = str(k)
    st.session_state["_present_shown_at"] = time.monotonic()


def stop_show() -> None:
    if "present" in st.query_params:
        del st.query_params["present"]


def start_show() -> None:
    st.query_params["present"] = "1"
    st.query_params["slide"] = "1"


# -- navigation: buttons with native keyboard shortcuts (arrows, space, page keys), no script of ours ----
def nav_buttons(k: int) -> None:
    cols = st.container(key="present_nav", horizontal=True)
    cols = [cols, cols, cols]
    cols[0].button(
        "◀" if not c.rtl else "▶",
        key="present_prev",
        help=_("Previous slide (←, Page Up)"),
        on_click=go,
        args=(max(1, k - 1),),
        disabled=k <= 1,
        shortcut="left",
    )
    cols[1].button(
        "▶" if not c.rtl else "◀",
        key="present_next",
        help=_("Next slide (→, space, Page Down)"),
        on_click=go,
        args=(min(n, k + 1),),
        disabled=k >= n,
        shortcut="right",
    )
    # Presentation remotes send Page Up / Page Down; a room expects the space bar too.
    with cols[2]:
        with st.container(key="present_keys"):
            # Visually hidden but read by screen readers: named in the page's language.
            st.button(
                _("Next slide"),
                key="present_next_space",
                on_click=go,
                args=(min(n, k + 1),),
                shortcut="space",
            )
            st.button(
                _("Next slide"),
                key="present_next_pgdn",
                on_click=go,
                args=(min(n, k + 1),),
                shortcut="pagedown",
            )
            st.button(
                _("Previous slide"),
                key="present_prev_pgup",
                on_click=go,
                args=(max(1, k - 1),),
                shortcut="pageup",
            )
            st.button(_("First slide"), key="present_home", on_click=go, args=(1,), shortcut="home")
            st.button(_("Last slide"), key="present_end", on_click=go, args=(n,), shortcut="end")
            if show:
                st.button(
                    _("End the show"), key="present_exit", on_click=stop_show, shortcut="escape"
                )


def render(slide: sl.Slide, k: int, *, chart_height: int) -> None:
    st.html(slide_header(slide, c))
    if slide.figure is not None and show:
        with st.container(key="present_chart_box_tiles" if slide.tiles else "present_chart_box"):
            st.plotly_chart(
                sl.for_screen(slide.figure, height=None),
                config={"displayModeBar": False, "scrollZoom": False, "responsive": True},
                height="stretch",
                key="present_chart",
            )
    elif slide.figure is not None:
        st.plotly_chart(
            sl.for_screen(slide.figure, height=chart_height),
            config={"displayModeBar": False, "scrollZoom": False},
            key="present_chart",
        )
    else:
        st.html(f'<p class="ms-note">{html.escape(slide.note)}</p>')
    st.html(slide_footer(slide, c, k, n, sl.show_context(c.lang, c.as_of, c.method)))


if show:
    st.html(SLIDE_CSS + SHOW_CSS)
    slide = slide_at(i)
    render(slide, i, chart_height=400 if slide.tiles else 470)
    nav_buttons(i)
    if timer:
        # The timer runs on the server: every `timer` seconds the show moves on, and stops at the last slide.
        @st.fragment(run_every=timer)
        def _tick():
            shown = st.session_state.get("_present_shown_at")
            if shown is None:
                st.session_state["_present_shown_at"] = time.monotonic()
            elif time.monotonic() - shown >= timer - 0.5 and i < n:
                go(i + 1)
                st.rerun(scope="app")

        _tick()
    st.stop()

# -- the builder ---------------------------------------------------------------------------------------
st.html(SLIDE_CSS + BUILDER_CSS)
st.title(_("Presenter mode"))
st.caption(
    _(
        "Choose the slides, then start the show: full screen, large type, advanced with the arrow keys,"
        " the space bar or a presentation remote. The playlist is kept in the link, so a prepared show"
        " reopens exactly."
    )
)
if bad:
    st.warning(
        _("Slides not understood and left out: {slides}", slides=", ".join(bad)),
        icon=":material/warning:",
    )

options = {r.token: sl.ref_label(r, inputs, c.lang) for r in sl.all_refs(inputs)}
tokens = [r.token for r in refs]
if st.session_state.get("_present_spec_url") != qp.get("slides"):
    st.session_state["present_playlist"] = tokens
    st.session_state["_present_spec_url"] = qp.get("slides")


def _set_playlist() -> None:
    chosen = st.session_state["present_playlist"]
    spec = ",".join(chosen)
    st.query_params["slides"] = spec
    st.query_params["slide"] = "1"
    st.session_state["_present_spec_url"] = spec


st.multiselect(
    _("Slides, in the order shown"),
    list(options),
    format_func=options.get,
    key="present_playlist",
    on_change=_set_playlist,
    placeholder=_("The scorecard and every pillar"),
)
st.query_params["slides"] = sl.format_spec(refs)
cols = st.columns(3)
freeze = cols[0].date_input(
    _("Freeze the figures as known on"),
    value=frozen,
    max_value=local_today(),
    min_value=dt.date(2024, 1, 1),
    format="YYYY-MM-DD",
    key="present_as_of",
    help=_("Empty: the latest figures, updated during the show when new data is loaded."),
)
if freeze:
    st.query_params["as_of"] = freeze.isoformat()
elif "as_of" in qp:
    del st.query_params["as_of"]
secs = cols[1].number_input(
    _("Advance every (seconds, 0 = by hand)"),
    min_value=0,
    max_value=600,
    value=timer or 0,
    step=5,
    key="present_timer",
)
if secs and secs >= 5:
    st.query_params["timer"] = str(int(secs))
elif "timer" in qp:
    del st.query_params["timer"]
with cols[2]:
    st.write("")
    st.button(
        _("Start the show"), type="primary", on_click=start_show, icon="▶", key="present_start"
    )
link = "present?" + "&".join(
    f"{k}={v}"
    for k, v in (
        ("present", "1"),
        *((k, qp.get(k)) for k in ("lang", "slides", "as_of", "timer", "method")),
    )
    if v
)
st.caption(_("Link to this show (add it after the dashboard's address):"))
st.code(link, language=None)

st.subheader(_("Preview"))
slide = slide_at(i)
render(slide, i, chart_height=430)
nav_buttons(i)
exports_panel(c, slide, refs, slide_at, inputs)
