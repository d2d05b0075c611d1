"""The registry of problem codes: each code's severity, short title and message templates with their parameters."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, SUMMARY = "error", "warning", "summary"

# How a parameter is written into a message (loaders.problems renders each kind in the reader's language).
TEXT = "text"  # as written (a cell's content, a code, a period): never translated
NUMBER = "number"  # a number in the language's format
LABEL = "label"  # an English msgid, translated
LABELS = "labels"  # a list of English msgids, translated and joined with ", "
LIST = "list"  # a list of texts joined with ", "
LINES = "lines"  # line numbers, the first 20 listed
LOCAL = (
    "local"  # {lang: text}: a text the caller wrote in every language (region names, "file, row 3")
)
CODE = "code"  # another problem code, shown as its title
PARAM_KINDS = {TEXT, NUMBER, LABEL, LABELS, LIST, LINES, LOCAL, CODE}


def N_(msgid: str) -> str:
    return msgid


@dataclass(frozen=True)
class Template:
    msgid: str  # English, with {named} parameters
    params: dict[str, str]  # name -> kind


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # error | warning | summary (a summary takes the severity of what it counts)
    title: str  # English msgid: what a page shows instead of the code
    templates: dict[str, Template]  # variant ("" by default) -> template


def T(msgid: str, **params: str) -> Template:
    return Template(msgid, params)


def _code(code: str, severity: str, title: str, *default: Template, **variants: Template) -> Code:
    templates = {"": default[0]} if default else {}
    templates.update({k.replace("_", "-"): v for k, v in variants.items()})
    return Code(code, severity, title, templates)


# The registry itself: a declarative table (one entry per code, its variants' templates beside it), long by
# design and alike in shape from entry to entry; the code that reads it is in loaders/problems/__init__.py.
_READERS = [
    _code(
        "missing-column",
        ERROR,
        N_("Missing column"),
        T("Missing column(s): {missing}. Columns found: {found}", missing=LABELS, found=LIST),
    ),
    _code(
        "ignored-column",
        WARNING,
        N_("Column ignored"),
        T("Column '{header}' is not recognised and was ignored", header=TEXT),
        repeat=T(
            "Column '{header}' repeats the {role} column and was ignored", header=TEXT, role=LABEL
        ),
        unnamed=T("Column {letter} has no header and was ignored", letter=TEXT),
    ),
    _code(
        "ignored-sheet",
        WARNING,
        N_("Sheet ignored"),
        T("Sheet '{name}' has no recognisable table and was ignored", name=TEXT),
        partial=T(
            "Sheet '{name}' looks like a table but lacks column(s): {missing}; it was ignored. "
            "Columns found: {found}",
            name=TEXT,
            missing=LABELS,
            found=LIST,
        ),
    ),
    _code(
        "missing-value",
        ERROR,
        N_("Missing value"),
        T("The value is missing (an empty cell is not a zero)"),
        indicator=T("The indicator is missing"),
        period=T("The period is missing"),
        stored=T("The value is missing"),
        written=T(
            "'{value}' is not a number: the value is not reported (write the number, or leave the row out)",
            value=TEXT,
        ),
    ),
    _code(
        "unknown-indicator",
        ERROR,
        N_("Unknown indicator"),
        T("Unknown indicator '{value}'", value=TEXT),
        suggest=T(
            "Unknown indicator '{value}': did you mean {suggestion}? Closest codes: {suggestions}",
            value=TEXT,
            suggestion=LOCAL,
            suggestions=LIST,
        ),
        stored=T("Unknown indicator {value}", value=TEXT),
    ),
    _code(
        "bad-period",
        ERROR,
        N_("Not a period"),
        T(
            "'{value}' is not a period (expected e.g. 2026-Q1, T1 2026, 1er trimestre 2026 or 2026)",
            value=TEXT,
        ),
        stored=T("Period {value} is not of the form YYYY or YYYY-Qn", value=TEXT),
    ),
    _code(
        "old-region",
        ERROR,
        N_("Former region"),
        T(
            "'{value}' is a region of the pre-2015 division (16 regions) and cannot be mapped to the current 12 regions",
            value=TEXT,
        ),
    ),
    _code(
        "unknown-region",
        ERROR,
        N_("Unknown region"),
        T("Unknown region '{value}'", value=TEXT),
        suggest=T(
            "Unknown region '{value}': did you mean {suggestion}?", value=TEXT, suggestion=LOCAL
        ),
        stored=T("Unknown region {value}", value=TEXT),
    ),
    _code(
        "bad-number",
        ERROR,
        N_("Not a number"),
        T("'{value}' is not a number", value=TEXT),
        milestone=T(
            "{indicator} is a milestone: its value is 0 (not done) or 1 (done), not {value}",
            indicator=TEXT,
            value=NUMBER,
        ),
    ),
    _code(
        "total-row",
        WARNING,
        N_("Total row"),
        T(
            "Total row '{label}' skipped: it is not a region, and without its indicator and period it is not stored",
            label=TEXT,
        ),
        subtotal=T("Subtotal row '{label}' skipped: a subtotal is never stored", label=TEXT),
        stored=T("Total row: stored as the national value, not as a region"),
    ),
    _code(
        "total-mismatch",
        ERROR,
        N_("Total differs from the regions"),
        T(
            "The total {total} differs from the sum of the regions {sum} ({indicator}, {period})",
            total=NUMBER,
            sum=NUMBER,
            indicator=TEXT,
            period=TEXT,
        ),
    ),
    _code(
        "footnote-stripped",
        WARNING,
        N_("Footnote mark removed"),
        T(
            "Footnote mark {mark} removed from '{value}' and kept as a comment",
            mark=TEXT,
            value=TEXT,
        ),
    ),
    _code(
        "percent-scaled",
        WARNING,
        N_("Percentage cells"),
        T(
            "{count} cells of this column are formatted as percentages in Excel ({value} shows as {shown}%): stored as {shown}, in %",
            count=NUMBER,
            value=NUMBER,
            shown=NUMBER,
        ),
    ),
    _code(
        "ambiguous-number",
        WARNING,
        N_("Ambiguous number"),
        T(
            "Numbers like '{value}' in this column are ambiguous: read as {number} (thousands separator)",
            value=TEXT,
            number=TEXT,
        ),
        hint=T(
            "Numbers like '{value}' in this column are ambiguous: read as {number}, as usual in the language of the headers",
            value=TEXT,
            number=TEXT,
        ),
    ),
    _code(
        "skipped-row",
        WARNING,
        N_("Row skipped"),
        T(
            "Row skipped: its only cell '{text}' was read as a title, heading or note, not as data",
            text=TEXT,
        ),
    ),
    _code(
        "mixed-encoding",
        WARNING,
        N_("Mixed text encodings"),
        T(
            "This file mixes text encodings: lines {lines} are in {encoding}, the others in UTF-8. Each line was read in its own encoding; check the text of these lines, and save the file again as UTF-8",
            lines=LINES,
            encoding=TEXT,
        ),
    ),
    _code(
        "no-data",
        ERROR,
        N_("No data"),
        T("No values found in this file"),
        upload=T("No values were found in the files"),
    ),
    _code("unreadable-file", ERROR, N_("Unreadable file"), T("{reason}", reason=LOCAL)),
]

_UPLOAD = [
    _code(
        "region-not-allowed",
        ERROR,
        N_("Region not allowed"),
        T(
            "{indicator} is reported for Morocco as a whole: a value for the region {region} is not allowed",
            indicator=TEXT,
            region=LOCAL,
        ),
    ),
    _code(
        "out-of-range",
        ERROR,
        N_("Value out of range"),
        T(
            "{value} is outside the range of {indicator} in {unit}: {range}",
            value=NUMBER,
            indicator=TEXT,
            unit=LOCAL,
            range=LOCAL,
        ),
        unusable=T(
            "{value} is not a usable number: infinite, or larger than {limit} in absolute value",
            value=TEXT,
            limit=TEXT,
        ),
    ),
    _code(
        "not-whole",
        ERROR,
        N_("Not a whole number"),
        T(
            "{indicator} counts whole {unit}: {value} is not a whole number",
            indicator=TEXT,
            unit=LOCAL,
            value=LOCAL,
        ),
    ),
    _code(
        "future-period",
        ERROR,
        N_("Future period"),
        T(
            "Period {period} has not started yet: only observed values can be loaded, not forecasts or targets",
            period=TEXT,
        ),
    ),
    _code(
        "conflicting-duplicate",
        ERROR,
        N_("Conflicting values"),
        T(
            "{key} is given more than once with different values: {value} here, {other_value} in {other}",
            key=LOCAL,
            value=NUMBER,
            other_value=NUMBER,
            other=LOCAL,
        ),
    ),
    _code(
        "duplicate-key",
        WARNING,
        N_("Value given twice"),
        T(
            "{key} is given again with the same value as in {other}: kept once",
            key=LOCAL,
            other=LOCAL,
        ),
    ),
    _code(
        "unit-mismatch",
        ERROR,
        N_("Unit mismatch"),
        T(
            "Unit {unit} does not match the catalog unit of {indicator} ({expected}); rows concerned: {count}",
            unit=TEXT,
            indicator=TEXT,
            expected=TEXT,
            count=NUMBER,
        ),
    ),
    _code(
        "sudden-jump",
        WARNING,
        N_("Sudden jump"),
        T(
            "{key}: {value} against {other} for {period}, a change by a factor of more than {factor}; check the unit (thousands or units?)",
            key=LOCAL,
            value=NUMBER,
            other=NUMBER,
            period=TEXT,
            factor=TEXT,
        ),
    ),
]

_LIMITS = [
    _code(
        "file-too-large",
        ERROR,
        N_("File too large"),
        T("The file is {size} MB; files up to {limit} MB are accepted", size=LOCAL, limit=TEXT),
    ),
    _code(
        "archive-too-large",
        ERROR,
        N_("Workbook too large"),
        T(
            "The workbook expands to {size} MB; at most {limit} MB is accepted",
            size=LOCAL,
            limit=TEXT,
        ),
        part=T(
            "The workbook's part '{part}' expands to {size} MB; at most {limit} MB is accepted",
            part=TEXT,
            size=LOCAL,
            limit=TEXT,
        ),
    ),
    _code(
        "archive-ratio",
        ERROR,
        N_("Workbook over-compressed"),
        T(
            "The workbook is compressed {ratio} times (part '{part}'): this is how a file made to exhaust memory looks; at most {limit} times is accepted",
            ratio=TEXT,
            part=TEXT,
            limit=TEXT,
        ),
    ),
    _code(
        "archive-members",
        ERROR,
        N_("Too many parts in the workbook"),
        T(
            "The workbook has {count} internal parts; at most {limit} are accepted",
            count=TEXT,
            limit=TEXT,
        ),
    ),
    _code(
        "archive-size-mismatch",
        ERROR,
        N_("Damaged workbook"),
        T(
            "The workbook's part '{part}' is larger than its archive says: the file is damaged or made to exhaust memory",
            part=TEXT,
        ),
    ),
    _code(
        "too-many-cells",
        ERROR,
        N_("Too many cells"),
        T(
            "The file has {cells} cells (rows × columns); at most {limit} are accepted per file",
            cells=NUMBER,
            limit=NUMBER,
        ),
        sheet=T(
            "The sheet has {cells} cells (rows × columns); at most {limit} are accepted per sheet",
            cells=NUMBER,
            limit=NUMBER,
        ),
    ),
    _code(
        "worker-timeout",
        ERROR,
        N_("Reading took too long"),
        T(
            "Reading the files took longer than {seconds} s and was stopped; nothing was written. Split the files or send fewer rows at once",
            seconds=TEXT,
        ),
    ),
    _code(
        "worker-memory",
        ERROR,
        N_("Reading needed too much memory"),
        T(
            "Reading the files needed more than {mb} MB of memory and was stopped; nothing was written. Split the files or send fewer rows at once",
            mb=TEXT,
        ),
    ),
    _code(
        "worker-failed",
        ERROR,
        N_("Reading failed"),
        T("The files could not be checked (the reading process failed); nothing was written"),
    ),
]

# The catalog files are written by the maintainers; pydantic explains a refused field in English.
_CATALOG = [
    _code(
        "catalog-unknown-field",
        ERROR,
        N_("Unknown catalog column"),
        T("unknown column '{name}'", name=TEXT),
    ),
    _code(
        "catalog-field",
        ERROR,
        N_("Wrong catalog value"),
        T("{detail}", detail=TEXT),
        missing=T("missing value"),
        file=T("file is missing"),
        duplicate=T("duplicate code {value}", value=TEXT),
        repeated=T("{what} is already on row {first}", what=TEXT, first=TEXT),
        published=T("published {date} is after today ({today})", date=TEXT, today=TEXT),
        edition=T("edition {edition} is in the future", edition=TEXT),
        range=T("{value} {why}", value=TEXT, why=LABEL),
        range_unit=T("{value} {why} ({unit})", value=TEXT, why=LABEL, unit=TEXT),
    ),
    _code(
        "catalog-reference",
        ERROR,
        N_("Broken catalog reference"),
        T("{detail}", detail=TEXT),
        pillar=T("pillar {pillar} is not in pillars.csv", pillar=TEXT),
        indicator=T("indicator {indicator} is not in indicators.csv", indicator=TEXT),
        national=T("{indicator} is not reported by region", indicator=TEXT),
        region=T("region {region} is not in regions.csv", region=TEXT),
        unit=T("unit '{unit}' is not in {units_file}", unit=TEXT, units_file=TEXT),
        rank=T("{indicator} is not a rank (unit {unit})", indicator=TEXT, unit=TEXT),
    ),
]

_SUMMARY = [
    _code(
        "too-many-problems",
        SUMMARY,
        N_("More problems not listed"),
        T("{count} more problems of the kind '{kind}' are not listed", count=NUMBER, kind=CODE),
        column=T(
            "{count} more problems of the same kind ('{kind}') in column {where} are not listed",
            count=NUMBER,
            kind=CODE,
            where=TEXT,
        ),
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _READERS + _UPLOAD + _LIMITS + _CATALOG + _SUMMARY}
ERROR_CODES = frozenset(c for c, spec in CODES.items() if spec.severity == ERROR)
WARNING_CODES = frozenset(c for c, spec in CODES.items() if spec.severity == WARNING)
SUMMARY_CODES = frozenset(c for c, spec in CODES.items() if spec.severity == SUMMARY)
