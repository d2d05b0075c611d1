"""A small OpenDocument spreadsheet (.ods) writer with the subset of xlsxwriter's API the template uses."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

# Why not a package: odfpy only builds raw ODF elements (the XML below would be written anyway) and
# pyexcel-ods3 keeps neither dropdowns nor right-to-left sheets. The standard library writes the few
# parts a spreadsheet app needs, and the .ods is built the same way with or without LibreOffice.

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'office:version="1.3"'
)
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Excel formula tokens: a string, a (sheet-qualified) cell or range reference, a separator.
_TOKEN = re.compile(
    r'(?P<str>"(?:[^"]|"")*")'
    r"|(?P<ref>(?<![\w.$])(?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*)!)?"
    r"(?P<a>\$?[A-Z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Z]{1,3}\$?\d+))?)(?![\w(])"
    r"|(?P<bool>\b(?:TRUE|FALSE)\b)(?!\s*\()"
    r"|(?P<sep>,)"
)
_CRITERIA = {
    "between": "between",
    "not between": "not between",
    "equal to": "=",
    "==": "=",
    "=": "=",
    "not equal to": "!=",
    "!=": "!=",
    "<>": "!=",
    "greater than": ">",
    ">": ">",
    "less than": "<",
    "<": "<",
    "greater than or equal to": ">=",
    ">=": ">=",
    "less than or equal to": "<=",
    "<=": "<=",
}
_TYPE_TEST = {
    "integer": "cell-content-is-whole-number()",
    "decimal": "cell-content-is-decimal-number()",
    "date": "cell-content-is-date()",
    "time": "cell-content-is-time()",
    "length": None,
}


def sheet_ref(name: str) -> str:
    """A sheet name as OpenFormula writes it ('IA2030-IMP' quoted, lists bare)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def excel_to_of(formula: str) -> str:
    """An Excel formula (A1 references, commas) in OpenFormula syntax: '=IF(A4="",1,2)' -> 'of:=IF([.A4]="";1;2)'."""

    def token(m: re.Match) -> str:
        if m["str"]:
            return m["str"]
        if m["sep"]:
            return ";"
        if m["bool"]:
            return m["bool"] + "()"
        sheet = m["sheet"]
        prefix = (
            "$" + sheet_ref(sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet)
            if sheet
            else ""
        )
        out = f"{prefix}.{m['a']}"
        if m["b"]:
            out += f":.{m['b']}"
        return f"[{out}]"

    return "of:=" + _TOKEN.sub(token, formula.lstrip("="))


def _range(ref: str) -> str:
    """'=lists!$A$1:$A$35' -> '[$lists.$A$1:.$A$35]' (an xlsxwriter range for a list or a defined name)."""
    return excel_to_of(ref)[len("of:=") :]


def _col_letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text_p(text: str) -> str:
    """Cell text as <text:p> paragraphs; runs of spaces kept (ODF collapses them otherwise)."""

    def spaces(m: re.Match) -> str:
        n = len(m[0]) - 1
        return " " + (f'<text:s text:c="{n}"/>' if n > 1 else "<text:s/>")

    out = []
    for line in text.split("\n"):
        line = escape(line).replace("\t", "<text:tab/>")
        out.append("<text:p>" + re.sub(r"  +", spaces, line) + "</text:p>")
    return "".join(out)


def _number(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


class Format:
    """Cell formatting, given as xlsxwriter's format properties."""

    def __init__(self, props: dict | None = None):
        self.props = dict(props or {})

    def set_bold(self, on: bool = True) -> None:
        self.props["bold"] = on

    def key(self) -> tuple:
        return tuple(sorted((k, str(v)) for k, v in self.props.items()))

    def xml(self, name: str) -> str:
        p = self.props
        cell, txt = [], []
        if p.get("bg_color"):
            cell.append(f'fo:background-color="{p["bg_color"]}"')
        if p.get("border"):
            cell.append(f'fo:border="0.74pt solid {p.get("border_color", "#000000")}"')
        if p.get("text_wrap"):
            cell.append('fo:wrap-option="wrap"')
        valign = {"top": "top", "vcenter": "middle", "bottom": "bottom"}.get(p.get("valign", ""))
        if valign:
            cell.append(f'style:vertical-align="{valign}"')
        # Arabic is "complex" script text: it takes the -complex variants of each property.
        if p.get("bold"):
            txt += [
                f'{a}="bold"'
                for a in ("fo:font-weight", "style:font-weight-asian", "style:font-weight-complex")
            ]
        if p.get("italic"):
            txt += [
                f'{a}="italic"'
                for a in ("fo:font-style", "style:font-style-asian", "style:font-style-complex")
            ]
        if p.get("font_size"):
            txt += [
                f'{a}="{p["font_size"]}pt"'
                for a in ("fo:font-size", "style:font-size-asian", "style:font-size-complex")
            ]
        if p.get("font_color"):
            txt.append(f'fo:color="{p["font_color"]}"')
        parts = [
            f'<style:style style:name="{name}" style:family="table-cell" style:parent-style-name="Default">'
        ]
        if cell:
            parts.append(f"<style:table-cell-properties {' '.join(cell)}/>")
        if txt:
            parts.append(f"<style:text-properties {' '.join(txt)}/>")
        parts.append("</style:style>")
        return "".join(parts)


class Worksheet:
    """One sheet: cells, column widths, row heights, dropdowns, direction, visibility, frozen panes."""

    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], tuple[str, object, Format | None, object]] = {}
        self.columns: dict[int, tuple[float | None, Format | None]] = {}
        self.heights: dict[int, float] = {}
        self.validations: list[tuple[int, int, int, int, dict]] = []
        self.rtl = False
        self.hidden = False
        self.frozen: tuple[int, int] | None = None

    # -- xlsxwriter's writing methods ------------------------------------------------------------
    def write(self, row: int, col: int, value=None, fmt: Format | None = None, *_):
        if value is None or value == "":
            return self.write_blank(row, col, value, fmt)
        if isinstance(value, bool):
            return self.write_boolean(row, col, value, fmt)
        if isinstance(value, (int, float)):
            return self.write_number(row, col, value, fmt)
        if isinstance(value, str) and value.startswith("="):
            return self.write_formula(row, col, value, fmt)
        return self.write_string(row, col, str(value), fmt)

    def write_string(self, row: int, col: int, value: str, fmt: Format | None = None):
        self.cells[row, col] = ("string", value, fmt, None)

    def write_number(self, row: int, col: int, value: float, fmt: Format | None = None):
        self.cells[row, col] = ("float", float(value), fmt, None)

    def write_boolean(self, row: int, col: int, value: bool, fmt: Format | None = None):
        self.cells[row, col] = ("boolean", bool(value), fmt, None)

    def write_blank(self, row: int, col: int, _value=None, fmt: Format | None = None):
        if fmt is not None:
            self.cells[row, col] = ("blank", None, fmt, None)

    def write_formula(self, row: int, col: int, formula: str, fmt: Format | None = None, value=0):
        self.cells[row, col] = ("formula", value, fmt, excel_to_of(formula))

    def write_row(self, row: int, col: int, data, fmt: Format | None = None):
        for i, v in enumerate(data):
            self.write(row, col + i, v, fmt)

    def write_column(self, row: int, col: int, data, fmt: Format | None = None):
        for i, v in enumerate(data):
            self.write(row + i, col, v, fmt)

    def set_column(self, first: int, last: int, width: float | None = None, fmt=None, *_):
        for c in range(first, last + 1):
            self.columns[c] = (width, fmt)

    def set_row(self, row: int, height: float | None = None, fmt=None, *_):
        if height is not None:
            self.heights[row] = height

    def freeze_panes(self, row: int, col: int):
        self.frozen = (row, col)

    def right_to_left(self):
        self.rtl = True

    def hide(self):
        self.hidden = True

    def data_validation(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict
    ):
        self.validations.append((first_row, first_col, last_row, last_col, dict(options)))


def _condition(opts: dict) -> str:
    kind = opts["validate"]
    if kind == "list":
        src = opts["source"]
        if isinstance(src, str):
            items = _range(src)
        else:
            items = ";".join('"' + str(v).replace('"', '""') + '"' for v in src)
        return f"of:cell-content-is-in-list({items})"
    if (
        kind == "custom"
    ):  # a formula true for an accepted cell, relative to the base cell as in Excel
        return f"of:is-true-formula({excel_to_of(opts['value'])[len('of:=') :]})"
    if kind not in _TYPE_TEST:
        raise ValueError(f"data validation type {kind!r} is not supported in .ods")

    def operand(v) -> str:
        if isinstance(v, str):
            return _range(v) if v.startswith("=") else '"' + v.replace('"', '""') + '"'
        return _number(v)

    crit = _CRITERIA[opts.get("criteria", "between")]
    if kind == "length":
        subject, test = "cell-content-text-length", None
    else:
        subject, test = "cell-content", _TYPE_TEST[kind]
    if crit in ("between", "not between"):
        fn = "is-between" if crit == "between" else "is-not-between"
        # the condition syntax separates these two arguments with a comma, not OpenFormula's ";"
        cond = f"{subject}-{fn}({operand(opts['minimum'])},{operand(opts['maximum'])})"
    else:
        cond = f"{subject}(){crit}{operand(opts['value'])}"
    return "of:" + (f"{test} and {cond}" if test else cond)


def _validation_xml(name: str, sheet: str, row: int, col: int, opts: dict) -> str:
    kind = {"stop": "stop", "warning": "warning", "information": "information"}[
        opts.get("error_type", "stop")
    ]
    attrs = (
        f'table:name="{name}" table:condition={quoteattr(_condition(opts))} '
        f'table:allow-empty-cell="{"true" if opts.get("ignore_blank", True) else "false"}" '
        f"table:base-cell-address={quoteattr(f'{sheet_ref(sheet)}.{_col_letter(col)}{row + 1}')}"
    )
    if opts["validate"] == "list":
        shown = "unsorted" if opts.get("dropdown", True) else "none"
        attrs += f' table:display-list="{shown}"'
    help_ = ""
    if opts.get("input_title") or opts.get("input_message"):
        help_ = (
            f"<table:help-message table:title={quoteattr(opts.get('input_title', ''))} "
            f'table:display="true">{_text_p(opts.get("input_message", ""))}</table:help-message>'
        )
    show = "true" if opts.get("show_error", True) else "false"
    err = (
        f'<table:error-message table:message-type="{kind}" '
        f'table:title={quoteattr(opts.get("error_title", ""))} table:display="{show}">'
        f"{_text_p(opts.get('error_message', ''))}</table:error-message>"
    )
    return f"<table:content-validation {attrs}>{help_}{err}</table:content-validation>"


class _AutoStyles:
    """The automatic styles of content.xml, each distinct one written once and named in order."""

    def __init__(self):
        self.xml: list[str] = []
        self._cells: dict[tuple, str] = {}
        self._named: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def cell(self, fmt: Format | None) -> str | None:
        if fmt is None or not fmt.props:
            return None
        key = fmt.key()
        if key not in self._cells:
            self._cells[key] = f"ce{len(self._cells) + 1}"
            self.xml.append(fmt.xml(self._cells[key]))
        return self._cells[key]

    def named(self, kind: str, family: str, props: str) -> str:
        """The style of a table, column or row (`kind` "ta", "co", "ro") with these properties."""
        if (kind, props) not in self._named:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._named[kind, props] = name = f"{kind}{self._counts[kind]}"
            self.xml.append(
                f'<style:style style:name="{name}" style:family="{family}">{props}</style:style>'
            )
        return self._named[kind, props]


def _columns_xml(ws: Worksheet, n_cols: int, styles: _AutoStyles) -> list[str]:
    """The <table:table-column> elements: widths and default cell styles."""
    parts = []
    for c in range(n_cols):
        width, fmt = ws.columns.get(c, (None, None))
        attrs = ""
        if width is not None:
            inches = (width * 7 + 5) / 96  # Excel's character width at 96 dpi
            co = styles.named(
                "co",
                "table-column",
                f'<style:table-column-properties style:column-width="{inches:.4f}in"/>',
            )
            attrs += f' table:style-name="{co}"'
        ce = styles.cell(fmt)
        if ce:
            attrs += f' table:default-cell-style-name="{ce}"'
        parts.append(f"<table:table-column{attrs}/>")
    if not n_cols:
        parts.append("<table:table-column/>")
    return parts


class Workbook:
    """xlsxwriter.Workbook's interface, writing an .ods file (a path or a binary file object)."""

    def __init__(self, target: str | os.PathLike | BinaryIO, options: dict | None = None):
        self.target = target
        self.sheets: list[Worksheet] = []
        self.names: list[tuple[str, str]] = []

    def add_format(self, props: dict | None = None) -> Format:
        return Format(props)

    def add_worksheet(self, name: str | None = None) -> Worksheet:
        ws = Worksheet(name or f"Sheet{len(self.sheets) + 1}")
        self.sheets.append(ws)
        return ws

    def define_name(self, name: str, formula: str) -> None:
        self.names.append((name, formula))

    def close(self) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            # The mimetype comes first and uncompressed: that is how an app recognises the format.
            z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
            z.writestr("META-INF/manifest.xml", self._manifest())
            z.writestr("styles.xml", self._styles())
            z.writestr("content.xml", self._content())
            z.writestr("settings.xml", self._settings())
        data = buf.getvalue()
        if hasattr(self.target, "write"):
            self.target.write(data)
        else:
            Path(self.target).write_bytes(data)

    # -- parts -------------------------------------------------------------------------------------
    @staticmethod
    def _manifest() -> str:
        files = ["content.xml", "styles.xml", "settings.xml"]
        entries = "".join(
            f'<manifest:file-entry manifest:full-path="{f}" manifest:media-type="text/xml"/>'
            for f in files
        )
        return (
            f'{_XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            f'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
            f'manifest:media-type="{MIMETYPE}"/>{entries}</manifest:manifest>'
        )

    @staticmethod
    def _styles() -> str:
        return (
            f"{_XML}<office:document-styles {_NS}><office:styles>"
            '<style:style style:name="Default" style:family="table-cell"/>'
            "</office:styles></office:document-styles>"
        )

    def _settings(self) -> str:
        tables = []
        for ws in self.sheets:
            row, col = ws.frozen or (0, 0)
            items = {
                "HorizontalSplitMode": ("short", 2 if col else 0),
                "VerticalSplitMode": ("short", 2 if row else 0),
                "HorizontalSplitPosition": ("int", col),
                "VerticalSplitPosition": ("int", row),
                "ActiveSplitRange": ("short", 2),
                "PositionLeft": ("int", 0),
                "PositionRight": ("int", col),
                "PositionTop": ("int", 0),
                "PositionBottom": ("int", row),
            }
            body = "".join(
                f'<config:config-item config:name="{k}" config:type="{t}">{v}</config:config-item>'
                for k, (t, v) in items.items()
            )
            tables.append(
                f"<config:config-item-map-entry config:name={quoteattr(ws.name)}>{body}"
                "</config:config-item-map-entry>"
            )
        active = next((ws.name for ws in self.sheets if not ws.hidden), "")
        return (
            f"{_XML}<office:document-settings {_NS}><office:settings>"
            '<config:config-item-set config:name="ooo:view-settings">'
            '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
            '<config:config-item config:name="ViewId" config:type="string">view1</config:config-item>'
            f'<config:config-item config:name="ActiveTable" config:type="string">{escape(active)}'
            "</config:config-item>"
            f'<config:config-item-map-named config:name="Tables">{"".join(tables)}'
            "</config:config-item-map-named></config:config-item-map-entry>"
            "</config:config-item-map-indexed></config:config-item-set>"
            "</office:settings></office:document-settings>"
        )

    def _content(self) -> str:
        styles = _AutoStyles()
        validations: list[str] = []
        tables = [self._table(ws, styles, validations) for ws in self.sheets]
        names = "".join(
            f"<table:named-range table:name={quoteattr(n)} "
            f"table:base-cell-address={quoteattr(_range(f).strip('[]').split(':')[0])} "
            f"table:cell-range-address={quoteattr(_range(f).strip('[]'))}/>"
            for n, f in self.names
        )
        return (
            f"{_XML}<office:document-content {_NS}>"
            f"<office:automatic-styles>{''.join(styles.xml)}</office:automatic-styles>"
            "<office:body><office:spreadsheet>"
            + (
                f"<table:content-validations>{''.join(validations)}</table:content-validations>"
                if validations
                else ""
            )
            + "".join(tables)
            + (f"<table:named-expressions>{names}</table:named-expressions>" if names else "")
            + "</office:spreadsheet></office:body></office:document-content>"
        )

    def _table(self, ws: Worksheet, styles: _AutoStyles, validations: list[str]) -> str:
        """One sheet's <table:table>; its dropdowns are appended to `validations`."""
        shown = "false" if ws.hidden else "true"
        mode = "rl-tb" if ws.rtl else "lr-tb"
        ta = styles.named(
            "ta",
            "table",
            f'<style:table-properties table:display="{shown}" style:writing-mode="{mode}"/>',
        )
        # Each dropdown range gets one validation; a cell takes the last range that covers it.
        valid: dict[tuple[int, int], str] = {}
        for r1, c1, r2, c2, opts in ws.validations:
            name = f"val{len(validations) + 1}"
            validations.append(_validation_xml(name, ws.name, r1, c1, opts))
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    valid[r, c] = name
        used = list(ws.cells) + list(valid)
        n_rows = max((r for r, _ in used), default=-1) + 1
        n_cols = max([c for _, c in used] + list(ws.columns), default=-1) + 1
        parts = [f'<table:table table:name={quoteattr(ws.name)} table:style-name="{ta}">']
        parts += _columns_xml(ws, n_cols, styles)
        by_row: dict[int, list[int]] = {}
        for r, c in used:
            by_row.setdefault(r, []).append(c)
        empty_run = 0
        for r in range(max(n_rows, 1)):
            if r not in by_row and r not in ws.heights:
                empty_run += 1
                continue
            if empty_run:
                parts.append(
                    f'<table:table-row table:number-rows-repeated="{empty_run}">'
                    "<table:table-cell/></table:table-row>"
                )
                empty_run = 0
            parts.append(self._row(ws, r, max(by_row.get(r, [0])), valid, styles))
        if empty_run:  # an empty sheet still has one row
            parts.append("<table:table-row><table:table-cell/></table:table-row>")
        parts.append("</table:table>")
        return "".join(parts)

    def _row(self, ws: Worksheet, r: int, last: int, valid: dict, styles: _AutoStyles) -> str:
        """One <table:table-row> up to column `last`, runs of blank cells written once."""
        attrs = ""
        if r in ws.heights:
            ro = styles.named(
                "ro",
                "table-row",
                f'<style:table-row-properties style:row-height="{ws.heights[r]}pt" '
                'style:use-optimal-row-height="false"/>',
            )
            attrs = f' table:style-name="{ro}"'
        parts = [f"<table:table-row{attrs}>"]
        blanks = 0
        for c in range(last + 1):
            xml = self._cell(ws.cells.get((r, c)), valid.get((r, c)), styles.cell)
            if xml == "<table:table-cell/>":
                blanks += 1
                continue
            if blanks:
                parts.append(
                    f'<table:table-cell table:number-columns-repeated="{blanks}"/>'
                    if blanks > 1
                    else "<table:table-cell/>"
                )
                blanks = 0
            parts.append(xml)
        if blanks:
            parts.append("<table:table-cell/>")
        parts.append("</table:table-row>")
        return "".join(parts)

    @staticmethod
    def _cell(cell, validation: str | None, cell_style) -> str:
        attrs = ""
        if cell is not None and (ce := cell_style(cell[2])):
            attrs += f' table:style-name="{ce}"'
        if validation:
            attrs += f' table:content-validation-name="{validation}"'
        if cell is None or cell[0] == "blank":
            return f"<table:table-cell{attrs}/>"
        kind, value, _fmt, formula = cell
        if formula:
            attrs += f" table:formula={quoteattr(formula)}"
            if isinstance(value, bool):
                kind = "boolean"
            elif isinstance(value, (int, float)):
                kind = "float"
            elif value:
                kind, value = "string", str(value)
            else:  # an empty result: what Calc writes for a formula that shows nothing
                return f"<table:table-cell{attrs}><text:p/></table:table-cell>"
        if kind == "string":
            if formula:
                attrs += f" office:string-value={quoteattr(value)}"
            return f'<table:table-cell{attrs} office:value-type="string">{_text_p(value)}</table:table-cell>'
        if kind == "boolean":
            v = "true" if value else "false"
            return (
                f'<table:table-cell{attrs} office:value-type="boolean" office:boolean-value="{v}">'
                f"<text:p>{v.upper()}</text:p></table:table-cell>"
            )
        num = _number(value)
        return (
            f'<table:table-cell{attrs} office:value-type="float" office:value="{num}">'
            f"<text:p>{num}</text:p></table:table-cell>"
        )
