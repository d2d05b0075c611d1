"""Text folding: the case-, accent-, digit- and Arabic-spelling-insensitive forms names are compared in."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# After NFKD + dropping combining marks, hamza/madda forms are already plain alef/waw/yeh; these
# are the remaining spelling variants Moroccan Arabic inputs mix freely.
_ARABIC = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ک": "ك", "ی": "ي", "ٱ": "ا"})
_PUNCT = re.compile(r"[\s\-‐‑‒–—―_'’‘`´\".,;:/\\|()\[\]{}«»]+")
NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent-, digit- and Arabic-spelling-insensitive form, punctuation turned into single spaces."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().translate(_ARABIC).translate(_DIGITS)
    return _PUNCT.sub(" ", s).strip()


def key(text: str) -> str:
    """fold() without any space or punctuation: the comparison key for names and headers."""
    return NON_WORD.sub("", fold(text))


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)
