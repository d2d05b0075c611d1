"""Hostile files built at test time (never committed): zip bombs, lying archives, oversized sheets."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Period</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>Region</t></is></c>'
    b'<c r="D1" t="inlineStr"><is><t>Value</t></is></c></row>'
)
# One data row, repeated: a real indicator so that a reader that gets this far parses every cell.
DATA_ROW = (
    b'<row><c t="inlineStr"><is><t>IA.JOBS</t></is></c><c t="inlineStr"><is><t>2025-Q1</t></is></c>'
    b'<c t="inlineStr"><is><t>MA-01</t></is></c><c><v>12</v></c></row>'
)


def _base_parts() -> list[tuple[str, bytes]]:
    """The parts of a valid one-sheet workbook (xlsxwriter), sheet1 included."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    wb.add_worksheet("Data").write_row(0, 0, ["Indicator", "Period", "Region", "Value"])
    wb.close()
    zf = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def _zip(path: Path, parts: list[tuple[str, bytes, bytes, int, int]]) -> None:
    """A zip written by hand: (name, raw deflate data, crc bytes, declared size, method) per part.

    zipfile can only write what it compresses itself; a bomb is the same flushed block repeated, and a
    lying archive declares a size its data does not have.
    """
    out = bytearray()
    central = bytearray()
    for name, data, crc, size, method in parts:
        n = name.encode()
        offset = len(out)
        fields = struct.pack("<HHHHHIIIHH", 20, 0, method, 0, 0x21, crc, len(data), size, len(n), 0)
        out += b"PK\x03\x04" + fields + n + data
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHII", 0, 0, 0, 0, offset)
            + n
        )
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def bomb_xlsx(path: Path, expand_mb: int, *, declared_mb: int | None = None) -> Path:
    """An .xlsx whose one sheet inflates to about `expand_mb` MB of rows (a zip bomb).

    The rows are deflated once as a full-flushed block and that block repeated, so a 2 GB sheet costs a
    few megabytes and well under a second to build. `declared_mb` makes the directory lie about the size.
    """
    chunk = DATA_ROW * (1_048_576 // len(DATA_ROW))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + _MAIN + b"><sheetData>" + HEADER_ROW
    )
    tail = b"</sheetData></worksheet>"
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.compress(tail) + comp.flush()
    n = max(expand_mb * 1_048_576 // len(chunk), 1)
    data = first + block * n + end
    size = len(head) + len(chunk) * n + len(tail)
    crc = 0  # left wrong on purpose: a reader only checks it at the end, after the damage is done
    parts = []
    for name, content in _base_parts():
        if name == "xl/worksheets/sheet1.xml":
            declared = size if declared_mb is None else declared_mb * 1_048_576
            parts.append((name, data, crc & 0xFFFFFFFF, min(declared, 0xFFFFFFFE), 8))
        else:
            parts.append((name, _deflate(content), zlib.crc32(content), len(content), 8))
    _zip(path, parts)
    return path


def many_parts_xlsx(path: Path, count: int) -> Path:
    """A valid workbook carrying `count` extra tiny parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in _base_parts():
            z.writestr(name, content)
        for i in range(count):
            z.writestr(f"customXml/item{i}.xml", b"<a/>")
    return path


def rows_xlsx(path: Path, rows: int, *, dimension: str | None = None, level: int = 1) -> Path:
    """A valid .xlsx of `rows` distinct data rows (plus the header), written straight as XML (fast).

    `dimension` overrides the sheet's declared used range (<dimension ref=...>).
    """
    ref = dimension or f"A1:D{rows + 1}"
    body = io.BytesIO()
    body.write(
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        + _MAIN
        + b'><dimension ref="'
        + ref.encode()
        + b'"/><sheetData>'
        + HEADER_ROW
    )
    regions = [f"MA-{i:02d}".encode() for i in range(1, 13)]
    for i in range(rows):
        year, q = 2000 + (i // 48) % 26, 1 + (i // 12) % 4
        body.write(
            b'<row><c t="inlineStr"><is><t>IA.JOBS</t></is></c><c t="inlineStr"><is><t>'
            + f"{year}-Q{q}".encode()
            + b'</t></is></c><c t="inlineStr"><is><t>'
            + regions[i % 12]
            + b"</t></is></c><c><v>"
            + str(i + 1).encode()
            + b"</v></c></row>"
        )
    body.write(b"</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, content in _base_parts():
            z.writestr(name, body.getvalue() if name == "xl/worksheets/sheet1.xml" else content)
    return path
