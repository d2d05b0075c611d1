"""Review: submitted batches with their diff and warnings, publish or send back, withdraw, and competing values."""

import os

import pandas as pd
import streamlit as st

from loaders import review
from loaders.i18n import fmt_date, fmt_number, fmt_period
from loaders.store import StoreBusy, local_time
from pages._auth import signed_in_user
from pages._ui import catalog, ctx, literal, reader, served, show_table

c = ctx()
_ = c._
cat = catalog(c)
regions = dict(zip(cat["region"]["iso"], cat["region"][c.name], strict=True))
indicators = dict(zip(cat["indicator"]["code"], cat["indicator"][c.name], strict=True))
CHANGES = {"revised": _("revised"), "new": _("new"), "unchanged": _("unchanged")}
STATUSES = {
    "published": _("published"),
    "submitted": _("submitted"),
    "sent_back": _("sent back"),
    "withdrawn": _("withdrawn"),
}


def _default_user() -> str:
    try:
        if st.user.is_logged_in:
            return st.user.get("email") or st.user.get("name") or "app"
    except Exception:  # no sign-in configured
        pass
    return os.environ.get("MARSAD_USER") or ""


def _actor() -> tuple[str, str]:
    """(name, role) of whoever acts: the signed-in account with its role; with sign-in off the name is asked
    (anyone may act then, as before accounts; the four-eyes rule still compares names)."""
    user = signed_in_user()
    if user is not None and user.source != "open":
        return user.name, user.role
    name = st.text_input(_("Your name"), value=_default_user(), key="review_user").strip()
    return name, review.role_of(name)


def _when(v) -> str:
    if v is None or pd.isna(v):
        return ""
    return fmt_date(local_time(pd.Timestamp(v).to_pydatetime()), c.lang)


def _key(ind, period, region) -> str:
    place = regions.get(region, region) if region else _("National")
    return f"{indicators.get(ind, ind)} · {fmt_period(period, c.lang)} · {place}"


def _num(v) -> str:
    return "" if v is None or pd.isna(v) else fmt_number(v, c.lang)


def _act(fn, done: str) -> None:
    try:
        fn()
    except review.ReviewError as e:
        st.session_state["review_message"] = ("error", e.translated(_))
    except StoreBusy as e:
        st.session_state["review_message"] = ("error", e.translated(_))
    else:
        st.cache_data.clear()
        st.session_state["review_message"] = ("success", done)
    st.rerun()


st.title(_("Review before publication"))
if not review.review_on(c.store):
    st.info(
        _(
            "Review is off: every upload is published at once. Set MARSAD_REVIEW=1 to have uploads wait for"
            " a validator."
        )
    )
st.caption(
    _(
        "Viewers see published figures only. A submitted batch is published by a validator other than the"
        " person who submitted it, or sent back with a comment."
    )
)
user, role = _actor()
kind, message = st.session_state.pop("review_message", (None, None))
if kind == "success":
    st.success(literal(message), icon=":material/check_circle:")
elif kind == "error":
    st.error(literal(message))

store = reader(c.store.url)
waiting = served(c, "review_batches", lambda v: review.batches(store), c.version)
st.subheader(_("Submitted batches"))
if waiting.empty:
    st.caption(_("No batch is waiting for review."))
else:
    show_table(
        c,
        pd.DataFrame(
            {
                _("Batch"): waiting["batch_id"],
                _("Submitted on"): [_when(v) for v in waiting["submitted_at"]],
                _("By"): waiting["user_name"],
                _("Files"): waiting["files"],
                _("New"): waiting["inserted"],
                _("Revised"): waiting["revised"],
                _("Unchanged"): waiting["unchanged"],
            }
        ),
    )
    picked = st.selectbox(
        _("Batch to review"),
        list(waiting["batch_id"]),
        format_func=lambda b: _("Batch {batch_id}", batch_id=int(b)),
        key="review_pick",
    )
    picked = int(picked)
    d = served(c, "review_diff", lambda b, v: review.diff(store, b), picked, c.version)
    counts = d["change"].value_counts()
    cols = st.columns(3)
    for col, ch in zip(cols, ("revised", "new", "unchanged"), strict=True):
        col.metric(CHANGES[ch], int(counts.get(ch, 0)))
    show_table(
        c,
        pd.DataFrame(
            {
                _("Value"): [
                    _key(*k) for k in zip(d["indicator"], d["period"], d["region"], strict=True)
                ],
                _("Change"): [CHANGES[x] for x in d["change"]],
                _("Before"): [_num(v) for v in d["before"]],
                _("After"): [_num(v) for v in d["after"]],
                _("Source before"): d["before_source"].fillna(""),
                _("Source"): d["source"].fillna(""),
                _("File"): d["file"].fillna(""),
                _("Row"): d["row_number"].astype("Int64"),
            }
        ),
        key="review_diff_table",
    )
    probs = served(c, "review_problems", lambda b, v: review.problems(store, b), picked, c.version)
    st.markdown("**" + _("Warnings at upload") + "**")
    if probs.empty:
        st.caption(_("No warning."))
    else:
        show_table(
            c,
            pd.DataFrame(
                {
                    _("File"): probs["file"].fillna(""),
                    _("Row"): probs["row_number"].astype("Int64"),
                    _("Column"): probs["column_name"].fillna(""),
                    _("Message"): probs["message"],
                }
            ),
            key="review_problems_table",
        )
    comment = st.text_area(_("Comment"), key="review_comment")
    left, mid, right = st.columns(3)
    if left.button(_("Publish"), type="primary", key="review_publish", disabled=not user):
        _act(
            lambda: review.publish(store, picked, user=user, role=role, comment=comment or None),
            _("Batch {batch_id} published", batch_id=picked),
        )
    if mid.button(_("Send back"), key="review_send_back", disabled=not user):
        _act(
            lambda: review.send_back(store, picked, user=user, role=role, comment=comment),
            _("Batch {batch_id} sent back", batch_id=picked),
        )
    if right.button(_("Withdraw my batch"), key="review_withdraw", disabled=not user):
        _act(
            lambda: review.withdraw(store, picked, user=user, role=role),
            _("Batch {batch_id} withdrawn", batch_id=picked),
        )

# -- sent back ------------------------------------------------------------------------------------------
back = served(c, "review_back", lambda v: review.batches(store, ("sent_back",)), c.version)
if not back.empty:
    st.subheader(_("Sent back"))
    show_table(
        c,
        pd.DataFrame(
            {
                _("Batch"): back["batch_id"],
                _("By"): back["user_name"],
                _("Files"): back["files"],
                _("Comment"): back["review_comment"].fillna(""),
            }
        ),
        key="review_back_table",
    )

# -- competing values ------------------------------------------------------------------------------------
st.subheader(_("Competing values"))
comp = served(c, "review_competing", lambda v: review.competing(store), c.version)
if comp.empty:
    st.caption(_("No value is disputed between the published figures and the submitted batches."))
else:
    show_table(
        c,
        pd.DataFrame(
            {
                _("Value"): [
                    _key(*k)
                    for k in zip(comp["indicator"], comp["period"], comp["region"], strict=True)
                ],
                _("Figure"): [_num(v) for v in comp["value"]],
                _("Source"): comp["source"].fillna(""),
                _("Batch"): comp["batch_id"],
                _("Status"): [STATUSES.get(s, s) for s in comp["status"]],
                _("By"): comp["user_name"],
            }
        ),
        key="review_competing_table",
    )
    options = [r for r in comp.itertuples() if r.status == "submitted"]
    choice = st.selectbox(
        _("Value to publish"),
        range(len(options)),
        format_func=lambda i: _(
            "{key}: {value} ({source}, batch {batch_id})",
            key=_key(options[i].indicator, options[i].period, options[i].region),
            value=_num(options[i].value),
            source=options[i].source or "—",
            batch_id=int(options[i].batch_id),
        ),
        key="review_choice",
    )
    reason = st.text_input(_("Why this value"), key="review_reason")
    if options and st.button(_("Publish this value"), key="review_choose", disabled=not user):
        o = options[choice]
        _act(
            lambda: review.choose(
                store,
                o.indicator,
                o.period,
                o.region,
                int(o.batch_id),
                user=user,
                role=role,
                reason=reason,
            ),
            _("Published: {key}", key=_key(o.indicator, o.period, o.region)),
        )
