"""Fuzzing the readers (hypothesis, derandomized, bounded): any input ends in problems or one clean
UnreadableFile, never a traceback and never a partial write. Fixed budget for CI (well under 60 s)."""

import io
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.catalog import load_catalog
from loaders.ingest import ingest
from loaders.longform import LONG_SCHEMA, LongResult
from loaders.problems import ERROR_CODES, SUMMARY_CODES, WARNING_CODES, UnreadableFile
from loaders.reshape import read_long
from loaders.store import open_store

CATALOG = load_catalog()
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CODES = ERROR_CODES | WARNING_CODES | SUMMARY_CODES

# Cells a report really holds, plus the hostile and the broken.
CELLS = st.one_of(
    st.sampled_from(
        [
            "IA.JOBS",
            "DM.EXPORTS",
            "Casablanca-Settat",
            "MA-01",
            "National",
            "2025",
            "2025-Q1",
            "T1 2025",
            "الربع الأول 2025",
            "1 234,5",
            "1,234.5",
            "12",
            "-3",
            "#N/A",
            "=1+1",
            "Source : HCP",
            "![x](http://127.0.0.1:9/p.png)",
            "",
            '"',
            "\n",
        ]
    ),
    st.text(max_size=12),
)
HEADERS = st.sampled_from(
    [
        "indicator",
        "period",
        "region",
        "value",
        "unit",
        "source",
        "comment",
        "Région",
        "القيمة",
        "",
        "x",
    ]
)


def _read(path: Path, name: str) -> LongResult | None:
    """The readers' contract: a LongResult (problems with known codes) or UnreadableFile, nothing else."""
    try:
        result = read_long(path, CATALOG, lang="fr", display_name=name)
    except UnreadableFile as e:
        assert e.title and e.file == name
        return None
    assert result.rows.schema.equals(LONG_SCHEMA)
    for p in result.problems:
        assert p.code in CODES, p
        assert p.file == name and p.message
    return result


def _csv_bytes(rows: list[list[str]], sep: str, encoding: str) -> bytes:
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in f'{sep}"\n') else v

    text = "\n".join(sep.join(cell(v) for v in r) for r in rows)
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=st.binary(max_size=3000))
def test_fuzz_any_bytes_as_csv(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        _read(path, "fuzz.csv")


@FUZZ
@given(
    header=st.lists(HEADERS, min_size=1, max_size=7),
    body=st.lists(st.lists(CELLS, max_size=8), max_size=12),
    titles=st.lists(st.lists(CELLS, max_size=2), max_size=3),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1256"]),
)
def test_fuzz_csv_layouts(header, body, titles, sep, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layout.csv"
        path.write_bytes(_csv_bytes(titles + [header] + body, sep, encoding))
        _read(path, "layout.csv")


def _xlsx(sheets: list[tuple[str, int, int, list[str], list[list]]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
    )
    for i, (name, top, left, header, rows) in enumerate(sheets):
        ws = wb.add_worksheet(f"{name[:20]}{i}")
        ws.write_row(top, left, header)
        for r, row in enumerate(rows, start=top + 1):
            for c, v in enumerate(row, start=left):
                if v is not None:
                    ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


SHEETS = st.lists(
    st.tuples(
        st.text(alphabet=st.characters(blacklist_characters="[]:*?/\\'"), max_size=10),
        st.integers(0, 45),  # header row, sometimes past the header search
        st.integers(0, 3),
        st.lists(HEADERS, min_size=1, max_size=6),
        st.lists(
            st.lists(
                st.one_of(
                    CELLS, st.floats(allow_nan=True), st.integers(-(10**12), 10**12), st.none()
                ),
                max_size=7,
            ),
            max_size=10,
        ),
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(sheets=SHEETS)
def test_fuzz_random_workbooks(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        path.write_bytes(_xlsx(sheets))
        _read(path, "book.xlsx")


VALID_BOOK = _xlsx(
    [
        (
            "Data",
            0,
            0,
            ["indicator", "period", "region", "value"],
            [["IA.JOBS", "2025-Q1", "MA-01", 5.0]],
        )
    ]
)


@FUZZ
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(VALID_BOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    truncate=st.one_of(st.none(), st.integers(4, len(VALID_BOOK))),
)
def test_fuzz_damaged_workbooks(cuts, truncate):
    data = bytearray(VALID_BOOK)
    for pos, byte in cuts:
        data[pos] = byte
    if truncate is not None:
        data = data[:truncate]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.xlsx"
        path.write_bytes(bytes(data))
        _read(path, "damaged.xlsx")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(f"duckdb:///{tmp_path_factory.mktemp('fuzz')}/m.duckdb")


def _counts(store) -> tuple[int, int]:
    with store.begin() as conn:
        return (
            conn.execute(sa.text("SELECT count(*) FROM observation")).scalar_one(),
            conn.execute(sa.text("SELECT count(*) FROM batch")).scalar_one(),
        )


@settings(FUZZ, max_examples=12)
@given(
    body=st.lists(st.lists(CELLS, min_size=4, max_size=5), min_size=1, max_size=6),
)
def test_fuzz_ingest_writes_all_or_nothing(store, body):
    data = _csv_bytes([["indicator", "period", "region", "value", "source"]] + body, ",", "utf-8")
    before = _counts(store)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        try:
            result = ingest(store, [path], user="fuzz")
        except UnreadableFile:
            assert _counts(store) == before
            return
    obs, batches = _counts(store)
    if result.status == "committed":
        assert (obs - before[0], batches - before[1]) == (result.inserted + result.revised, 1)
    else:
        assert (obs, batches) == before
