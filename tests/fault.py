"""`python -m tests.fault POINT ARGS…`: the loaders CLI with a pause installed at one ingest checkpoint.

The kill-mid-load tests run this: at POINT (one of loaders.ingest.FAULT_POINTS) it prints a marker on stderr
and sleeps inside the open transaction, so the test can kill the process there. Production code has no
fault hook of its own: the pause exists only in this process.
"""

import os
import sys
import time

import loaders.ingest
from loaders.__main__ import main

MARKER = "MARSAD_FAULT_PAUSE"


def install(point: str, seconds: float = 3600.0) -> None:
    def pause(reached: str) -> None:
        if reached == point:
            sys.stderr.write(f"{MARKER} {point}: paused inside the transaction\n")
            sys.stderr.flush()
            time.sleep(seconds)

    loaders.ingest.checkpoint = pause


if __name__ == "__main__":
    install(sys.argv[1])
    code = main(sys.argv[2:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
