"""Size limits for files people send: archive checks before any parse, cell caps, upload size (env-overridable)."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, fields
from pathlib import Path

from . import settings
from .i18n import fmt_number
from .problems import Problem, per_lang

_MB = 1024 * 1024
# A small member may compress very well (a header-only sheet, an empty styles part): the ratio limit
# only means something past this size.
_RATIO_FLOOR = 1 * _MB
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


@dataclass(frozen=True)
class Limits:
    """Every limit, with its default; each can be changed with the environment variable in `ENV`."""

    upload_mb: int = 50  # one uploaded file, as received (Streamlit's server.maxUploadSize matches)
    member_mb: int = 256  # one part of an .xlsx/.ods archive, uncompressed (a sheet's XML)
    unzipped_mb: int = 512  # all parts of one archive together, uncompressed
    ratio: int = 100  # uncompressed / compressed size of one part (real sheets: 5-20)
    members: int = 2000  # parts in one archive
    sheet_cells: int = 20_000_000  # rows × columns of one sheet
    file_cells: int = 40_000_000  # rows × columns of all sheets of one file
    worker_mb: int = 2048  # memory of the process that reads an upload from the page
    worker_seconds: int = 120  # time it may take


ENV = {
    "upload_mb": "MARSAD_MAX_UPLOAD_MB",
    "member_mb": "MARSAD_MAX_MEMBER_MB",
    "unzipped_mb": "MARSAD_MAX_UNZIPPED_MB",
    "ratio": "MARSAD_MAX_RATIO",
    "members": "MARSAD_MAX_MEMBERS",
    "sheet_cells": "MARSAD_MAX_SHEET_CELLS",
    "file_cells": "MARSAD_MAX_FILE_CELLS",
    "worker_mb": "MARSAD_WORKER_MB",
    "worker_seconds": "MARSAD_WORKER_SECONDS",
}


def limits() -> Limits:
    """The limits in force now (read from the environment on every call, so a test or a deployment can set them)."""
    # loaders/settings.py declares each one; a mistyped value keeps the safe default rather than lifting it
    return Limits(**{f.name: max(int(settings.get(ENV[f.name])), 1) for f in fields(Limits)})


def _mb(n: int, lang: str) -> str:
    return fmt_number(round(n / _MB, 1), lang, 1)


def _problem(file: str, sheet: str | None, code: str, lang: str, **params) -> Problem:
    return Problem(file=file, sheet=sheet, code=code, lang=lang, **params)


def _size(n: int) -> dict[str, str]:
    return per_lang(lambda lang: _mb(n, lang))


def check_size(
    size: int, file: str, *, lang: str = "en", lim: Limits | None = None
) -> list[Problem]:
    """An uploaded file's size against `upload_mb`."""
    lim = lim or limits()
    if size <= lim.upload_mb * _MB:
        return []
    return [_problem(file, None, "file-too-large", lang, size=_size(size), limit=lim.upload_mb)]


def check_workbook(
    path: Path, file: str | None = None, *, lang: str = "en", lim: Limits | None = None
) -> list[Problem]:
    """An .xlsx/.ods archive checked from its directory before any parse: one problem, or none.

    Sizes come from the zip directory. A directory can lie about them, so every part is then inflated
    in small chunks without keeping anything, stopping as soon as it passes what the directory
    declared: the check costs constant memory and stops a bomb early.
    """
    path = Path(path)
    file = file or path.name
    lim = lim or limits()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # not an archive: the reader says what it is
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.members:
            return [
                _problem(file, None, "archive-members", lang, count=len(infos), limit=lim.members)
            ]
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > lim.member_mb * _MB:
                return [_too_large(file, info, lim, lang)]
            if info.file_size > _RATIO_FLOOR and info.file_size > lim.ratio * max(
                info.compress_size, 1
            ):
                return [
                    _problem(
                        file,
                        None,
                        "archive-ratio",
                        lang,
                        ratio=info.file_size // max(info.compress_size, 1),
                        part=info.filename,
                        limit=lim.ratio,
                    )
                ]
        if total > lim.unzipped_mb * _MB:
            return [
                _problem(
                    file, None, "archive-too-large", lang, size=_size(total), limit=lim.unzipped_mb
                )
            ]
        for info in infos:
            if not _inflates_as_declared(path, info):
                return [_problem(file, None, "archive-size-mismatch", lang, part=info.filename)]
        return _declared_cells(zf, file, lim, lang)


def _too_large(file: str, info: zipfile.ZipInfo, lim: Limits, lang: str) -> Problem:
    return Problem(
        file=file,
        code="archive-too-large",
        variant="part",
        lang=lang,
        part=info.filename,
        size=_size(info.file_size),
        limit=lim.member_mb,
    )


def _inflates_as_declared(path: Path, info: zipfile.ZipInfo) -> bool:
    """True when the part inflates to no more than the size its directory entry declares."""
    if info.is_dir() or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return True  # other methods: the readers refuse them
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size <= info.file_size
    # zipfile's own reader stops at the declared size, but the Excel reader (Rust) does not: inflate the
    # raw deflate stream ourselves, chunk by chunk, with a bounded output per step.
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if len(local) < 30 or local[:4] != b"PK\x03\x04" or info.flag_bits & 0x1:
            return True  # damaged or encrypted: the reader refuses it
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        remaining = info.compress_size
        d = zlib.decompressobj(-15)
        out = 0
        limit = info.file_size
        try:
            while remaining > 0 and out <= limit:
                chunk = fh.read(min(65536, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                buf = chunk
                while buf and out <= limit:
                    out += len(d.decompress(buf, 1 << 20))
                    buf = d.unconsumed_tail
            while out <= limit and not d.eof and (piece := d.decompress(b"", 1 << 20)):
                out += len(piece)
        except zlib.error:
            return True  # damaged stream: the reader reports a damaged file
    return out <= limit


def _declared_cells(zf: zipfile.ZipFile, file: str, lim: Limits, lang: str) -> list[Problem]:
    """Cells each .xlsx sheet declares (its <dimension>, in the first bytes of its XML), against the caps."""
    total = 0
    for info in zf.infolist():
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
            continue
        try:
            with zf.open(info) as f:
                head = f.read(4096)
        except (zlib.error, zipfile.BadZipFile, OSError, EOFError, ValueError):
            continue  # a damaged part: the reader reports the file as damaged
        m = _DIMENSION.search(head)
        if not m:
            continue
        if m[3]:
            rows = int(m[4]) - int(m[2]) + 1
            cols = _col(m[3].decode()) - _col(m[1].decode()) + 1
        else:
            rows = cols = 1
        cells = max(rows, 0) * max(cols, 0)
        total += cells
        if cells > lim.sheet_cells:
            return [_cells_problem(file, None, cells, lim.sheet_cells, lang, per_sheet=True)]
    if total > lim.file_cells:
        return [_cells_problem(file, None, total, lim.file_cells, lang, per_sheet=False)]
    return []


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _cells_problem(
    file: str, sheet: str | None, cells: int, limit: int, lang: str, *, per_sheet: bool
) -> Problem:
    return Problem(
        file=file,
        sheet=sheet,
        code="too-many-cells",
        variant="sheet" if per_sheet else "",
        lang=lang,
        cells=cells,
        limit=limit,
    )


def check_cells(sheets, file: str, *, lang: str = "en", lim: Limits | None = None) -> list[Problem]:
    """The parsed sheets (loaders.sheet.Sheet) against the cell caps, before they are reshaped."""
    lim = lim or limits()
    total = 0
    for s in sheets:
        cells = s.table.num_rows * max(s.table.num_columns, 1)
        total += cells
        if cells > lim.sheet_cells:
            return [_cells_problem(file, s.sheet, cells, lim.sheet_cells, lang, per_sheet=True)]
    if total > lim.file_cells:
        return [_cells_problem(file, None, total, lim.file_cells, lang, per_sheet=False)]
    return []
