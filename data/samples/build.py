"""Writes the sample reports under data/samples/ (run from the project root: .venv/bin/python data/samples/build.py).

Two quarterly reports as a ministry would send them for the third quarter of 2026: an Excel workbook with
French headers, a title row and a source note, and a CSV with Arabic headers and region names. The figures
are illustrative, not official.
"""

from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent

# Startups labellisées, by region (six regions report this quarter), and two national figures.
XLSX_ROWS = [
    ("DM.STARTUPS", "T3 2026", "Casablanca-Settat", 412, "startups"),
    ("DM.STARTUPS", "T3 2026", "Rabat-Salé-Kénitra", 163, "startups"),
    ("DM.STARTUPS", "T3 2026", "Tanger-Tétouan-Al Hoceïma", 61, "startups"),
    ("DM.STARTUPS", "T3 2026", "Marrakech-Safi", 57, "startups"),
    ("DM.STARTUPS", "T3 2026", "Fès-Meknès", 48, "startups"),
    ("DM.STARTUPS", "T3 2026", "Souss-Massa", 31, "startups"),
    ("DM.STARTUP_FUNDS", "T3 2026", "National", 2.1, "Mds MAD"),
    ("DM.ESERVICES", "T3 2026", "National", 640, "services"),
]
# Emplois liés à l'IA, all twelve regions (Arabic names, as the regional offices write them).
CSV_ROWS = [
    ("الدار البيضاء-سطات", 3120),
    ("الرباط-سلا-القنيطرة", 1850),
    ("طنجة-تطوان-الحسيمة", 740),
    ("فاس-مكناس", 610),
    ("مراكش-آسفي", 580),
    ("سوس-ماسة", 320),
    ("الشرق", 270),
    ("بني ملال-خنيفرة", 140),
    ("درعة-تافيلالت", 60),
    ("العيون-الساقية الحمراء", 55),
    ("الداخلة-وادي الذهب", 40),
    ("كلميم-واد نون", 25),
]


def build() -> None:
    wb = xlsxwriter.Workbook(str(HERE / "rapport_T3_2026_fr.xlsx"))
    ws = wb.add_worksheet("T3 2026")
    bold = wb.add_format({"bold": True})
    ws.write(0, 0, "Ministère de la Transition numérique : indicateurs du 3e trimestre 2026", bold)
    ws.write_row(2, 0, ["Indicateur", "Période", "Région", "Valeur", "Unité"], bold)
    for i, row in enumerate(XLSX_ROWS):
        ws.write_row(3 + i, 0, row)
    ws.write(4 + len(XLSX_ROWS), 0, "Source : Ministère de la Transition numérique")
    ws.set_column(0, 0, 20)
    ws.set_column(2, 2, 28)
    wb.close()

    lines = ["رمز المؤشر,الفترة,الجهة,القيمة,المصدر"]
    lines += [f"IA.JOBS,2026-Q3,{region},{value},ANAPEC" for region, value in CSV_ROWS]
    (HERE / "emplois_IA_T3_2026_ar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
