"""One base for the errors people read: whatever refused, a page can say what happened and what to do in
the reader's language, never a traceback."""

import pickle

import pytest

from loaders.errors import MarsadError
from loaders.i18n import translator
from loaders.problems import FileMissing, UnreadableFile, UnsupportedFileType
from loaders.store import StoreBusy, StoreError


def test_a_refusal_reads_in_french_and_arabic_with_its_title():
    e = MarsadError("Batch {n} could not be loaded", n=7)
    assert str(e) == e.message == "Batch 7 could not be loaded"
    assert e.translated(translator("en")) == "Batch 7 could not be loaded"
    assert e.translated_title(translator("fr")) == "Cette action n'a pas pu être effectuée"
    assert e.translated_title(translator("ar")) == "تعذّر القيام بهذا"
    assert e.translated_hint(translator("fr")) == ""  # no hint: nothing to show under the title


def test_store_errors_are_marsad_errors_with_their_own_title_and_hint():
    e = StoreBusy("database-busy", "The database {url} is busy", url="x.duckdb", detail="lock")
    assert isinstance(e, MarsadError) and isinstance(e, StoreError)
    assert (e.code, e.detail, e.message) == (
        "database-busy",
        "lock",
        "The database x.duckdb is busy",
    )
    _ = translator("fr")
    assert e.translated_title(_) == "La base de données est occupée"
    assert e.translated_hint(_) == "Un autre programme y écrit : réessayez quand il aura terminé"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_unreadable_file_is_a_marsad_error_titled_in_its_language(lang):
    e = UnsupportedFileType("rapport.pdf", lang=lang, suffix=".pdf")
    assert isinstance(e, MarsadError) and isinstance(e, UnreadableFile)
    # The message a log or the command line prints stays English, with the file named first.
    assert str(e) == "rapport.pdf: Unsupported file type '.pdf': use CSV or Excel (.xlsx, .xls)"
    assert e.title == e.title_in(lang) == e.translated_title(translator(lang))
    assert e.title != e.title_in("en")
    assert e.translated_hint(translator(lang)) == ""


def test_an_unreadable_file_crosses_a_process_boundary_unchanged():
    e = FileMissing("rapport.csv", lang="fr")
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), str(back), back.title, back.message) == (
        FileMissing,
        "rapport.csv: The file does not exist",
        "Le fichier n'existe pas",
        "The file does not exist",
    )
