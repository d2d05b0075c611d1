"""What a cell means: header roles, periods, indicators, regions and numbers, from FR/AR/EN habits to canonical values."""

from .headers import ROLE_LABELS, HeaderInfo, classify_header
from .names import (
    NATIONAL_NAMES,
    OLD_REGION_NAMES,
    REGION_VARIANTS,
    SUBTOTAL_PREFIXES,
    TOTAL_NAMES,
    IndicatorMatcher,
    RegionMatch,
    RegionMatcher,
    region_key,
    total_kind,
)
from .numbers import (
    MISSING_TOKENS,
    CleanNumbers,
    NumberDecision,
    clean_numbers,
    decide_decimal,
    parse_numbers,
)
from .periods import parse_period, period_lang
from .text import fold, key, to_ascii_digits

__all__ = [
    "MISSING_TOKENS",
    "NATIONAL_NAMES",
    "OLD_REGION_NAMES",
    "REGION_VARIANTS",
    "ROLE_LABELS",
    "SUBTOTAL_PREFIXES",
    "TOTAL_NAMES",
    "CleanNumbers",
    "HeaderInfo",
    "IndicatorMatcher",
    "NumberDecision",
    "RegionMatch",
    "RegionMatcher",
    "classify_header",
    "clean_numbers",
    "decide_decimal",
    "fold",
    "key",
    "parse_numbers",
    "parse_period",
    "period_lang",
    "region_key",
    "to_ascii_digits",
    "total_kind",
]
