"""The one shape every data problem takes (Problem), the one collector (Problems), and the errors for unreadable files."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import MarsadError
from ..i18n import LANGS, fmt_number, gettext, norm_lang
from .codes import (
    CODE,
    CODES,
    ERROR,
    ERROR_CODES,
    LABEL,
    LABELS,
    LINES,
    LIST,
    LOCAL,
    N_,
    NUMBER,
    SUMMARY,
    SUMMARY_CODES,
    WARNING,
    WARNING_CODES,
)

__all__ = [
    "CODES",
    "ERROR_CODES",
    "MAX_LISTED",
    "SUMMARY_CODES",
    "WARNING_CODES",
    "Problem",
    "ProblemSpecError",
    "Problems",
    "UnreadableFile",
    "column_letter",
    "per_lang",
    "title",
]

# Problems listed per (file, sheet, code, column); the rest are counted in one `too-many-problems`.
MAX_LISTED = 50
LINES_LISTED = 20  # line numbers quoted in a message (mixed-encoding)
# Names a Problem takes for itself; a template parameter cannot use them.
_OWN = ("file", "sheet", "row", "column", "code", "variant", "severity", "lang")


class ProblemSpecError(TypeError):
    """A Problem built with an unknown code or variant, or other parameters than its template declares:
    a programming error, raised where the Problem is built."""


def per_lang(fn: Callable[[str], str]) -> dict[str, str]:
    """A `local` parameter: the text written by the caller in each language."""
    return {lang: fn(lang) for lang in LANGS}


def title(code: str, lang: str) -> str:
    """The short human title of a problem code in a language ("Not a number" for bad-number)."""
    spec = CODES.get(code)
    return gettext(spec.title, lang) if spec else code


def _fmt(kind: str, value, lang: str) -> str:
    if value is None:
        return "—"
    if kind == NUMBER:
        return fmt_number(value, lang)
    if kind == LABEL:
        return gettext(value, lang)
    if kind == LABELS:
        return ", ".join(gettext(v, lang) for v in value)
    if kind == LIST:
        return ", ".join(str(v) for v in value) or "—"
    if kind == LINES:
        shown = ", ".join(str(n) for n in value[:LINES_LISTED])
        return shown + (" …" if len(value) > LINES_LISTED else "")
    if kind == LOCAL:
        return value.get(norm_lang(lang), value.get("en", ""))
    if kind == CODE:
        return title(value, lang)
    return str(value)


class Rendered(str):
    """A message or title in the problem's own language that renders in another when called: `p.message("fr")`."""

    def __new__(cls, render: Callable[[str], str], lang: str):
        obj = super().__new__(cls, render(lang))
        obj._render = render
        return obj

    def __call__(self, lang: str | None = None) -> str:
        return str(self) if lang is None else self._render(lang)


class Problem:
    """One problem, located as a person sees it in Excel (row 1 = first line, column letter or name).

    Built with keyword arguments only, from a registered code and variant with exactly the parameters its
    template declares (loaders/problems/codes.py); anything else raises ProblemSpecError. The severity is the
    code's (a `too-many-problems` summary is given the severity of what it counts).
    """

    def __init__(
        self,
        *,
        file: str,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        variant: str = "",
        severity: str | None = None,
        lang: str = "en",
        **params,
    ):
        spec = CODES.get(code)
        if spec is None:
            raise ProblemSpecError(f"unknown problem code {code!r}")
        template = spec.templates.get(variant)
        if template is None:
            raise ProblemSpecError(f"problem {code!r} has no variant {variant!r}")
        missing = sorted(set(template.params) - set(params))
        extra = sorted(set(params) - set(template.params))
        if missing or extra:
            raise ProblemSpecError(
                f"problem {code}/{variant or 'default'}: missing {missing}, unexpected {extra}"
            )
        if spec.severity == SUMMARY:
            if severity not in (ERROR, WARNING):
                raise ProblemSpecError(f"{code} needs the severity of what it counts")
        elif severity not in (None, spec.severity):
            raise ProblemSpecError(f"{code} is always a {spec.severity}, not a {severity}")
        values = {
            "file": file,
            "sheet": sheet,
            "row": row,
            "column": column,
            "code": code,
            "variant": variant,
            "severity": severity or spec.severity,
            "lang": norm_lang(lang),
            "params": params,
        }
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        raise AttributeError("a Problem cannot be changed")

    def render(self, lang: str) -> str:
        template = CODES[self.code].templates[self.variant]
        values = {k: _fmt(kind, self.params[k], lang) for k, kind in template.params.items()}
        return gettext(template.msgid, lang, **values)  # user text isolated in Arabic

    @property
    def message(self) -> Rendered:
        """The message in the problem's language; `p.message("ar")` in another."""
        return Rendered(self.render, self.lang)

    @property
    def title(self) -> Rendered:
        """The code's short title (what pages show instead of the code); `p.title("fr")` in another."""
        return Rendered(lambda lang: title(self.code, lang), self.lang)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def _key(self) -> tuple:
        return (self.file, self.sheet, self.row, self.column, self.code, self.severity)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() == other._key() and str(self.message) == str(other.message)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        where = f"{self.file}!{self.sheet or ''}!{self.column or ''}{self.row or ''}"
        return f"Problem({self.code} at {where}: {self.message})"

    def as_dict(self, lang: str | None = None) -> dict:
        """Location, stable code, its title and message (in `lang`, default the problem's own)."""
        lang = lang or self.lang
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "title": title(self.code, lang),
            "message": self.render(lang),
            "severity": self.severity,
        }


class Problems:
    """The one collector: lists at most MAX_LISTED problems per (file, sheet, code, column) and counts the rest
    in one `too-many-problems` summary each. `file`, `sheet` and `lang` are the defaults of `add`."""

    def __init__(self, *, lang: str = "en", file: str | None = None, sheet: str | None = None):
        self.lang, self.file, self.sheet = norm_lang(lang), file, sheet
        self.items: list[Problem] = []
        self._listed: dict[tuple, int] = {}
        self._more: dict[tuple, tuple[int, str]] = {}  # key -> (count not listed, severity)

    def add(self, *, code: str, row: int | None = None, column: str | None = None, **kw) -> None:
        kw.setdefault("file", self.file)
        kw.setdefault("sheet", self.sheet)
        kw.setdefault("lang", self.lang)
        self.append(Problem(code=code, row=row, column=column, **kw))

    def append(self, problem: Problem) -> None:
        if problem.code in SUMMARY_CODES:  # already counted by the collector that made it
            self.items.append(problem)
            return
        key = (problem.file, problem.sheet, problem.code, problem.column)
        n = self._listed.get(key, 0)
        if n < MAX_LISTED:
            self._listed[key] = n + 1
            self.items.append(problem)
        else:
            self.count_more(problem.code, 1, file=problem.file, sheet=problem.sheet,
                            column=problem.column, severity=problem.severity)  # fmt: skip

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.append(p)

    def count_more(
        self,
        code: str,
        count: int,
        *,
        file: str | None = None,
        sheet: str | None = None,
        column: str | None = None,
        severity: str | None = None,
    ) -> None:
        """Problems found but never built (a query stopped at MAX_LISTED): counted in the summary."""
        if count <= 0:
            return
        key = (file if file is not None else self.file, sheet if sheet is not None else self.sheet,
               code, column)  # fmt: skip
        n, _sev = self._more.get(key, (0, severity))
        self._more[key] = (n + count, severity or CODES[code].severity)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.items)

    def done(self) -> list[Problem]:
        """Every listed problem, then one summary per (file, sheet, code, column) with unlisted ones."""
        out = list(self.items)
        for (file, sheet, code, column), (n, severity) in self._more.items():
            where = {"variant": "column", "where": column} if column else {}
            out.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    column=column,
                    code="too-many-problems",
                    severity=severity,
                    lang=self.lang,
                    count=n,
                    kind=code,
                    **where,
                )
            )
        return out


# ---------------------------------------------------------------------------------------------
# Unreadable input: one family of exceptions, each with a title a person reads


class UnreadableFile(MarsadError):
    """A file that cannot be read at all. Each subclass names why with a translated title; raised with
    `raise … from e` wherever another exception is the cause.

    The reason is both the message and the title, and it is known in the language the file was read in:
    `title` is that text, `title_in(lang)` (or `translated(_)`) says it in another."""

    msgid = N_("The file could not be read")

    def __init__(self, file: str, *, lang: str = "en", **params):
        self.file, self.lang = file, norm_lang(lang)
        super().__init__(self.msgid, **params)
        self.args = (f"{file}: {self.title_in('en')}",)

    def __reduce__(self):
        return (_rebuild, (type(self), self.file, self.lang, self.params))

    def title_in(self, lang: str) -> str:
        return gettext(self.msgid, lang, **self.params)

    @property
    def title(self) -> str:
        """The reason, in the language the file was read in."""
        return self.title_in(self.lang)

    def translated_title(self, _) -> str:
        return self.translated(_)

    def problem(self) -> Problem:
        """The same as an `unreadable-file` problem (for a result that lists problems)."""
        return Problem(file=self.file, code="unreadable-file", lang=self.lang,
                       reason=per_lang(self.title_in))  # fmt: skip


def _rebuild(cls, file, lang, params):
    return cls(file, lang=lang, **params)


# The kinds of unreadable file: a declarative list (one class each, so that callers catch them and a worker
# pickles them by name; all the behaviour is UnreadableFile's).


class FileNotOpened(UnreadableFile):
    msgid = N_("The file could not be opened")


class FileMissing(UnreadableFile):
    msgid = N_("The file does not exist")


class EmptyFile(UnreadableFile):
    msgid = N_("The file is empty")


class NotASpreadsheet(UnreadableFile):
    msgid = N_("This is not a CSV or Excel file")


class UnsupportedFileType(UnreadableFile):
    msgid = N_("Unsupported file type '{suffix}': use CSV or Excel (.xlsx, .xls)")


class UnknownEncoding(UnreadableFile):
    msgid = N_("The text encoding of this file could not be recognised")


class DamagedWorkbook(UnreadableFile):
    msgid = N_("The Excel file is damaged or is not an Excel file")


class ReaderFailed(UnreadableFile):
    msgid = N_("The file could not be read ({error})")


def column_letter(index: int) -> str:
    """0-based column index -> Excel letter (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
