"""The cell rules every catalog file shares (not empty, blank as none, yes/no, lists of source ids), as field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict


class Strict(BaseModel):
    """A catalog row: no column the schema does not know, text stripped, never changed once read."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def not_empty(v: str) -> str:
    if not v:
        raise ValueError("must not be empty")
    return v


def blank_none(v):
    """A blank cell of an optional number: none rather than a parse error."""
    return None if isinstance(v, str) and not v.strip() else v


def yes_no(v):
    """A catalog yes/no cell as a bool (the catalog files write yes/no; true/false and 1/0 are accepted)."""
    if isinstance(v, str):
        if v.strip().lower() in ("yes", "true", "1"):
            return True
        if v.strip().lower() in ("no", "false", "0"):
            return False
        raise ValueError("must be yes or no")
    return v


def source_ids(v):
    """A list of source ids written "a; b" (blank: none)."""
    if isinstance(v, str):
        return tuple(s.strip() for s in v.split(";") if s.strip())
    return v


Text = Annotated[str, AfterValidator(not_empty)]
YesNo = Annotated[bool, BeforeValidator(yes_no)]
OptionalInt = Annotated[int | None, BeforeValidator(blank_none)]
OptionalFloat = Annotated[float | None, BeforeValidator(blank_none)]
SourceIds = Annotated[tuple[str, ...], BeforeValidator(source_ids)]
