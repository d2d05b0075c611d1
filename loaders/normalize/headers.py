"""Header roles: which column a header names (indicator, period, region, value…), in FR/AR/EN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import N_
from .periods import parse_period, period_lang
from .text import key

ROLE_LABELS = {
    "indicator": N_("indicator"),
    "period": N_("period"),
    "region": N_("region"),
    "value": N_("value"),
    "unit": N_("unit"),
    "source": N_("source"),
    "comment": N_("comment"),
}

# key(alias) -> (role, language hint or None). "code" and "indicator" are both the indicator column;
# a code column wins when a sheet has both (the other then holds names, for people).
_ALIASES: dict[str, tuple[str, str | None]] = {}


def _alias(role: str, lang: str | None, *names: str) -> None:
    for n in names:
        _ALIASES[key(n)] = (role, lang)


_alias("code", None, "code", "id", "kpi", "code kpi")
_alias("code", "fr", "code indicateur", "code de l'indicateur", "code de l’indicateur", "code ind")
_alias("code", "en", "indicator code", "indicator id", "code indicator")
_alias("code", "ar", "رمز المؤشر", "الرمز", "رمز", "كود المؤشر")
_alias("indicator", "fr", "indicateur", "indicateurs")
_alias("indicator", "en", "indicator", "indicators")
_alias("indicator", "ar", "المؤشر", "مؤشر", "المؤشرات")
_alias(
    "period", "fr", "période", "trimestre", "année", "periode de reference", "période de référence"
)
_alias("period", "en", "period", "quarter", "year", "reference period")
_alias("period", None, "date")
_alias("period", "ar", "الفترة", "الربع", "السنة", "الفصل", "الثلاثي", "التاريخ", "الفترة المرجعية")
_alias("region", None, "région", "régions", "region", "regions")
_alias("region", "fr", "code région", "code de la région")
_alias("region", "en", "region code")
_alias("region", "ar", "الجهة", "الجهات", "المنطقة", "جهة")
_alias("value", "fr", "valeur", "valeurs", "réalisation", "réalisé", "valeur réalisée", "montant")
_alias("value", "en", "value", "values", "actual", "amount")
_alias("value", "ar", "القيمة", "القيم", "الإنجاز", "المنجز")
_alias("unit", "fr", "unité", "unité de mesure")
_alias("unit", "en", "unit", "unit of measure", "units")
_alias("unit", "ar", "الوحدة", "وحدة القياس")
_alias("source", None, "source", "sources")
_alias("source", "fr", "source des données")
_alias("source", "en", "data source")
_alias("source", "ar", "المصدر", "المصادر")
_alias("comment", None, "note", "notes", "observation", "observations")
_alias("comment", "fr", "commentaire", "commentaires", "remarque", "remarques")
_alias("comment", "en", "comment", "comments", "remarks")
_alias("comment", "ar", "ملاحظة", "ملاحظات", "تعليق", "تعليقات")
# Descriptive columns people (and our own template) put beside the data: read, known, not data.
_alias(
    "info",
    "fr",
    "nom",
    "nom de l'indicateur",
    "libellé",
    "libellé de l'indicateur",
    "intitulé",
    "désignation",
    "pilier",
    "axe",
    "programme",
    "fréquence",
    "sens",
    "n°",
    "numéro",
)
_alias(
    "info",
    "en",
    "name",
    "indicator name",
    "label",
    "pillar",
    "axis",
    "program",
    "frequency",
    "direction",
    "no",
    "number",
    "#",
)
_alias(
    "info",
    "ar",
    "اسم المؤشر",
    "الاسم",
    "التسمية",
    "المحور",
    "البرنامج",
    "الركيزة",
    "الرقم",
    "ر ت",
    "الدورية",
)
# Any header starting like these (e.g. "Cible 2030", "Target (2030)") is a descriptive column too,
# and must not be taken for a period column because it contains a year.
_INFO_PREFIXES = tuple(
    key(p)
    for p in (
        "cible",
        "target",
        "objectif",
        "objective",
        "الهدف",
        "القيمة المستهدفة",
        "baseline",
        "référence",
        "reference",
        "valeur de référence",
        "سنة الأساس",
        "خط الأساس",
        "jalon",
        "milestone",
    )
)

_UNIT_IN_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]\s*$")


@dataclass(frozen=True)
class HeaderInfo:
    role: str | None  # indicator|code|period|region|value|unit|source|comment|info|None
    unit: str | None = None  # from "(…)" after the name, e.g. "Valeur (%)"
    period: str | None = None  # set when the header itself is a period (wide layout)
    lang: str | None = None  # language the header is written in, when it tells


@lru_cache(maxsize=4096)
def classify_header(text: str) -> HeaderInfo:
    raw = (text or "").strip()
    if not raw:
        return HeaderInfo(None)
    base, unit = raw, None
    m = _UNIT_IN_BRACKETS.match(raw)
    if m and m.group(1):
        base, unit = m.group(1), (re.sub(r"^(?:en|in)\s+", "", m.group(2), flags=re.I) or None)
    k = key(base)
    if k in _ALIASES:
        role, lang = _ALIASES[k]
        return HeaderInfo(role, unit if role == "value" else None, None, lang)
    if any(k.startswith(p) for p in _INFO_PREFIXES):
        return HeaderInfo("info")
    period = parse_period(base)
    if period:
        return HeaderInfo("period-column", unit, period, period_lang(base))
    period = parse_period(raw)  # "2026 (T1)"-like headers
    if period:
        return HeaderInfo("period-column", None, period, period_lang(raw))
    return HeaderInfo(None)
