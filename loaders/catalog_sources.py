"""The catalog's sources table (data/catalog/sources.csv): institutions with names in three languages and
their site, and the check that indicators and public observations name known ones."""

from __future__ import annotations

import re

from pydantic import field_validator

from .catalog_checks import INDICATORS_FILE, OBSERVATIONS_FILE, reporter
from .catalog_fields import Strict, Text
from .problems import Problem

SOURCES_FILE = "sources.csv"


class Source(Strict):
    """An institution or outlet that published figures: its name in the three languages and its site."""

    id: str
    name_fr: Text
    name_en: Text
    name_ar: Text
    url: str = ""
    # The catalog producer (indicators.csv `producer`) this institution is, when it owes figures.
    producer: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", v):
            raise ValueError("id must be lower-case letters, digits and hyphens")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not re.fullmatch(r"https://[\w.-]+\.[a-z]{2,}(/\S*)?", v):
            raise ValueError("url must be an https:// address")
        return v

    def name(self, lang: str) -> str:
        return {"fr": self.name_fr, "ar": self.name_ar}.get(lang, self.name_en)


def check_sources(indicators, observations, sources, problems: list[Problem]) -> None:
    """Source ids are unique, and each indicator or observation names one known id per source entry."""
    bad = reporter(problems, SOURCES_FILE)
    ids = [s.id for _, s in sources]
    for (row, s), n in zip(sources, range(len(ids)), strict=True):
        if s.id in ids[:n]:
            bad(row, "id", "catalog-field", detail=f"duplicate source id '{s.id}'")
    known = set(ids)
    for file, rows, text in (
        (INDICATORS_FILE, indicators, "sources"),
        (OBSERVATIONS_FILE, observations, "source"),
    ):
        bad = reporter(problems, file)
        for row, item in rows:
            if not item.source_ids:
                continue
            entries = [e for e in getattr(item, text).split(";") if e.strip()]
            unknown = [i for i in item.source_ids if i not in known]
            if unknown:
                msg = f"source id(s) {', '.join(unknown)} not in {SOURCES_FILE}"
            elif len(item.source_ids) != len(entries):
                msg = f"{len(item.source_ids)} source ids for {len(entries)} {text} entries"
            else:
                continue
            bad(row, "source_ids", "catalog-reference", detail=msg)
