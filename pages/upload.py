"""Upload: check report files together, show the problems or what would change, then load them as one batch."""

import dataclasses
import hashlib

import streamlit as st

from kpis import view_upload as vu
from loaders.i18n import fmt_number
from loaders.ingest import problems_csv
from loaders.sandbox import ingest_in_worker  # a hostile file can only exhaust the worker
from loaders.store import StoreBusy
from loaders.template import MEDIA_TYPES, template_bytes
from pages._auth import require_page
from pages._ui import catalog, ctx, literal, served, show_table, uploader_css, user_name_input

c = ctx()
_ = c._
require_page(c, "upload")  # H7: analysts and admins only


@st.cache_data(show_spinner=False, max_entries=8)
def _template(url: str, version: str, lang: str, fmt: str = "xlsx") -> bytes:
    from loaders.store import Store

    return template_bytes(Store(url), lang=lang, fmt=fmt)


def _corrected_template(url: str, lang: str, rows: list[dict]) -> bytes:
    from loaders.store import Store

    return template_bytes(Store(url), lang=lang, rows=rows)


names = vu.Names.of(catalog(c), c.lang)


def _problems_table(problems, key: str) -> None:
    show_table(c, vu.problems_frame(problems, c.lang), key=key)


def _coverage(table) -> None:
    """Before Confirm: the regions a regional indicator's rows leave out (computed in kpis.view_upload)."""
    notes = vu.coverage_notes(vu.coverage_gaps(table, names), names)
    if notes:
        st.warning(
            _("Some regions are missing from the files:")
            + "\n\n"
            + "\n".join(f"- {literal(n)}" for n in notes),
            icon=":material/map:",
        )


st.title(_("Upload reports"))
st.caption(
    _(
        "CSV or Excel files, in Arabic, French or English. All the files you add are checked together as one "
        "batch: nothing is written before you confirm, and files with any error write nothing."
    )
)
st.download_button(
    _("Download the Excel template"),
    data=served(c, "template", _template, c.store.url, c.version, c.lang),
    file_name=f"marsad_template_{c.lang}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="template_download",
)
st.download_button(
    _("Download the template for LibreOffice (.ods)"),
    data=_template(c.store.url, c.version, c.lang, "ods"),
    file_name=f"marsad_template_{c.lang}.ods",
    mime=MEDIA_TYPES["ods"],
    icon=":material/download:",
    key="template_download_ods",
)

user = user_name_input(c)
# Streamlit's uploader writes "Upload" and "50MB per file" in English only: replaced by a translated line.
uploader_css(c)
files = st.file_uploader(
    _("Report files"),
    type=["csv", "xlsx", "xlsm", "xls", "ods"],
    accept_multiple_files=True,
    key="upload_files",
)
if not files:
    st.info(_("Add one or more files to check them."), icon=":material/upload_file:")
    st.stop()

uploads = [(f.name, f.getvalue()) for f in files]
signature = hashlib.sha256(
    b"".join(name.encode() + hashlib.sha256(data).digest() for name, data in uploads)
).hexdigest()
state = st.session_state.setdefault("upload", {})
if state.get("signature") != signature or state.get("lang") != c.lang:
    state.clear()
    state.update(signature=signature, lang=c.lang)
    with st.spinner(_("Checking the files…")):
        try:
            state["check"] = ingest_in_worker(
                c.store, uploads, user=user or "app", dry_run=True, lang=c.lang
            )
        except StoreBusy as e:  # another load holds the database: check again when it is done
            state.clear()
            st.warning(e.translated(_), icon=":material/hourglass_top:")
            st.stop()

done = state.get("result")
if done is not None:
    st.success(literal(done.message), icon=":material/check_circle:")
    st.metric(_("Batch"), done.batch_id)
    st.caption(_("The batch can be undone on the History page."))
    st.stop()

check = state["check"]
if state.get("stale"):  # Confirm found the data changed since the preview: this is the new preview
    st.warning(literal(state["stale"]), icon=":material/sync_problem:")
errors, warnings = check.errors, check.warnings
if errors:
    st.error(literal(check.message), icon=":material/block:")
    good = check.changes
    # The problems, then the rows that passed, each at full width (side by side, Arabic sentences and
    # indicator names no longer fit at 1440 px); the counts above each table are complete.
    st.subheader(_("Problems"))
    _problems_table(check.problems, "problems_table")
    st.download_button(
        _("Download the problems (CSV)"),
        data=problems_csv(check.problems),
        file_name="marsad_problems.csv",
        mime="text/csv",
        icon=":material/download:",
        key="problems_download",
    )
    if good.num_rows:
        st.subheader(_("Rows without errors: {count}", count=fmt_number(good.num_rows, c.lang)))
        show_table(c, vu.changes_frame(good, names, checked=True), key="good_table")
        st.download_button(
            _("Download a template with these rows, to correct and complete"),
            data=_corrected_template(c.store.url, c.lang, vu.template_rows(good)),
            file_name=f"marsad_corrected_{c.lang}.xlsx",
            mime=MEDIA_TYPES["xlsx"],
            icon=":material/download:",
            key="corrected_template_download",
        )
        st.caption(
            _(
                "The template holds every row without errors; add the corrected rows and upload it"
                " again."
            )
        )
        _coverage(good)
    st.stop()

if warnings:
    with st.expander(_("{count} warnings (they do not block the upload)", count=len(warnings))):
        _problems_table(warnings, "warnings_table")

cols = st.columns(4)
cols[0].metric(_("Values read"), fmt_number(check.rows, c.lang))
cols[1].metric(_("New"), fmt_number(check.inserted, c.lang))
cols[2].metric(_("Revised"), fmt_number(check.revised, c.lang))
cols[3].metric(_("Unchanged"), fmt_number(check.unchanged, c.lang))

if check.status == "unchanged" or check.inserted + check.revised == 0:
    st.info(
        literal(check.message)
        if check.status == "unchanged"
        else _("Nothing new: every value is already the current one"),
        icon=":material/info:",
    )
    st.stop()

if check.revised:
    st.subheader(_("Revisions: old value → new value"))
    st.caption(_("The old values stay in their batches and in the history."))
    show_table(
        c, vu.changes_frame(check.changed("revised"), names, with_old=True), key="revised_table"
    )
if check.inserted:
    st.subheader(_("New values"))
    show_table(c, vu.changes_frame(check.changed("new"), names), key="new_table")
if max(check.inserted, check.revised) > vu.PREVIEW_ROWS:
    st.caption(_("The tables show the first {count} rows of each kind.", count=vu.PREVIEW_ROWS))
_coverage(check.changes)

if not user:
    st.caption(_("Type your name above: the batch records who loaded it."))
if st.button(
    _("Confirm and load"),
    type="primary",
    icon=":material/publish:",
    key="confirm_upload",
    disabled=not user,
):
    with st.spinner(_("Loading…")):
        # The commit checks, inside its transaction, that the values this preview was computed against are
        # still the current ones: a colleague's load in between must not be overwritten unseen.
        try:
            result = ingest_in_worker(
                c.store,
                uploads,
                user=user,
                dry_run=False,
                lang=c.lang,
                expected_state=check.state,
            )
        except StoreBusy as e:  # nothing written; the preview stays, Confirm can be pressed again
            st.warning(e.translated(_), icon=":material/hourglass_top:")
            st.stop()
    if result.status in ("committed", "submitted", "unchanged"):
        st.cache_data.clear()  # every page shows the new figures
        state["result"] = result
        st.rerun()
    else:  # stale (or now rejected): nothing was written; show what the database says now
        state["check"] = (
            dataclasses.replace(result, status="dry-run") if result.status == "stale" else result
        )
        state["stale"] = result.message
        st.rerun()
