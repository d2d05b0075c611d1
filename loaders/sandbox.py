"""Uploads from the page are read and checked in a worker process with a memory limit and a timeout.

A hostile or huge file can then only exhaust the worker: the server process every viewer shares keeps
running, and the person who sent the file gets one clear problem (worker-memory, worker-timeout).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import settings
from .i18n import translator
from .limits import Limits, check_size, limits
from .problems import Problem

_ROOT = Path(__file__).resolve().parent.parent
_EXIT_MEMORY = 3
_EXIT_FAILED = 4
# How a process that ran out of address space usually ends: Python raises MemoryError (exit 3 below), the
# Rust and C++ readers abort or segfault on a failed allocation, the kernel's OOM killer sends SIGKILL.
_MEMORY_SIGNALS = {-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, -signal.SIGBUS}


def _rejected(problems: list[Problem], names: list[str], message: str):
    from .ingest import IngestResult, _empty_changes

    return IngestResult("rejected", None, 0, 0, 0, 0, problems, _empty_changes(), message, names)


def _worker_problem(names: list[str], code: str, lang: str, **params) -> Problem:
    return Problem(file=", ".join(names), code=code, lang=lang, **params)


def ingest_in_worker(
    store,
    uploads: list[tuple[str, bytes]],
    *,
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    now: dt.datetime | None = None,
    lim: Limits | None = None,
    expected_state: str | None = None,
):
    """`loaders.ingest.ingest_uploads` run in a child process capped at `worker_mb` and `worker_seconds`.

    Returns the same IngestResult; a file over `upload_mb`, or a worker that hits a limit or fails, gives a
    "rejected" result with one problem saying which limit. Never raises for a bad file; a database the
    worker found busy is raised here as the same StoreBusy/StoreError the caller would have met itself.
    """
    lim = lim or limits()
    _ = translator(lang)
    names = [name for name, _data in uploads]
    too_big = [p for name, data in uploads for p in check_size(len(data), name, lang=lang, lim=lim)]
    if too_big:
        return _rejected(
            too_big, names, _("Nothing was written: {count} problems must be fixed first", count=1)
        )
    request = {
        "url": store.url,
        "uploads": uploads,
        "user": user,
        "dry_run": dry_run,
        "lang": lang,
        "now": now,
        "expected_state": expected_state,
    }
    returncode, err, out = _run_worker(request, lim)
    if returncode is None:
        message = _(
            "Reading the files took longer than {seconds} s and was stopped; nothing was written. "
            "Split the files or send fewer rows at once",
            seconds=lim.worker_seconds,
        )
        return _rejected(
            [_worker_problem(names, "worker-timeout", lang, seconds=lim.worker_seconds)],
            names,
            message,
        )
    if returncode == 0 and out is not None:
        if isinstance(out, dict) and "store_error" in out:
            from .store.errors import KINDS

            kind, code, msgid, params = out["store_error"]
            raise KINDS[kind](code, msgid, **params)
        return out
    if returncode == _EXIT_MEMORY or returncode in _MEMORY_SIGNALS:
        message = _(
            "Reading the files needed more than {mb} MB of memory and was stopped; nothing was "
            "written. Split the files or send fewer rows at once",
            mb=lim.worker_mb,
        )
        return _rejected(
            [_worker_problem(names, "worker-memory", lang, mb=lim.worker_mb)], names, message
        )
    if settings.get("MARSAD_DEBUG"):
        sys.stderr.write(err.decode(errors="replace")[-4000:])
    message = _("The files could not be checked (the reading process failed); nothing was written")
    return _rejected([_worker_problem(names, "worker-failed", lang)], names, message)


def _run_worker(request: dict, lim: Limits) -> tuple[int | None, bytes, object]:
    """(exit code, stderr, the unpickled result or None) of one worker run on `request`; the exit
    code is None when the worker was stopped for taking longer than `worker_seconds`."""
    with tempfile.TemporaryDirectory(prefix="marsad-worker-") as tmp:
        request_path, result = Path(tmp) / "request.pickle", Path(tmp) / "result.pickle"
        with request_path.open("wb") as f:
            pickle.dump(request, f)
        # glibc reserves 64 MB of address space per thread arena: under a cap on address space, few arenas.
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")]),
            "MALLOC_ARENA_MAX": "2",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "loaders.sandbox", str(request_path), str(result),
             str(lim.worker_mb)],
            cwd=_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            _out, err = proc.communicate(timeout=lim.worker_seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None, b"", None
        out = None
        if proc.returncode == 0 and result.is_file():
            with result.open("rb") as f:
                out = pickle.load(f)  # written by our own worker, from our own classes
        return proc.returncode, err, out


def _main(request: str, result: str, worker_mb: str) -> int:
    cap = int(worker_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))  # before the readers load anything
    try:
        from .pyarrow_start import skip_pandas_probe

        skip_pandas_probe()
        from .ingest import ingest_uploads
        from .store import Store, StoreError

        with open(request, "rb") as f:
            req = pickle.load(f)
        try:
            out = ingest_uploads(
                Store(req["url"]),
                req["uploads"],
                user=req["user"],
                dry_run=req["dry_run"],
                lang=req["lang"],
                now=req["now"],
                expected_state=req["expected_state"],
            )
        except StoreError as e:  # handed back to the page, which says the database is busy
            out = {"store_error": (type(e).__name__, e.code, e.msgid, e.params)}
        tmp = result + ".part"
        with open(tmp, "wb") as f:
            pickle.dump(out, f)
        os.replace(tmp, result)
        return 0
    except MemoryError:
        return _EXIT_MEMORY
    except Exception as e:
        if "memory" in str(e).lower() or "alloc" in str(e).lower():
            return _EXIT_MEMORY  # DuckDB's and Arrow's out-of-memory errors
        import traceback

        traceback.print_exc()
        return _EXIT_FAILED


if __name__ == "__main__":
    code = _main(*sys.argv[1:4])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
