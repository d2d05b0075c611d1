"""pyarrow's start-up in a one-shot process (the ingest command, the upload worker): no pandas import."""

from __future__ import annotations

import sys


class _NoPandas:
    """An import finder that says pandas is not installed (for one probe only)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError(name)
        return None


def skip_pandas_probe() -> None:
    """pyarrow imports pandas (~0.6 s) the first time it converts a Python value, only to ask whether
    the value is a pandas object. A process that never hands pandas objects to pyarrow lets that first
    probe find no pandas. pyarrow then stops asking; where it needs pandas (`to_pandas`, `from_pandas`)
    it imports it then. Not for a process that passes a Series or DataFrame to `pa.array`/`pa.table`:
    those would be read as plain sequences."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.scalar(0)
    finally:
        sys.meta_path.remove(finder)
