"""A real spreadsheet app as the client: files re-saved by LibreOffice Calc (headless) load like the originals.

Needs `soffice` (Debian `libreoffice-calc-nogui`); without it these tests fail, they do not skip. Every
soffice call gets its own fresh profile, so calls in parallel runs never share one; files of one format
are converted in one call.
"""

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import fastexcel
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from loaders.batches import export_csv
from loaders.catalog import load_catalog
from loaders.ingest import ingest, ingest_long
from loaders.longform import LONG_SCHEMA, LongResult
from loaders.ods import Workbook as OdsWorkbook
from loaders.reshape import read_long
from loaders.store import open_store
from loaders.template import build_template

ROOT = Path(__file__).resolve().parent.parent
PARSE = Path(__file__).parent / "fixtures" / "parse"
CATALOG = load_catalog()
NOW = dt.datetime(2026, 5, 4, 9, 30)
CSV_FR = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1036"  # ; separator, " quotes, UTF-8, French
CSV_IN = "Text - txt - csv (StarCalc):44,34,76,1"  # how Calc opens Marsad's CSV export: , " UTF-8
# A French Calc user: the profile's locale decides the decimal comma of a CSV export (the 1036 token
# of the filter options only applies when importing).
FRENCH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>fr-FR</value></prop></item>
</oor:items>
"""
SECONDS: list[float] = []  # time spent in soffice, reported at the end of the module

# The template filled "by an analyst": good rows, a period that does not exist, a regional value of a
# national-only indicator. Every copy, whatever app saved it in whatever format, must read the same.
FILLED = [
    {
        "indicator": "IA.JOBS",
        "period": "2026-Q1",
        "region": "MA-06",
        "value": 1200,
        "source": "ANAPEC",
    },
    {"indicator": "IA.JOBS", "period": "2026-Q1", "region": "", "value": 5000},
    {"indicator": "IA.JOBS", "period": "2026-Q5", "region": "MA-11", "value": 35},
    {"indicator": "IA.GDP", "period": "2025", "region": "MA-06", "value": 3.25},
    {
        "indicator": "DM.EXPORTS",
        "period": "2025",
        "region": "",
        "value": 18.5,
        "comment": "provisoire",
    },
    {"indicator": "DM.FTTH", "period": "2026-Q1", "region": "MA-03", "value": 0.25},
]
# (indicator, period, region, value, sheet, row, column) of the rows read without an error
FILLED_VALUES = [
    ("IA.JOBS", "2026-Q1", "MA-06", 1200.0, "IA2030-IMP", 4, "G"),
    ("IA.JOBS", "2026-Q1", "", 5000.0, "IA2030-IMP", 5, "G"),
    ("IA.GDP", "2025", "MA-06", 3.25, "IA2030-IMP", 7, "G"),
    ("DM.EXPORTS", "2025", "", 18.5, "MD2030-ECO", 4, "G"),
    ("DM.FTTH", "2026-Q1", "MA-03", 0.25, "MD2030-CAT", 4, "G"),
]
FILLED_PROBLEMS = [
    ("bad-period", "IA2030-IMP", 6, "E"),
    ("region-not-allowed", "IA2030-IMP", 7, "F"),  # the region cell, not the value beside it
]


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.fail(
            "LibreOffice is not installed: these tests re-save files with a real spreadsheet app. "
            "Install it with `apt-get install -y libreoffice-calc-nogui` (Debian), which provides "
            "`soffice`.",
            pytrace=False,
        )
    return exe


def convert(
    paths: list[Path], target: str, outdir: Path, *, infilter: str | None = None, french=False
) -> list[Path]:
    """Re-save files with LibreOffice (`soffice --headless --convert-to target`), one call for all."""
    exe = soffice()
    profile = outdir.parent / f"lo-profile-{uuid.uuid4().hex[:8]}"
    if french:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(FRENCH_PROFILE)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    SECONDS.append(time.monotonic() - start)
    suffix = "." + target.split(":")[0]
    out = [outdir / (Path(path).stem + suffix) for path in paths]
    missing = [o.name for o in out if not o.exists()]
    assert not missing, f"soffice did not write {missing}: {p.stdout}\n{p.stderr}"
    return out


@pytest.fixture(scope="module", autouse=True)
def _report_time():
    yield
    if SECONDS:
        print(
            f"\nLibreOffice: {len(SECONDS)} soffice calls, {sum(SECONDS):.1f} s",
            file=sys.stderr,
        )


def _checks_ods(path: Path) -> Path:
    """Cell checks of every kind Marsad's .ods writer offers (the template may use more than lists)."""
    wb = OdsWorkbook(path)
    ws = wb.add_worksheet("Données")
    ws.write_row(0, 0, ["Indicateur", "Période", "Valeur", "Commentaire"])
    ws.data_validation(1, 0, 50, 0, {"validate": "integer", "criteria": ">=", "value": 0})
    ws.data_validation(1, 1, 50, 1, {"validate": "list", "source": ["2025", "2026"]})
    ws.data_validation(
        1,
        2,
        50,
        2,
        {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_title": "Valeur",
            "error_message": "Un pourcentage entre 0 et 100",
        },
    )
    ws.data_validation(
        1, 3, 50, 3, {"validate": "length", "criteria": "<=", "value": 200, "error_type": "warning"}
    )
    wb.close()
    return path


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    """The filled template (fr, ar; .xlsx and Marsad's own .ods) re-saved by Calc as .xlsx, .ods, .xls."""
    src = tmp_path_factory.mktemp("filled")
    originals = []
    for lang in ("fr", "ar"):
        for fmt in ("xlsx", "ods"):
            originals.append(
                build_template(CATALOG, src / f"{lang}_from_{fmt}.{fmt}", lang=lang, rows=FILLED)
            )
    good = build_template(CATALOG, src / "good_ar.ods", lang="ar", rows=FILLED[:2])
    checks = _checks_ods(src / "checks.ods")
    out = {}
    for target in ("xlsx", "ods", "xls"):
        files = originals + ([good] if target == "ods" else [checks] if target == "xlsx" else [])
        for path in convert(files, target, src / f"calc_{target}"):
            out[path.stem, target] = path
    return out


@pytest.fixture(scope="module")
def dry_store(tmp_path_factory):
    """One store for the dry runs (they write nothing)."""
    return open_store(str(tmp_path_factory.mktemp("store") / "m.duckdb"))


def _where(problems):
    return [(p.code, p.sheet, p.row, p.column) for p in problems]


@pytest.mark.parametrize("target", ["xlsx", "ods", "xls"])
@pytest.mark.parametrize("source", ["fr_from_xlsx", "fr_from_ods", "ar_from_xlsx", "ar_from_ods"])
def test_template_resaved_by_calc_reads_the_same_values_and_problems(
    resaved, dry_store, source, target
):
    path = resaved[source, target]
    lang = source[:2]
    r = read_long(path, CATALOG, lang=lang)
    assert r.sheets == [
        "IA2030-SOV",
        "IA2030-INN",
        "IA2030-IMP",
        "MD2030-EGOV",
        "MD2030-ECO",
        "MD2030-CAT",
    ]  # the instructions and lists are recognised as not data, in every format
    got = [
        (
            x["indicator"],
            x["period"],
            x["region"],
            x["value"],
            x["sheet"],
            x["row_number"],
            x["column"],
        )
        for x in r.rows.to_pylist()
    ]
    assert got == FILLED_VALUES
    result = ingest(dry_store, [path], user="analyste", lang=lang, dry_run=True, now=NOW)
    assert _where(result.problems) == FILLED_PROBLEMS  # no warning either: nothing else was read
    assert result.status == "rejected"


def _xlsx_part(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def test_marsad_ods_opened_in_calc_keeps_dropdowns_checks_and_direction(resaved):
    # Marsad's Arabic .ods as Calc understood it, seen through Calc's own .xlsx export
    path = resaved["ar_from_ods", "xlsx"]
    workbook = _xlsx_part(path, "xl/workbook.xml")
    assert re.findall(r'<sheet name="([^"]+)" sheetId="\d+" state="(\w+)"', workbook) == [
        ("تعليمات", "visible"),
        ("lists", "hidden"),
        *[(n, "visible") for n in ("IA2030-SOV", "IA2030-INN", "IA2030-IMP")],
        *[(n, "visible") for n in ("MD2030-EGOV", "MD2030-ECO", "MD2030-CAT")],
    ]
    for n in range(1, 9):
        sheet = _xlsx_part(path, f"xl/worksheets/sheet{n}.xml")
        assert ('rightToLeft="true"' in sheet) == (n != 2)
    imp = _xlsx_part(path, "xl/worksheets/sheet5.xml")
    assert re.findall(r'sqref="([A-Z]4:[A-Z]503)" type="list"><formula1>([^<]+)<', imp) == [
        ("A4:A503", "lists!$I$1:$I$3"),
        ("E4:E503", "lists!$A$1:$A$35"),
        ("F4:F503", "lists!$B$1:$B$13"),
    ]
    checks = _xlsx_part(resaved["checks", "xlsx"], "xl/worksheets/sheet1.xml")
    found = re.findall(
        r'errorStyle="(\w+)"[^>]*operator="(\w+)"[^>]*sqref="([A-D])2:\3(\d+)" type="(\w+)">'
        r"<formula1>([^<]*)</formula1><formula2>([^<]*)<",
        checks,
    )
    assert sorted(found) == [
        ("stop", "between", "C", "51", "decimal", "0", "100"),
        ("stop", "equal", "B", "51", "list", "&quot;2025,2026&quot;", "0"),
        ("stop", "greaterThanOrEqual", "A", "51", "whole", "0", "0"),
        ("warning", "lessThanOrEqual", "D", "51", "textLength", "200", "0"),
    ]


def test_good_ods_template_resaved_by_calc_commits(resaved, tmp_path):
    store = open_store(str(tmp_path / "m.duckdb"))
    r = ingest(store, [resaved["good_ar", "ods"]], user="analyste", lang="ar", now=NOW)
    assert (r.status, r.inserted, r.problems) == ("committed", 2, [])
    df = store.current_observations()
    got = {
        (o.indicator, o.region, o.sheet, o.row_number): o.value
        for o in df.itertuples()
        if o.batch_id == r.batch_id
    }
    assert got == {
        ("IA.JOBS", "MA-06", "IA2030-IMP", 4): 1200.0,
        ("IA.JOBS", "", "IA2030-IMP", 5): 5000.0,
    }


# Reader fixtures re-saved as .ods by Calc: the same values and the same problem cells as the original.
ROUND_TRIP_FIXTURES = [
    "wide_quarters_fr.xlsx",
    "title_rows_merged_notes_block.xlsx",
    "table_offset_arabic_source_note.xlsx",
    "wide_section_headings_text_numbers.xlsx",
    "numbers_exact_dates_errors.xlsx",
    "two_sheets_arabic_english.xlsx",
    "legacy_biff8_title_row_date.xls",
    "not_data_marker_cell_no_defined_name.xlsx",
]


@pytest.fixture(scope="module")
def fixtures_as_ods(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixtures") / "ods"
    paths = convert([PARSE / n for n in ROUND_TRIP_FIXTURES], "ods", out)
    return dict(zip(ROUND_TRIP_FIXTURES, paths, strict=True))


def _reading(path, lang="fr"):
    r = read_long(path, CATALOG, lang=lang)
    cols = ("indicator", "period", "region", "value", "sheet", "row_number", "column", "comment")
    rows = [tuple(x[c] for c in cols) for x in r.rows.to_pylist()]
    return rows, [(p.code, p.sheet, p.row, p.column, p.message) for p in r.problems], r.sheets


@pytest.mark.parametrize("name", ROUND_TRIP_FIXTURES)
def test_reports_resaved_as_ods_by_calc_read_the_same(fixtures_as_ods, name):
    original = _reading(PARSE / name)
    resaved = _reading(fixtures_as_ods[name])
    assert original[0], "the fixture has values"
    assert resaved == original


def test_csv_saved_by_calc_in_french_loads(tmp_path):
    import xlsxwriter

    src = tmp_path / "rapport_fr.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("Feuil1")
    grouped = wb.add_format({"num_format": "#,##0.00"})
    ws.write_row(0, 0, ["Indicateur", "Période", "Région", "Valeur"])
    ws.write_row(1, 0, ["IA.JOBS", "T1 2026", "Casablanca-Settat"])
    ws.write_number(1, 3, 1234.5, grouped)
    ws.write_row(2, 0, ["DM.EXPORTS", "2025", "National", 18.25])
    ws.write_row(3, 0, ["IA.GDP", "2025", ""])
    ws.write_number(3, 3, 1234567.75, grouped)
    wb.close()
    (out,) = convert([src], CSV_FR, tmp_path / "csv", french=True)
    text = out.read_text(encoding="utf-8")
    # what a French Calc writes: semicolons, decimal commas, a no-break space between thousands
    assert text.splitlines() == [
        "Indicateur;Période;Région;Valeur",
        "IA.JOBS;T1 2026;Casablanca-Settat;1\u00a0234,50",
        "DM.EXPORTS;2025;National;18,25",
        "IA.GDP;2025;;1\u00a0234\u00a0567,75",
    ]
    r = read_long(out, CATALOG, lang="fr")
    assert r.problems == []
    assert [
        (x["indicator"], x["period"], x["region"], x["value"], x["row_number"], x["column"])
        for x in r.rows.to_pylist()
    ] == [
        ("IA.JOBS", "2026-Q1", "MA-06", 1234.5, 2, "D"),
        ("DM.EXPORTS", "2025", "", 18.25, 3, "D"),
        ("IA.GDP", "2025", "", 1234567.75, 4, "D"),
    ]


def test_marsad_csv_export_opened_in_calc_keeps_numbers_and_runs_no_formula(tmp_path):
    store = open_store(str(tmp_path / "m.duckdb"))
    rows = [
        ("DM.PROC_TIME", "2025", "", 3.5, '=HYPERLINK("http://x","y")'),
        ("DM.PROC_STEPS", "2025", "", 12.0, "+33 rapport"),
        ("DM.SATISFACTION", "2025", "", 70.0, "@SUM(A1)"),
        ("DM.EXPORTS", "2025", "", 1234567.25, "-1+1"),
        ("IA.JOBS", "2026-Q1", "MA-06", 12.0, "ANAPEC"),
    ]
    for i, (ind, period, region, value, source) in enumerate(rows):
        table = pa.Table.from_pylist(
            [
                {
                    "indicator": ind,
                    "period": period,
                    "region": region,
                    "value": value,
                    "unit": None,
                    "source": source,
                    "comment": None,
                    "file": f"r{i}.csv",
                    "sheet": None,
                    "row_number": 2,
                    "column": "D",
                }
            ],
            schema=LONG_SCHEMA,
        )
        ingest_long(store, [LongResult(table)], files=[f"r{i}.csv"], user="a", now=NOW)
    export = tmp_path / "marsad_export.csv"
    export_csv(store, export)
    exported = {r["indicator"]: r for r in csv.DictReader(export.open(encoding="utf-8"))}
    for target in ("xlsx", "ods"):
        (out,) = convert([export], target, tmp_path / target, infilter=CSV_IN)
        sheet = fastexcel.read_excel(str(out)).load_sheet(
            0, dtypes={"source": "string", "value": "float"}
        )
        ours = {r[0] for r in rows}  # the store also holds the reference values: compare ours
        got = {r["indicator"]: r for r in sheet.to_arrow().to_pylist() if r["indicator"] in ours}
        assert len(got) == len(rows)
        # the same numbers, to the last digit
        assert {k: got[k]["value"] for k in got} == {
            "DM.PROC_TIME": 3.5,
            "DM.PROC_STEPS": 12.0,
            "DM.SATISFACTION": 70.0,
            "DM.EXPORTS": 1234567.25,
            "IA.JOBS": 12.0,
        }
        # escaped text stays text with its leading quote: nothing was run as a formula
        assert (
            {k: got[k]["source"] for k in got}
            == {k: exported[k]["source"] for k in ours}
            == {
                "DM.PROC_TIME": '\'=HYPERLINK("http://x","y")',
                "DM.PROC_STEPS": "'+33 rapport",
                "DM.SATISFACTION": "'@SUM(A1)",
                "DM.EXPORTS": "'-1+1",
                "IA.JOBS": "ANAPEC",
            }
        )


def test_ods_template_and_ods_report_load_from_the_upload_page_and_the_cli(
    resaved, fixtures_as_ods, tmp_path, monkeypatch
):
    template = resaved["good_ar", "ods"]
    report = fixtures_as_ods["two_sheets_arabic_english.xlsx"]
    monkeypatch.setattr(sys, "argv", ["pages/upload.py", "--db", str(tmp_path / "m.duckdb")])
    monkeypatch.setenv("MARSAD_USER", "analyste")
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    ods_button = at.get("download_button")[1]
    assert ods_button.proto.label == "Télécharger le modèle pour LibreOffice (.ods)"
    media = "application/vnd.oasis.opendocument.spreadsheet"
    at.file_uploader(key="upload_files").set_value(
        [
            ("modele_rempli.ods", template.read_bytes(), media),
            ("rapport_T1.ods", report.read_bytes(), media),
        ]
    )
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error] + [m.value for m in at.markdown]
    # read, new, revised, unchanged: 2 from the template, 3 from the report (two sheets)
    assert [m.value for m in at.metric] == ["5", "5", "0", "0"]

    cli = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(template), str(report), "--json"]
        + ["--db", str(tmp_path / "cli.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    out = json.loads(cli.stdout)
    assert (out["status"], out["inserted"]) == ("committed", 5)
    out = tmp_path / "modele.ods"
    cli = subprocess.run(
        [sys.executable, "-m", "loaders", "template", "-o", str(out), "--lang", "fr"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert fastexcel.read_excel(str(out)).sheet_names[0] == "Instructions"
