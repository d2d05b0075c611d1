"""The History tables name Marsad's own loads, the DEMO source and the DEMO "file" in the page language."""

import datetime as dt

import pandas as pd

from kpis import view_history as vh
from loaders.seed import DEMO_FILE, DEMO_SOURCE, DEMO_USER, PUBLIC_USER

FSI, PDI = "\u2068", "\u2069"


def _local(t):
    return t


def _batches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "batch_id": [1, 2, 3],
            "created_at": [dt.datetime(2026, 1, 5, 9)] * 3,
            "user_name": [PUBLIC_USER, DEMO_USER, "Nadia B."],
            "origin": ["public", "demo", "upload"],
            "files": ["data/catalog/observations_public.csv", DEMO_FILE, "demo.xlsx"],
            "inserted": [29, 900, 3],
            "revised": [0, 0, 1],
            "unchanged": [0, 0, 0],
            "undone_at": [None, None, None],
            "undone_by": [None, None, None],
        }
    )


def test_the_batches_table_names_marsads_loads_in_french_and_arabic():
    fr = vh.batches_frame(_batches(), "fr", _local)
    assert fr["Par"].tolist() == [
        "Marsad (données de référence)",
        "Marsad (générateur DEMO)",
        "Nadia B.",
    ]
    # The DEMO generator's "file" in words; a file uploaded as "demo.xlsx" stays as sent.
    assert fr["Fichiers"].tolist() == ["observations_public.csv", "DÉMO", "demo.xlsx"]
    ar = vh.batches_frame(_batches(), "ar", _local)
    assert ar.iloc[:, 2].tolist() == [
        "مرصد (البيانات المرجعية)",
        "مرصد (مولّد البيانات التوضيحية)",
        f"{FSI}Nadia B.{PDI}",
    ]
    assert ar.iloc[1, 4] == "بيانات توضيحية"


def test_a_demo_values_versions_say_demo_in_the_language():
    versions = pd.DataFrame(
        {
            "batch_id": [2],
            "value": [12.0],
            "current": [True],
            "created_at": [dt.datetime(2026, 1, 5, 9)],
            "user_name": [DEMO_USER],
            "file": [DEMO_FILE],
            "sheet": [None],
            "row_number": [None],
            "source": [DEMO_SOURCE],
            "undone_at": [None],
        }
    )
    fr = vh.versions_frame(versions, "fr", _local)
    assert fr.iloc[0].tolist()[4:7] == ["Marsad (générateur DEMO)", "DÉMO", "DÉMO (illustratif)"]
    ar = vh.versions_frame(versions, "ar", _local)
    assert ar.iloc[0].tolist()[4:7] == [
        "مرصد (مولّد البيانات التوضيحية)",
        "بيانات توضيحية",
        "بيانات توضيحية",
    ]
