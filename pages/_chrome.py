"""The English that Streamlit and plotly.js write by themselves (chart toolbar, skip link), said in the page's language."""

from __future__ import annotations

import json

import streamlit as st

from loaders.i18n import N_

# plotly.js looks every text of its toolbar and notices up in config["locales"][locale]["dictionary"] under
# these English keys, exactly as plotly.js spells them (the Streamlit 1.67 bundle).
PLOTLY_TEXTS = (
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Download plot as JSON"),
    N_("Preparing image - this may take a few seconds"),
    N_("Image download succeeded"),
    N_("JSON download succeeded"),
    N_("Sorry, there was a problem downloading your image!"),
    N_("Sorry, there was a problem downloading your JSON file!"),
    N_("Zoom"),
    N_("Pan"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Reset"),
    N_("Reset view"),
    N_("Reset views"),
    N_("Toggle Spike Lines"),
    N_("Show closest data on hover"),
    N_("Compare data on hover"),
    N_("Toggle show closest data on hover"),
    N_("Double-click to zoom back out"),
    N_("Double-click on legend to isolate one trace"),
    N_("Produced with Plotly.js"),
)
# Streamlit adds its own toolbar button to every chart, its title fixed in English: only CSS can re-say it.
STREAMLIT_CHART_BUTTONS = (N_("Fullscreen"), N_("Close fullscreen"))
# Streamlit's own buttons whose English aria-label (and hover tooltip) chrome_script re-says: the data grid's
# toolbar and the date input's calendar button. Streamlit may add ": <context>" after the label.
STREAMLIT_LABELS = (
    N_("Show/hide columns"),
    N_("Download as CSV"),
    N_("Search"),
    N_("Fullscreen"),
    N_("Close fullscreen"),
    N_("Clear selection"),
    N_("Choose date"),
    N_("Help"),
)
# An empty date input: what each part shows ("yyyy", read by the eye) and what a screen reader hears
# ("year, <label>", "Empty"); the selectbox's hidden placeholder.
DATE_PARTS = {"year": N_("yyyy"), "month": N_("mm"), "day": N_("dd")}
SCREEN_READER_TEXTS = (
    N_("year"),
    N_("month"),
    N_("day"),
    N_("Empty"),
    N_("Choose an option"),
    N_("Choose options"),
)
# The screen-reader name of a "?" help icon: "Help for <widget label>".
HELP_FOR = N_("Help for {label}")
# What st.table writes in its one cell when it has no row ("empty").
EMPTY_TABLE = N_("No rows")


def chart_config(lang: str, _, **extra) -> dict:
    """plotly config for st.plotly_chart: no plotly logo, and the toolbar in the page's language."""
    config = {"displaylogo": False, **extra}
    if lang != "en":
        # Only a dictionary: numbers and dates keep plotly's default format (the pages format them).
        config["locale"] = lang
        config["locales"] = {lang: {"dictionary": {m: _(m) for m in PLOTLY_TEXTS}}}
    return config


def plotly_chart(c, figure, *, key: str | None = None, **config) -> None:
    """st.plotly_chart with the toolbar in the page's language; `config` adds plotly options."""
    st.plotly_chart(figure, config=chart_config(c.lang, c._, **config), key=key)


def css_text(text: str) -> str:
    """Text as a CSS string literal (our own translations; quotes, backslashes and line ends escaped)."""
    return (
        '"'
        + "".join(ch if ch.isalnum() or ch in " .,:;()-–·/" else f"\\{ord(ch):x} " for ch in text)
        + '"'
    )


def chrome_css(lang: str, _) -> str:
    """CSS that re-says Streamlit's English: the skip link keyboard users meet first, and the chart
    toolbar's Fullscreen button. The skip link's English words are kept at size zero and the translation
    drawn after them; screen readers read the name chrome_script gives it."""
    if lang == "en":
        return ""
    skip = css_text(_("Skip to main content"))
    rules = [
        # !important: Streamlit's own :focus-visible rule sets the link's font size.
        '[data-testid="stSkipToContent"] { font-size: 0 !important; }',
        f'[data-testid="stSkipToContent"]::after {{ content: {skip}; font-size: .875rem; }}',
    ]
    rules += [
        '[data-testid="stTableStyledEmptyTableCell"] { font-size: 0 !important; }',
        f'[data-testid="stTableStyledEmptyTableCell"]::after {{ content: {css_text(_(EMPTY_TABLE))};'
        " font-size: .875rem; }",
    ]
    for part, shown in DATE_PARTS.items():
        segment = f'[data-testid="stDateInput"] [data-placeholder="true"][data-type="{part}"]'
        rules.append(f"{segment} {{ font-size: 0 !important; }}")
        rules.append(f"{segment}::after {{ content: {css_text(_(shown))}; font-size: 1rem; }}")
    for title in STREAMLIT_CHART_BUTTONS:
        rules.append(
            f'.js-plotly-plot .modebar-btn[data-title="{title}"]::after {{ content: {css_text(_(title))}; }}'
        )
    return "<style>\n" + "\n".join(rules) + "\n</style>"


# Inline, no network. Streamlit's buttons are read by their English aria-label, and charts, grids and tooltips
# are drawn after this script and redrawn later: an observer (one per page; a language switch replaces it)
# names each new one. The English label is kept in data-marsad-en, so a switch back to English restores it.
# A hover tooltip's one text node is re-said in place (React keeps the node it owns).
SCRIPT = """<script>(() => {
  const lang = %(lang)s, skip = %(skip)s, names = %(names)s, labels = %(labels)s, helpFor = %(help)s;
  document.documentElement.lang = lang;
  const a = document.querySelector('[data-testid="stSkipToContent"]');
  if (a && skip) { a.setAttribute('aria-label', skip); a.lang = lang; }
  else if (a) { a.removeAttribute('aria-label'); a.removeAttribute('lang'); }
  const say = en => {
    const i = en.indexOf(': '), head = i < 0 ? en : en.slice(0, i);
    if (labels[head]) return labels[head] + (i < 0 ? '' : en.slice(i));
    if (en.startsWith('Help for ')) return helpFor.replace('{label}', en.slice(9));
    return en;
  };
  const name = () => {
    document.querySelectorAll('.modebar-btn[data-title]').forEach(b => {
      const t = names[b.getAttribute('data-title')];
      if (t && b.getAttribute('aria-label') !== t) b.setAttribute('aria-label', t);
    });
    document.querySelectorAll('[data-testid=stElementToolbarButton] button[aria-label],'
      + ' [aria-label="Choose date"], [aria-label^="Help for "], [aria-label=Help], [data-marsad-en]').forEach(b => {
      const en = b.dataset.marsadEn ?? b.getAttribute('aria-label');
      b.dataset.marsadEn = en;
      const t = say(en);
      if (b.getAttribute('aria-label') !== t) b.setAttribute('aria-label', t);
    });
    document.querySelectorAll('[data-testid=stDateInput] [role=spinbutton]').forEach(s => {
      const en = s.dataset.marsadEnPart ?? s.getAttribute('aria-label') ?? '';
      s.dataset.marsadEnPart = en;
      const i = en.indexOf(', '), head = i < 0 ? en : en.slice(0, i);
      const t = (labels[head] ?? head) + (i < 0 ? '' : en.slice(i));
      if (s.getAttribute('aria-label') !== t) s.setAttribute('aria-label', t);
      if (s.getAttribute('aria-valuetext') === 'Empty') s.setAttribute('aria-valuetext', labels.Empty);
    });
    document.querySelectorAll('input[placeholder]').forEach(i => {
      const en = i.dataset.marsadEnPlaceholder ?? i.getAttribute('placeholder');
      if (!labels[en]) return;
      i.dataset.marsadEnPlaceholder = en;
      if (i.getAttribute('placeholder') !== labels[en]) i.setAttribute('placeholder', labels[en]);
    });
    document.querySelectorAll('[data-testid=stTooltipContent] p').forEach(p => {
      const n = p.firstChild;
      if (p.childNodes.length === 1 && n.nodeType === 3 && labels[n.nodeValue]) n.nodeValue = labels[n.nodeValue];
    });
  };
  window.__marsadNames?.disconnect();
  name();
  window.__marsadNames = new MutationObserver(name);
  window.__marsadNames.observe(document.body, {childList: true, subtree: true});
})();</script>"""


def _js(value) -> str:
    """A JSON literal that cannot close the script element."""
    return json.dumps(value).replace("<", "\\u003c")


def chrome_script(lang: str, _) -> None:
    """Give the page's language to the document, and the skip link, Streamlit's chart button, the data
    grid's toolbar, the calendar button and help icons their translated accessible names for screen readers (CSS changes what is drawn, not what is read)."""
    names = {t: _(t) for t in STREAMLIT_CHART_BUTTONS}
    labels = {t: _(t) for t in (*STREAMLIT_LABELS, *SCREEN_READER_TEXTS)}
    skip = _("Skip to main content") if lang != "en" else ""
    values = {
        "lang": lang,
        "skip": skip,
        "names": names,
        "labels": labels,
        "help": _(HELP_FOR, label="{label}"),
    }
    st.html(
        SCRIPT % {k: _js(v) for k, v in values.items()},
        unsafe_allow_javascript=True,
    )
