"""The Excel template: built from the catalog, dropdowns, language and direction, and a filled one loads cleanly."""

import datetime as dt
import re
import zipfile

import fastexcel
import pytest

from loaders.catalog import load_catalog
from loaders.ingest import ingest
from loaders.sheet import NOT_DATA_MARK
from loaders.store import open_store
from loaders.template import HEADERS, NATIONAL_LABEL, build_template, periods, template_bytes

NOW = dt.datetime(2026, 5, 4, 9, 30)
PILLAR_SHEETS = [
    "IA2030-SOV",
    "IA2030-INN",
    "IA2030-IMP",
    "MD2030-EGOV",
    "MD2030-ECO",
    "MD2030-CAT",
]
FILLED = [
    {
        "indicator": "IA.JOBS",
        "period": "2026-Q1",
        "region": "MA-06",
        "value": 1200,
        "source": "ANAPEC",
    },
    {"indicator": "IA.JOBS", "period": "2026-Q1", "region": "MA-11", "value": 35},
    {"indicator": "IA.JOBS", "period": "2026-Q1", "region": "", "value": 5000},
    {
        "indicator": "DM.EXPORTS",
        "period": "2025",
        "region": "",
        "value": 18.5,
        "comment": "provisoire",
    },
    {"indicator": "DM.5G", "period": "2026-Q1", "region": "MA-12", "value": 12.5},
    {"indicator": "IA.LAW_X0", "period": "2026-Q1", "region": "", "value": 1},
    {"indicator": "DM.TRAINED", "period": "2025", "region": "MA-02", "value": 300},
    {"indicator": "IA.DC_MW", "period": "2025", "region": "MA-12", "value": 50},
    {"indicator": "DM.FTTH", "period": "2026-Q1", "region": "MA-03", "value": 0.25},
    {
        "indicator": "DM.EGDI_SCORE",
        "period": "2024",
        "region": "",
        "value": 0.6841,
    },  # the published value
]


def _xml(path, member):
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def test_periods_cover_every_quarter_and_year_to_2030():
    p = periods()
    assert p[:2] == ["2024-Q1", "2024-Q2"] and "2030-Q4" in p
    assert p[-7:] == ["2024", "2025", "2026", "2027", "2028", "2029", "2030"]
    assert len(p) == 7 * 4 + 7


def test_workbook_has_instructions_one_sheet_per_pillar_and_hidden_lists(tmp_path):
    out = build_template(load_catalog(), tmp_path / "t.xlsx", lang="fr")
    reader = fastexcel.read_excel(str(out))
    assert reader.sheet_names == ["Instructions", "lists", *PILLAR_SHEETS]
    rows = reader.load_sheet("IA2030-IMP", header_row=None, dtypes="string").to_arrow().to_pylist()
    assert rows[0]["__UNNAMED__0"] == "IA2030 — Impact, adoption et influence"
    assert [rows[2][f"__UNNAMED__{i}"] for i in range(9)] == [
        "Code indicateur",
        "Nom de l'indicateur",
        "Unité",
        "Cible",
        "Période",
        "Région",
        "Valeur",
        "Source",
        "Commentaire",
    ]
    workbook = _xml(out, "xl/workbook.xml")
    assert re.search(r'<sheet name="lists" sheetId="2" state="hidden"', workbook)
    assert "Marsad_NotData_1" in workbook and "Marsad_NotData_2" in workbook
    sheet = _xml(out, "xl/worksheets/sheet5.xml")  # IA2030-IMP
    # dropdowns: the pillar's codes, the 35 periods, National + 12 regions
    codes = re.search(
        r'<dataValidation type="list" [^>]*sqref="A4:A503"><formula1>lists!\$([A-Z])\$1:\$\1\$3<',
        sheet,
    )
    assert codes
    assert "<formula1>lists!$A$1:$A$35</formula1>" in sheet
    assert "<formula1>lists!$B$1:$B$13</formula1>" in sheet
    lists = reader.load_sheet("lists", header_row=None, dtypes="string").to_arrow().to_pylist()
    assert [r["__UNNAMED__1"] for r in lists[:2]] == ["National", "Tanger-Tétouan-Al Hoceïma"]
    column = f"__UNNAMED__{ord(codes.group(1)) - ord('A')}"
    imp_codes = [r[column] for r in lists if r[column]]
    assert imp_codes == ["IA.GDP", "IA.JOBS", "IA.READINESS"]


def test_arabic_template_is_right_to_left_with_arabic_headers(tmp_path):
    out = build_template(load_catalog(), tmp_path / "t.xlsx", lang="ar")
    reader = fastexcel.read_excel(str(out))
    assert reader.sheet_names[0] == "تعليمات"
    for n in range(1, 9):
        xml = _xml(out, f"xl/worksheets/sheet{n}.xml")
        assert ('rightToLeft="1"' in xml) == (
            n != 2
        )  # every visible sheet; the hidden lists need not
    rows = reader.load_sheet("MD2030-CAT", header_row=None, dtypes="string").to_arrow().to_pylist()
    assert [rows[2][f"__UNNAMED__{i}"] for i in range(9)] == list(HEADERS["ar"])
    lists = reader.load_sheet(1, header_row=None, dtypes="string").to_arrow().to_pylist()
    assert lists[0]["__UNNAMED__1"] == NATIONAL_LABEL["ar"] == "وطني"
    assert lists[5]["__UNNAMED__1"] == "بني ملال-خنيفرة"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_filled_template_loads_with_zero_problems(tmp_path, lang, fmt):
    store = open_store(str(tmp_path / "m.duckdb"))
    path = build_template(store, tmp_path / f"filled_{lang}.{fmt}", lang=lang, rows=FILLED)
    r = ingest(store, [path], user="analyst", lang=lang, now=NOW)
    assert r.problems == []
    assert (r.status, r.rows, r.inserted, r.unchanged) == ("committed", 10, 9, 1)
    df = store.current_observations()
    got = {
        (o.indicator, o.period, o.region): o.value
        for o in df.itertuples()
        if o.batch_id == r.batch_id
    }
    assert got == {
        ("IA.JOBS", "2026-Q1", "MA-06"): 1200.0,
        ("IA.JOBS", "2026-Q1", "MA-11"): 35.0,
        ("IA.JOBS", "2026-Q1", ""): 5000.0,
        ("DM.EXPORTS", "2025", ""): 18.5,
        ("DM.5G", "2026-Q1", "MA-12"): 12.5,
        ("IA.LAW_X0", "2026-Q1", ""): 1.0,
        ("DM.TRAINED", "2025", "MA-02"): 300.0,
        ("IA.DC_MW", "2025", "MA-12"): 50.0,
        ("DM.FTTH", "2026-Q1", "MA-03"): 0.25,
        # Equal to the published score: unchanged, yet held by this batch too (undo keeps it).
        ("DM.EGDI_SCORE", "2024", ""): 0.6841,
    }
    casa = df[(df.indicator == "IA.JOBS") & (df.region == "MA-06")].iloc[0]
    assert casa.source == "ANAPEC" and casa.sheet == "IA2030-IMP" and casa.row_number == 4
    assert casa.unit == {"ar": "مناصب الشغل", "fr": "emplois", "en": "jobs"}[lang]


def test_an_untouched_template_is_no_data_not_a_silent_success(tmp_path):
    store = open_store(str(tmp_path / "m.duckdb"))
    path = build_template(store, tmp_path / "empty.xlsx", lang="fr")
    r = ingest(store, [path], user="analyst", now=NOW)
    assert r.status == "rejected"
    assert r.errors and {p.code for p in r.errors} <= {"no-data", "missing-value"}


def test_non_data_sheets_carry_the_marker_cell_that_every_format_keeps(tmp_path):
    out = build_template(load_catalog(), tmp_path / "t.xlsx", lang="fr")
    reader = fastexcel.read_excel(str(out))
    instructions = reader.load_sheet(0, header_row=None, dtypes="string").to_arrow().to_pylist()
    lists = reader.load_sheet("lists", header_row=None, dtypes="string").to_arrow().to_pylist()
    assert instructions[1]["__UNNAMED__0"] == NOT_DATA_MARK == "marsad:not-data"  # A2
    assert (
        lists[0]["__UNNAMED__2"] == NOT_DATA_MARK
    )  # C1, between the dropdown sources and the lookup
    for name in PILLAR_SHEETS:
        rows = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow().to_pylist()
        assert NOT_DATA_MARK not in {v for r in rows[:60] for v in r.values()}


def _ods_content(data: bytes) -> str:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.infolist()[0].filename == "mimetype"
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        return z.read("content.xml").decode("utf-8")


def test_ods_template_keeps_dropdowns_right_to_left_sheets_and_hidden_lists():
    data = template_bytes(load_catalog(), lang="ar", fmt="ods")
    reader = fastexcel.read_excel(data)
    assert reader.sheet_names == ["تعليمات", "lists", *PILLAR_SHEETS]
    assert [reader.load_sheet(i, n_rows=1, dtypes="string").visible for i in range(8)] == [
        "visible",
        "hidden",
        *["visible"] * 6,
    ]
    rows = reader.load_sheet("MD2030-CAT", header_row=None, dtypes="string").to_arrow().to_pylist()
    assert [rows[2][f"__UNNAMED__{i}"] for i in range(9)] == list(HEADERS["ar"])
    xml = _ods_content(data)
    # every visible sheet reads right to left; the hidden lists need not
    styles = dict(
        re.findall(
            r'<style:style style:name="(ta\d+)" style:family="table">'
            r'<style:table-properties table:display="\w+" style:writing-mode="([\w-]+)"/>',
            xml,
        )
    )
    sheets = re.findall(r'<table:table table:name="([^"]+)" table:style-name="(ta\d+)"', xml)
    assert [(n, styles[s]) for n, s in sheets] == [
        ("تعليمات", "rl-tb"),
        ("lists", "lr-tb"),
        *[(n, "rl-tb") for n in PILLAR_SHEETS],
    ]
    # the same three dropdowns per pillar sheet as in the .xlsx, from the same list ranges
    conditions = re.findall(
        r'table:condition="of:cell-content-is-in-list\(\[\$lists\.(\$[A-Z]+\$1:\.\$[A-Z]+\$\d+)\]\)"'
        r"[^>]*table:base-cell-address=\"'IA2030-IMP'\.([A-Z]+4)\"",
        xml,
    )
    assert conditions == [
        ("$I$1:.$I$3", "A4"),  # the pillar's 3 codes
        ("$A$1:.$A$35", "E4"),  # every quarter and year
        ("$B$1:.$B$13", "F4"),  # National + 12 regions
    ]
    imp = xml[xml.index('<table:table table:name="IA2030-IMP"') :]
    imp = imp[: imp.index("</table:table>")]
    assert (
        imp.count('table:content-validation-name="val') == 4 * 500
    )  # code, region and period dropdowns, and the value range of the unit
    assert 'of:=IF([.$A4]="";"";IFERROR(VLOOKUP([.$A4];[$lists.$D$1:.$G$' in imp


def test_the_value_column_checks_the_range_of_the_chosen_indicators_unit(tmp_path):
    path = build_template(
        load_catalog(), tmp_path / "value_column_accepts_any_number.xlsx", lang="fr"
    )
    with zipfile.ZipFile(path) as z:
        names = {
            m.group(1): m.group(2)
            for m in re.finditer(
                r'<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"',
                z.read("xl/workbook.xml").decode(),
            )
        }
        sheet = z.read(f"xl/worksheets/sheet{names['IA2030-IMP']}.xml").decode()
    rule = re.search(
        r'<dataValidation type="custom"[^>]*sqref="G4:G503"><formula1>(.*?)</formula1>', sheet
    )
    assert rule is not None
    # the value (G4) against min, max and whole of the unit looked up from the code (A4) on the lists sheet
    f = rule.group(1).replace("&gt;", ">").replace("&lt;", "<")
    assert re.fullmatch(
        r"IFERROR\(AND\(ISNUMBER\(G4\),G4>=VLOOKUP\(\$A4,(lists!\$\w+\$1:\$\w+\$\d+),2,FALSE\),"
        r"G4<=VLOOKUP\(\$A4,\1,3,FALSE\),OR\(VLOOKUP\(\$A4,\1,4,FALSE\)=0,G4=INT\(G4\)\)\),TRUE\)",
        f,
    )
    lists = fastexcel.read_excel(str(path)).load_sheet("lists", header_row=None).to_arrow()
    rows = {}
    for i in range(lists.num_rows):
        cells = [lists.column(j)[i].as_py() for j in range(lists.num_columns)]
        for j in range(len(cells) - 3):
            if cells[j] in ("DM.5G", "IA.JOBS", "DM.EGDI_RANK") and isinstance(cells[j + 1], float):
                rows[cells[j]] = tuple(cells[j + 1 : j + 4])
    assert rows == {
        "DM.5G": (0.0, 100.0, 0.0),  # % : 0 to 100
        "IA.JOBS": (0.0, 1e15, 1.0),  # jobs: from 0, whole
        "DM.EGDI_RANK": (1.0, 250.0, 1.0),  # rank: 1 to 250, whole
    }


def test_a_template_pre_filled_with_more_rows_than_its_empty_ones_keeps_every_row(tmp_path):
    # The Upload page's corrected template can carry a large report's good rows: none is cut at DATA_ROWS.
    from loaders.template import DATA_ROWS

    regions = [f"MA-{i:02d}" for i in range(1, 13)]
    quarters = [p for p in periods() if "-Q" in p and p < "2026"]  # 2024-Q1..2025-Q4: 8 quarters
    rows = [
        {"indicator": code, "period": q, "region": r, "value": 10 + i}
        for i, (code, q, r) in enumerate(
            (code, q, r) for code in ("IA.JOBS", "IA.GDP") for q in quarters for r in regions
        )
    ]
    assert len(rows) == 192
    many = [
        *rows,
        *rows,
        *rows,
    ]  # 576 rows on one pillar sheet (duplicates are the reader's business)
    assert len(many) > DATA_ROWS
    store = open_store(str(tmp_path / "m.duckdb"))
    path = build_template(store, tmp_path / "many.xlsx", lang="fr", rows=many)
    reader = fastexcel.read_excel(str(path))
    sheet = reader.load_sheet("IA2030-IMP", header_row=2, dtypes="string").to_arrow()
    codes = [c for c in sheet.column(0).to_pylist() if c]
    assert len(codes) == 576
