"""Upload: check report files together, show the problems or what would change, then load them as one batch."""

import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from kpis.views import unit_label
from loaders.i18n import fmt_number, fmt_period
from loaders.ingest import problems_csv
from loaders.sandbox import ingest_in_worker  # a hostile file can only exhaust the worker
from loaders.store import StoreBusy
from loaders.template import MEDIA_TYPES, template_bytes
from pages._auth import require_page, signed_in_user
from pages._ui import catalog, ctx, literal, served, show_table

PREVIEW_ROWS = 200  # rows shown per table; the counts above them are complete

c = ctx()
_ = c._
require_page(c, "upload")  # H7: analysts and admins only


@st.cache_data(show_spinner=False, max_entries=8)
def _template(url: str, version: str, lang: str, fmt: str = "xlsx") -> bytes:
    from loaders.store import Store

    return template_bytes(Store(url), lang=lang, fmt=fmt)


def _user() -> str:
    """Who acts: the signed-in person (pages/_auth.py), else the server's MARSAD_USER."""
    return signed_in_user().name


cat = catalog(c)
regions = dict(zip(cat["region"]["iso"], cat["region"][c.name], strict=True))
names = dict(zip(cat["indicator"]["code"], cat["indicator"][c.name], strict=True))
units = dict(zip(cat["indicator"]["code"], cat["indicator"]["unit"], strict=True))


def _region(iso: str) -> str:
    return regions.get(iso, iso) if iso else _("National")


def _changes_frame(table, with_old: bool):
    rows = [
        {
            _("Indicator"): f"{names.get(r['indicator'], r['indicator'])} ({r['indicator']})",
            _("Period"): fmt_period(r["period"], c.lang),
            _("Region"): _region(r["region"]),
            **({_("Old value"): fmt_number(r["old_value"], c.lang)} if with_old else {}),
            _("New value"): fmt_number(r["new_value"], c.lang),
            _("Unit"): unit_label(units.get(r["indicator"]), c.lang),
            _("File"): r["file"] + (f" · {r['sheet']}" if r["sheet"] else ""),
            _("Row"): r["row_number"],
        }
        for r in table.slice(0, PREVIEW_ROWS).to_pylist()
    ]
    return rows


def _problems_frame(problems):
    return [
        {
            _("File"): p.file,
            _("Sheet"): p.sheet or "",
            _("Row"): "" if p.row is None else p.row,
            _("Column"): p.column or "",
            _("Severity"): _("error") if p.is_error else _("warning"),
            _("Code"): p.code,
            _("Message"): p.message,
        }
        for p in problems
    ]


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
                c.store, uploads, user=_user(), dry_run=True, lang=c.lang
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
    show_table(c, pd.DataFrame(_problems_frame(check.problems)), key="problems_table")
    st.download_button(
        _("Download the problems (CSV)"),
        data=problems_csv(check.problems),
        file_name="marsad_problems.csv",
        mime="text/csv",
        icon=":material/download:",
        key="problems_download",
    )
    st.stop()

if warnings:
    with st.expander(_("{count} warnings (they do not block the upload)", count=len(warnings))):
        show_table(c, pd.DataFrame(_problems_frame(warnings)), key="warnings_table")

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
    show_table(c, pd.DataFrame(_changes_frame(check.changed("revised"), True)), key="revised_table")
if check.inserted:
    st.subheader(_("New values"))
    show_table(c, pd.DataFrame(_changes_frame(check.changed("new"), False)), key="new_table")
if max(check.inserted, check.revised) > PREVIEW_ROWS:
    st.caption(_("The tables show the first {count} rows of each kind.", count=PREVIEW_ROWS))

if st.button(
    _("Confirm and load"), type="primary", icon=":material/publish:", key="confirm_upload"
):
    with st.spinner(_("Loading…")):
        # The commit checks, inside its transaction, that the values this preview was computed against are
        # still the current ones: a colleague's load in between must not be overwritten unseen.
        try:
            result = ingest_in_worker(
                c.store,
                uploads,
                user=_user(),
                dry_run=False,
                lang=c.lang,
                expected_state=check.state,
            )
        except StoreBusy as e:  # nothing written; the preview stays, Confirm can be pressed again
            st.warning(e.translated(_), icon=":material/hourglass_top:")
            st.stop()
    if result.status in ("committed", "unchanged"):
        st.cache_data.clear()  # every page shows the new figures
        state["result"] = result
        st.rerun()
    else:  # stale (or now rejected): nothing was written; show what the database says now
        state["check"] = (
            dataclasses.replace(result, status="dry-run") if result.status == "stale" else result
        )
        state["stale"] = result.message
        st.rerun()
