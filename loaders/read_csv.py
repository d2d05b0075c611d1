"""CSV bytes -> Sheet: encoding (UTF-8/16, Windows-1252/1256), delimiter, title rows, quoted newlines, real row numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

import pyarrow as pa
import pyarrow.csv as pacsv

from .problems import EmptyFile, NotASpreadsheet, Problem, UnknownEncoding, column_letter
from .sheet import HEADER_SEARCH_ROWS, Sheet, find_header, row_numbers, source_note

DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(2**31 - 1)  # a long comment is not a reason to refuse a file
_PREVIEW_BYTES = 256 * 1024
_BLANK_LINE = re.compile(rb"\n\r?\n")
_BLANK_FILE = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")
# Bytes that Windows-1256 decodes to Arabic letters; Windows-1256 keeps the French accented letters
# (é è à ç â ê î ô û ù ë ï ü) at the same places as Windows-1252, so they do not count here.
_CP1256_ARABIC = bytes(
    b for b in range(0x80, 0x100) if "\u0600" <= bytes([b]).decode("cp1256", "replace") <= "\u06ff"
)


# A valid multi-byte UTF-8 sequence: a file with none of them is not partly UTF-8.
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _legacy_encoding(sample: bytes) -> str:
    """Windows-1256 when most high bytes are Arabic letters there, else Windows-1252."""
    high = sum(1 for b in sample if b >= 0x80)
    arabic = len(sample) - len(sample.translate(None, _CP1256_ARABIC))
    return "cp1256" if arabic * 2 > high else "cp1252"


def _decode_lines(data: bytes) -> tuple[bytes, str, list[int]] | None:
    """A file mixing UTF-8 lines with Windows-1252/1256 lines (a copy-paste from an old export):
    each line decoded in its own encoding. Returns (UTF-8 bytes, the legacy encoding, the 1-based
    numbers of the legacy lines), or None when no line is UTF-8 (a plain legacy file)."""
    if not _UTF8_SEQ.search(data):
        return None
    lines = data.split(b"\n")
    out: list[bytes] = []
    legacy: list[int] = []
    encodings: Counter = Counter()
    utf8 = 0
    for i, line in enumerate(lines):
        if line.isascii():
            out.append(line)
            continue
        try:
            line.decode("utf-8")
            out.append(line)
            utf8 += 1
        except UnicodeDecodeError:
            enc = _legacy_encoding(line)
            try:
                text = line.decode(enc)
            except UnicodeDecodeError:  # Windows-1252 leaves five bytes undefined
                enc, text = "cp1256", line.decode("cp1256")
            out.append(text.encode("utf-8"))
            legacy.append(i + 1)
            encodings[enc] += 1
    if not utf8:
        return None
    return b"\n".join(out), encodings.most_common(1)[0][0], legacy


def _mixed_problem(file: str, lang: str, encoding: str, lines: list[int]) -> Problem:
    name = "Windows-1256" if encoding == "cp1256" else "Windows-1252"
    return Problem(file=file, code="mixed-encoding", lang=lang, lines=lines, encoding=name)


def _decode(data: bytes, file: str, lang: str) -> tuple[bytes, str, list[int]]:
    """Return the content as UTF-8 bytes (no BOM), the encoding it was written in, and the lines
    written in another encoding than the rest (a mixed file; empty otherwise)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16", []
        except UnicodeDecodeError as e:
            raise UnknownEncoding(file, lang=lang) from e
    head = data[:65536]
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise NotASpreadsheet(file, lang=lang)
    if _is_utf8(data):
        return data, "utf-8", []
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed
    encoding = _legacy_encoding(data[: 1 << 20])
    try:
        return _transcode(data, encoding), encoding, []
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Windows-1256 defines all of them.
        return _transcode(data, "cp1256"), "cp1256", []


_CHUNK = 1 << 22


def _is_utf8(data: bytes) -> bool:
    """Strict UTF-8 check, in chunks: a whole decoded copy of a big file is not needed."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for i in range(0, len(data), _CHUNK):
            decoder.decode(view[i : i + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(data: bytes, encoding: str) -> bytes:
    """A single-byte Windows encoding to UTF-8, chunk by chunk (no character spans two chunks)."""
    view = memoryview(data)
    return b"".join(
        bytes(view[i : i + _CHUNK]).decode(encoding).encode("utf-8")
        for i in range(0, len(data), _CHUNK)
    )


def _check_text(text: str, file: str, lang: str) -> None:
    controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
    if controls > max(2, len(text) // 100):
        raise NotASpreadsheet(file, lang=lang)


def _lines(data: bytes) -> list[bytes]:
    """Physical lines of the first part of the file, each with its line ending."""
    chunk = data[:_PREVIEW_BYTES]
    if len(data) > _PREVIEW_BYTES and b"\n" in chunk:
        chunk = chunk[: chunk.rindex(b"\n") + 1]
    parts = chunk.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _records(lines: list[bytes], delimiter: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """Parse up to `limit` records; also return the line index each record starts at."""
    texts = [
        ln.decode("utf-8") if ln.endswith(b"\n") else ln.decode("utf-8") + "\n" for ln in lines
    ]
    reader = csv.reader(
        iter(texts), delimiter=delimiter, quotechar='"', doublequote=True, strict=False
    )
    records, starts = [], []
    start = 0
    try:
        for rec in reader:
            records.append(rec)
            starts.append(start)
            start = reader.line_num
            if len(records) >= limit:
                break
    except csv.Error:
        pass
    starts.append(start)  # where the next record would start
    return records, starts


def sniff_delimiter(lines: list[bytes]) -> str:
    """The delimiter that splits the first records into the most consistent number (>= 2) of fields."""
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        records, _ = _records(lines, d, 30)
        counts = [len(r) for r in records if any(c.strip() for c in r)]
        if not counts:
            continue
        modal, freq = Counter(counts).most_common(1)[0]
        if modal < 2:
            continue
        score = (freq / len(counts), modal)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(data: bytes, file: str, *, lang: str = "en") -> Sheet:
    """Decode and parse a CSV file; raise UnreadableFile when it is not text at all."""
    if not _BLANK_FILE.search(data[:65536]) and not _BLANK_FILE.search(data):
        raise EmptyFile(file, lang=lang)
    data, encoding, mixed = _decode(data, file, lang)
    problems = [_mixed_problem(file, lang, encoding, mixed)] if mixed else []
    _check_text(data[:65536].decode("utf-8", "replace"), file, lang)
    if b"\n" not in data and b"\r" in data:  # old Mac line endings
        data = data.replace(b"\r", b"\n")
    lines = _lines(data)
    delimiter = sniff_delimiter(lines)
    records, starts = _records(lines, delimiter, HEADER_SEARCH_ROWS)
    h = find_header(records)
    if h is None:  # no header: take the first non-blank line, so problems can say what was found
        h = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), 0)
    header = records[h] if records else []
    offset = sum(len(ln) for ln in lines[: starts[h + 1]]) if records else len(data)
    titles = [" ".join(c.strip() for c in r if c.strip()) for r in records[:h]]
    titles = [t for t in titles if t]
    table, rows = _fast_table(data, offset, delimiter, len(header), h + 2)
    if table is None:
        table, rows, header = _slow_table(data[offset:], delimiter, header, h + 2)
    source = next((s for s in map(source_note, titles) if s), None)
    return Sheet(
        file=file,
        sheet=None,
        header_row=h + 1,
        headers=[c.strip() for c in header],
        letters=[column_letter(i) for i in range(len(header))],
        table=table,
        rows=rows,
        titles=titles,
        source=source,
        hint="ar" if encoding == "cp1256" else None,
        problems=problems,
    )


def _names(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def _fast_table(data: bytes, offset: int, delimiter: str, width: int, first_row: int):
    """pyarrow's multi-threaded parser, when record i is simply row first_row + i (no blank lines,
    every record as wide as the header). Returns (None, None) otherwise."""
    if width == 0:
        return None, None
    end = len(data)
    while end > offset and data[end - 1] in b" \t\r\n":  # trailing blank lines shift no row
        end -= 1
    if end <= offset:
        return None, None
    if data.startswith((b"\n", b"\r\n"), offset) or _BLANK_LINE.search(data, offset, end):
        return None, None
    view = memoryview(data)[offset:end]
    names = _names(width)
    # Only a quoted value can hold a line break; without any quote the parser may split the file freely.
    quoted = data.find(b'"', offset, end) >= 0
    try:
        table = pacsv.read_csv(
            pa.py_buffer(view),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, newlines_in_values=quoted
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None, None
    n = table.num_rows
    rows = row_numbers(first_row, n)
    return table, rows


def _slow_table(body: bytes, delimiter: str, header: list[str], first_row: int):
    """Python's csv module, record by record: blank lines and ragged rows keep their row numbers."""
    reader = csv.reader(
        io.StringIO(body.decode("utf-8"), newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        strict=False,
    )
    records = list(reader)
    width = max([len(header), *map(len, records)]) if records else len(header)
    header = list(header) + [""] * (width - len(header))
    columns = [[] for _ in range(width)]
    for rec in records:
        rec = rec + [""] * (width - len(rec))
        for j, v in enumerate(rec):
            columns[j].append(v)
    names = _names(width)
    table = pa.Table.from_arrays([pa.array(col, pa.string()) for col in columns], names=names)
    rows = row_numbers(first_row, len(records))
    return table, rows, header
